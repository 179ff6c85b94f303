from types import SimpleNamespace

import pytest
from mmengine.logging import MessageHub
from mmseg.registry import HOOKS

from mmseg_anyseg.engine import ModalityDropoutAnnealHook


def runner_at(iteration: int, max_iters: int = 20, dropout=dict(type='independent')):
    preprocessor = SimpleNamespace(modality_dropout=dropout, dropout_share=1.0)
    return SimpleNamespace(iter=iteration, max_iters=max_iters,
                           model=SimpleNamespace(data_preprocessor=preprocessor),
                           message_hub=MessageHub.get_instance('dropout_anneal_test'))


def share_at(hook, iteration: int, max_iters: int = 20) -> float:
    runner = runner_at(iteration, max_iters)
    hook.before_train(runner)
    hook.before_train_iter(runner, 0)
    assert runner.message_hub.get_scalar('train/dropout_share').current() \
        == runner.model.data_preprocessor.dropout_share
    return runner.model.data_preprocessor.dropout_share


def test_the_share_falls_linearly_from_start_to_end():
    hook = HOOKS.build(dict(type='ModalityDropoutAnnealHook', start=0.6, end=0.8))
    # iterations 12 to 16 of 20: (16 - i) / (16 - 12), clipped to [0, 1]
    assert [share_at(hook, i) for i in (0, 11, 12, 13, 14, 15, 16, 19)] \
        == [1.0, 1.0, 1.0, 0.75, 0.5, 0.25, 0.0, 0.0]


def test_the_schedule_follows_the_budget():
    hook = ModalityDropoutAnnealHook(start=0.5)
    assert share_at(hook, 15, max_iters=20) == 0.5
    assert share_at(hook, 15, max_iters=40) == 1.0
    assert share_at(hook, 30, max_iters=40) == 0.5


def test_bad_schedules_and_models_without_dropout_are_refused():
    for start, end in ((-0.1, 1.0), (0.5, 0.5), (0.5, 1.2)):
        with pytest.raises(ValueError, match=f'start={start}, end={end}; expected 0 <= start'):
            ModalityDropoutAnnealHook(start=start, end=end)
    with pytest.raises(ValueError, match='has no modality_dropout'):
        ModalityDropoutAnnealHook(start=0.5).before_train(runner_at(0, dropout=None))
