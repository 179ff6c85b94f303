"""LoadFromCoverageHook: a ``load_from`` that fills little of the model stops the training."""
import os.path as osp
from types import SimpleNamespace

import pytest
import torch
from mmengine.config import Config
from mmengine.runner import Runner, load_checkpoint, save_checkpoint
from mmseg.registry import MODELS

from mmseg_anyseg.engine import LoadFromCoverageHook
from tests.helpers import anymodal_model, runner_cfg
from tests.test_models.test_segmentors.test_anyseg_distiller import (  # noqa: F401
    distiller_cfg, teacher_files)


def segmentor_checkpoint(path: str, prefix: str = '') -> dict:
    """A tiny segmentor's weights (random, not its init) saved under ``prefix``."""
    torch.manual_seed(1)
    source = MODELS.build(anymodal_model(size=(32, 32)))
    for p in source.parameters():
        torch.nn.init.normal_(p)
    save_checkpoint(dict(state_dict={prefix + k: v for k, v in source.state_dict().items()}),
                    path)
    return source.state_dict()


def train_from(tmp_path, data_root: str, load_from: str) -> Runner:
    cfg = runner_cfg(str(tmp_path / 'work'), data_root, anymodal_model(size=(32, 32)),
                     max_iters=1)
    cfg.update(load_from=load_from, custom_hooks=[dict(type='LoadFromCoverageHook')])
    runner = Runner.from_cfg(Config(cfg))
    runner.train()
    return runner


def test_a_matching_checkpoint_trains_from_its_weights(tmp_path, synthetic_deliver):
    path = str(tmp_path / 'segmentor.pth')
    source = segmentor_checkpoint(path)
    runner = train_from(tmp_path, synthetic_deliver, path)
    # one AdamW step at lr 1e-3 from the loaded weights, not from the initialisation
    trained = runner.model.state_dict()['backbone.layers.0.0.projection.weight']
    loaded = source['backbone.layers.0.0.projection.weight']
    assert (trained - loaded).abs().max() <= 1.5e-3
    assert osp.isfile(tmp_path / 'work' / 'iter_1.pth')


def test_a_checkpoint_of_other_keys_stops_before_the_first_iteration(tmp_path,
                                                                       synthetic_deliver):
    path = str(tmp_path / 'wrapped.pth')
    segmentor_checkpoint(path, prefix='student.')  # a distiller's checkpoint, say
    with pytest.raises(ValueError, match=r"load_from='.*wrapped\.pth' fills 0 of the \d+ "
                                         r"trainable .*\(0\.0%, under 50%\).*a distiller "
                                         r"checkpoint.*extract_student\.py"):
        train_from(tmp_path, synthetic_deliver, path)
    assert not osp.exists(tmp_path / 'work' / 'iter_1.pth')


def test_a_resumed_training_is_not_checked(tmp_path):
    model = MODELS.build(anymodal_model(size=(32, 32)))
    path = str(tmp_path / 'wrapped.pth')
    segmentor_checkpoint(path, prefix='student.')
    for resume, fails in ((True, False), (False, True)):
        hook = LoadFromCoverageHook()
        hook.before_run(SimpleNamespace(cfg=Config(dict(load_from=path, resume=resume)),
                                        model=model))
        if fails:
            with pytest.raises(ValueError, match='fills 0 of'):
                load_checkpoint(model, path, strict=False)
        else:
            load_checkpoint(model, path, strict=False)
        hook.before_train(None)


def test_a_segmentor_checkpoint_fills_a_distillers_student_and_a_foreign_one_does_not(
        tmp_path, teacher_files):  # noqa: F811
    model = MODELS.build(distiller_cfg(teacher_files))
    assert not any(p.requires_grad for p in model.teacher.parameters())
    good, bad = str(tmp_path / 'segmentor.pth'), str(tmp_path / 'foreign.pth')
    segmentor_checkpoint(good)
    segmentor_checkpoint(bad, prefix='model.')
    for path, fails in ((good, False), (bad, True)):
        hook = LoadFromCoverageHook()
        hook.before_run(SimpleNamespace(cfg=Config(dict(load_from=path)), model=model))
        if fails:
            with pytest.raises(ValueError, match='AnySegDistiller'):
                load_checkpoint(model, path, strict=False)
        else:
            load_checkpoint(model, path, strict=False)
        hook.before_train(None)
    load_checkpoint(model, bad, strict=False)  # the check ends with the training's load


def test_the_fraction_counts_elements_of_trainable_parameters_only():
    model = torch.nn.Sequential(torch.nn.Linear(10, 10), torch.nn.Linear(10, 1))
    model[1].requires_grad_(False)
    hook = LoadFromCoverageHook(min_fraction=0.9)
    hook.check(model, ['1.weight', '1.bias'], 'x.pth')  # frozen: 0 of 110 missing
    hook.check(model, ['0.bias'], 'x.pth')  # 100 of 110 filled: 90.9%
    with pytest.raises(ValueError, match=r'fills 10 of the 110 trainable parameter elements '
                                         r'of Sequential \(9\.1%, under 90%\)'):
        hook.check(model, ['0.weight'], 'x.pth')
    with pytest.raises(ValueError, match='min_fraction'):
        LoadFromCoverageHook(min_fraction=0.0)
