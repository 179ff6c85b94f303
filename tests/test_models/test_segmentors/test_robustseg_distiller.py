import pytest
import torch
from mmengine.optim import OptimWrapper
from mmseg.registry import MODELS

from mmseg_anyseg.models.segmentors.robustseg_distiller import random_modality_partners
from tests.test_models.test_segmentors.test_anyseg_distiller import (  # noqa: F401
    distiller_cfg, labelled_batch, teacher_files)

ROBUSTSEG = dict(prototype_loss=dict(type='PrototypeDistillLoss'),
                 regularization_loss=dict(type='FunctionalEntropyRegLoss', num_samples=2))


def test_robustseg_distiller_trains_with_prototypes_and_regularization(teacher_files):
    cfg = dict(distiller_cfg(teacher_files, **ROBUSTSEG), type='RobustSegDistiller')
    model = MODELS.build(cfg).train()
    assert [p.shape for p in model.prototype_loss.global_prototypes()] == [
        (25, 16), (25, 16), (25, 32), (25, 32)]  # the teacher's widths
    wrapper = OptimWrapper(torch.optim.AdamW(model.parameters(), lr=1e-3))
    losses = model.train_step(labelled_batch(), wrapper)
    assert {'decode.loss_ce', 'loss_mad', 'loss_hpdm', 'loss_rrm'} <= set(losses)
    assert 'loss_umd' not in losses and 'loss_cmd' not in losses
    assert all(torch.isfinite(v) for v in losses.values())


def test_robustseg_student_tests_without_the_teacher_files(tmp_path):
    missing = dict(config=str(tmp_path / 'none.py'), checkpoint=str(tmp_path / 'none.pth'))
    model = MODELS.build(dict(distiller_cfg(missing, **ROBUSTSEG), type='RobustSegDistiller'))
    assert model.prototype_loss is None and model.regularization_loss is None
    with pytest.raises(FileNotFoundError, match='none.py'):
        model.train()


def test_random_pairing_draws_kept_student_modalities_uniformly_per_pair():
    kept = torch.tensor([[True, True, False, True], [False, False, True, False]])
    # feature [b, m] holds the value 10 b + m, so that a partner can be read off its feature
    feat = (10 * torch.arange(2)[:, None] + torch.arange(4)).float()[:, :, None, None, None]
    stages = random_modality_partners([feat.expand(2, 4, 1, 1, 1)] * 400, kept)
    drawn = torch.stack([s[..., 0, 0, 0] for s in stages])  # [400, B, M]
    assert set(drawn[:, 1].unique().tolist()) == {12.0}  # sample 1 kept modality 2 only
    counts = torch.stack([(drawn[:, 0] == v).float().mean() for v in (0.0, 1.0, 3.0)])
    assert set(drawn[:, 0].unique().tolist()) == {0.0, 1.0, 3.0}  # never the dropped one
    assert torch.allclose(counts, torch.full((3,), 1 / 3), atol=0.03)  # uniform, with repeats
    assert not torch.equal(drawn[0], drawn[1])  # a new draw for every stage


def test_random_pairing_trains_and_bad_pairings_are_named(teacher_files):
    cfg = dict(distiller_cfg(teacher_files, **ROBUSTSEG), type='RobustSegDistiller',
               prototype_pairing='random', regularization_pairing='random')
    model = MODELS.build(cfg).train()
    wrapper = OptimWrapper(torch.optim.AdamW(model.parameters(), lr=1e-3))
    losses = model.train_step(labelled_batch(), wrapper)
    assert torch.isfinite(losses['loss_hpdm']) and torch.isfinite(losses['loss_rrm'])
    with pytest.raises(ValueError, match="prototype_pairing='shuffled'"):
        MODELS.build(dict(cfg, prototype_pairing='shuffled'))
