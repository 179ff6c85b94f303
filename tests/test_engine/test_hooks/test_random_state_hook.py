import copy
from types import SimpleNamespace

import pytest
import torch
from mmengine.config import Config
from mmengine.hooks import Hook

from mmseg_anyseg.engine import RandomStateHook
from tests.helpers import anymodal_model, hpdm_losses, runner_cfg

# Runner trainings and tool subprocesses: the slow tier (pytest -m "not slow" skips them).
pytestmark = pytest.mark.slow


def test_state_is_set_back_at_the_resumed_iteration_only():
    hook = RandomStateHook()
    checkpoint = {'meta': {'iter': 5}}
    torch.manual_seed(3)
    hook.before_save_checkpoint(None, checkpoint)
    expected = torch.rand(4)
    hook.after_load_checkpoint(None, checkpoint)
    hook.before_train_iter(SimpleNamespace(iter=5), 0)
    assert torch.equal(torch.rand(4), expected)
    # Fine-tuning from the same checkpoint (load_from, iteration 0) keeps its own draws.
    hook.after_load_checkpoint(None, checkpoint)
    torch.manual_seed(4)
    own = torch.rand(4)
    torch.manual_seed(4)
    hook.before_train_iter(SimpleNamespace(iter=0), 0)
    assert torch.equal(torch.rand(4), own)
    hook.before_train_iter(SimpleNamespace(iter=5), 0)  # consumed: never applied later
    assert not torch.equal(torch.rand(4), expected)


def test_states_of_another_process_count_are_not_used():
    hook = RandomStateHook()
    checkpoint = {'meta': {'iter': 2}}
    hook.before_save_checkpoint(None, checkpoint)
    checkpoint['meta']['torch_random_states'] *= 2  # saved by two processes
    saved_draw = torch.rand(4)
    hook.after_load_checkpoint(None, checkpoint)
    torch.manual_seed(5)
    own = torch.rand(4)
    torch.manual_seed(5)
    hook.before_train_iter(SimpleNamespace(iter=2), 0)
    draw = torch.rand(4)
    assert torch.equal(draw, own) and not torch.equal(draw, saved_draw)


class LossRecorder(Hook):
    def __init__(self):
        self.losses = {}

    def after_train_iter(self, runner, batch_idx, data_batch=None, outputs=None):
        self.losses[runner.iter + 1] = outputs['loss'].item()


@pytest.fixture(scope='module')
def robustseg(tmp_path_factory, synthetic_deliver):
    """A RobustSeg run with global prototypes and modality dropout: 4 iterations."""
    from mmengine.runner import Runner
    root = tmp_path_factory.mktemp('random_state')
    teacher = runner_cfg(str(root / 'teacher'), synthetic_deliver, anymodal_model(embed_dims=8))
    Runner.from_cfg(copy.deepcopy(teacher)).train()
    Config(dict(model=teacher['model'], default_scope='mmseg')).dump(str(root / 't.py'))
    dropout = dict(type='size_uniform', per='batch')
    model = dict(type='AnySegDistiller',
                 data_preprocessor=anymodal_model(modality_dropout=dropout)['data_preprocessor'],
                 student=anymodal_model(embed_dims=8),
                 teacher=dict(config=str(root / 't.py'),
                              checkpoint=str(root / 'teacher' / 'iter_2.pth')),
                 distill_losses=hpdm_losses(global_loss_weight=1.0))

    def train(work: str, hooks: list, resume_from: str = None) -> dict:
        cfg = runner_cfg(str(root / work), synthetic_deliver, model, max_iters=4)
        cfg['custom_hooks'] = hooks
        if resume_from:
            cfg.update(load_from=resume_from, resume=True)
        runner = Runner.from_cfg(cfg)
        recorder = LossRecorder()
        runner.register_hook(recorder)
        runner.train()
        return recorder.losses

    hook = [dict(type='RandomStateHook')]
    return SimpleNamespace(root=root, train=train, hook=hook,
                           uninterrupted=train('uninterrupted', hook))


def test_resumed_training_has_the_uninterrupted_loss_curve(robustseg):
    resumed = robustseg.train('resumed', robustseg.hook,
                              str(robustseg.root / 'uninterrupted' / 'iter_2.pth'))
    assert sorted(resumed) == [3, 4]
    assert resumed == {i: robustseg.uninterrupted[i] for i in (3, 4)}


def test_without_the_hook_the_resumed_curve_departs(robustseg):
    """The check above can fail: the modality dropout draws differ without the saved state."""
    resumed = robustseg.train('resumed_without_hook', [],
                              str(robustseg.root / 'uninterrupted' / 'iter_2.pth'))
    assert resumed != {i: robustseg.uninterrupted[i] for i in (3, 4)}
