"""CMNeXt, CMX and MAGIC inside AnymodalEncoderDecoder, MAGIC's selection, fused teachers."""
import copy

import pytest
import torch
from mmengine.config import Config, ConfigDict
from mmengine.optim import OptimWrapper
from mmengine.runner import save_checkpoint
from mmseg.registry import MODELS

from mmseg_anyseg.models.test_protocol.corruptions import check_corruption, corrupt_batch
from mmseg_anyseg.models.segmentors.magic_encoder_decoder import (agreeing_labels,
                                                                  consistency_loss,
                                                                  select_robust_and_fragile)
from mmseg_anyseg.utils import all_subsets
from tests.helpers import DELIVER_MODALITIES, PAPER_EQUATION_LOSSES, TINY_MIT, anymodal_model
from tests.test_models.test_segmentors.test_anymodal_encoder_decoder import (normalised,
                                                                              predict_plain,
                                                                              predict_subsets)
from tests.test_models.test_segmentors.test_anyseg_distiller import (distiller_cfg,
                                                                     labelled_batch)


def baseline_cfg(kind: str, test_cfg=None) -> dict:
    cfg = anymodal_model(size=(32, 32), test_cfg=test_cfg)
    if kind == 'MAGIC':
        cfg.update(type='MAGICEncoderDecoder')
        cfg['backbone']['type'] = 'MAGICMiT'
    else:
        cfg['backbone'] = dict(type=kind, num_modalities=4, rgb_branch=TINY_MIT)
    return cfg


def build(kind: str, test_cfg=None):
    torch.manual_seed(0)
    return MODELS.build(baseline_cfg(kind, test_cfg)).eval()


def expected_by_hand(model, data, fill):
    """Per subset, the plain prediction on inputs with ``fill(m)`` outside the subset."""
    out = []
    for subset in all_subsets(DELIVER_MODALITIES):
        inputs = data['inputs'].clone()
        for m, name in enumerate(DELIVER_MODALITIES):
            if name not in subset:
                inputs[:, m] = fill(m)
        out.append(predict_plain(model, inputs, data['data_samples']))
    return out


@pytest.mark.parametrize('kind', ['CMNeXt', 'CMX', 'MAGIC'])
def test_zero_convention_equals_feeding_zero_images(kind):
    model = build(kind)
    data = normalised(model, [(True, True, True, True)] * 2)
    shared = predict_subsets(model, data, missing='zero')
    assert shared[0].missing_convention == 'zero'
    expected = expected_by_hand(model, data, lambda m: 0)
    for index, per_row in enumerate(expected):
        for row in range(2):
            assert torch.equal(shared[row].subset_pred_sem_seg.data[index].long(), per_row[row])


def test_fixed_branch_random_missing_damages_the_modalities_outside_each_subset():
    model = build('CMNeXt')
    data = normalised(model, [(True, True, True, True)] * 2)
    corruption = dict(type='random_missing', rate=0.5, seed=3)
    shared = predict_subsets(model, data, missing='zero', corruption=corruption)
    damaged = corrupt_batch(data['inputs'], check_corruption(corruption),
                            ['frame0.png', 'frame1.png'], DELIVER_MODALITIES)
    expected = expected_by_hand(model, data, lambda m: damaged[:, m])
    for index, per_row in enumerate(expected):
        for row in range(2):
            assert torch.equal(shared[row].subset_pred_sem_seg.data[index].long(), per_row[row])


def test_magic_drop_convention_leaves_modalities_out_of_the_aggregation():
    model = build('MAGIC')
    data = normalised(model, [(True, True, True, True)] * 2)
    shared = predict_subsets(model, data, missing='drop')
    assert shared[0].missing_convention == 'drop'
    for index, subset in enumerate(all_subsets(DELIVER_MODALITIES)):
        single = copy.deepcopy(model)
        single.test_cfg = ConfigDict(mode='whole', modalities=subset)
        with torch.no_grad():
            expected = single.predict(data['inputs'].clone(), copy.deepcopy(data['data_samples']))
        for row in range(2):
            assert torch.equal(shared[row].subset_pred_sem_seg.data[index].long(),
                               expected[row].pred_sem_seg.data[0]), subset


def test_fixed_branches_refuse_drop_and_default_to_zero():
    assert build('CMNeXt', ConfigDict(mode='whole')).test_protocol.missing == 'zero'
    assert build('MAGIC', ConfigDict(mode='whole')).test_protocol.missing == 'drop'
    with pytest.raises(ValueError, match="use test_cfg.missing='zero'"):
        build('CMX', ConfigDict(mode='whole', missing='drop'))


def test_fixed_branch_training_zero_fills_the_dropped_modalities():
    model = build('CMNeXt')
    data = normalised(model, [(True, True, True, True)])
    mask = torch.tensor([[True, False, True, False]])
    with torch.no_grad():
        ours = model.extract_feat(data['inputs'], mask)
        inputs = data['inputs'].clone()
        inputs[:, [1, 3]] = 0
        for a, b in zip(ours, model.backbone(inputs)):
            torch.testing.assert_close(a, b)


def test_selection_of_robust_and_fragile_modalities_by_hand():
    aggregated = torch.tensor([[1.0, 0.0]]).view(1, 2, 1, 1)
    per_modality = torch.tensor([[[1.0, 0.1], [0.0, 1.0], [1.0, 1.0], [-1.0, 0.0]]])
    per_modality = per_modality.view(1, 4, 2, 1, 1)
    # cosines: 0.995, 0, 0.707, -1 -> robust 0, fragile 3 (or 1 once 3 is absent)
    selected = select_robust_and_fragile(per_modality, aggregated, torch.ones(1, 4).bool())
    assert selected.tolist() == [[True, False, False, True]]
    selected = select_robust_and_fragile(per_modality, aggregated,
                                         torch.tensor([[True, True, True, False]]))
    assert selected.tolist() == [[True, True, False, False]]
    single = select_robust_and_fragile(per_modality, aggregated,
                                       torch.tensor([[False, False, True, False]]))
    assert single.tolist() == [[False, False, True, False]]


def test_magic_losses_train_both_mams():
    model = build('MAGIC').train()
    wrapper = OptimWrapper(torch.optim.AdamW(model.parameters(), lr=1e-2))
    before = copy.deepcopy(model.state_dict())
    losses = model.train_step(labelled_batch(), wrapper)
    assert {'decode.loss_ce', 'select.loss_ce', 'loss_consistency'} <= set(losses)
    assert all(torch.isfinite(v) for v in losses.values())
    after = model.state_dict()
    for prefix in ('backbone.aggregation.', 'selection_aggregation.'):
        assert any(not torch.equal(v, before[k]) for k, v in after.items()
                   if k.startswith(prefix)), prefix


def test_selective_gt_smoothing_ignores_exactly_the_disagreeing_pixels():
    from mmengine.structures import PixelData
    from mmseg.structures import SegDataSample
    logits = torch.zeros(1, 3, 2, 2)
    logits[0, 0, 0, 0] = logits[0, 1, 0, 1] = logits[0, 2, 1, 0] = logits[0, 1, 1, 1] = 5
    sample = SegDataSample()
    sample.gt_sem_seg = PixelData(data=torch.tensor([[[0, 2], [2, 255]]]))
    masked = agreeing_labels(logits, [sample], 255, align_corners=False)[0]
    # argmax [[0, 1], [2, 1]]: agrees at (0,0) and (1,0); (1,1) was ignored already
    assert masked.gt_sem_seg.data.tolist() == [[[0, 255], [2, 255]]]
    assert sample.gt_sem_seg.data.tolist() == [[[0, 2], [2, 255]]]  # the original is kept


def test_consistency_loss_by_hand():
    torch.manual_seed(0)
    per_modality = torch.randn(2, 4, 3, 2, 2)
    salient = torch.randn(2, 3, 2, 2)
    remaining = torch.tensor([[False, True, True, False], [True, False, False, False]])

    def dist(m):
        cos = (per_modality[0, m] * salient[0]).sum(0) / (
            per_modality[0, m].norm(dim=0) * salient[0].norm(dim=0))
        return torch.softmax(cos.flatten(), 0)

    c1, c2 = dist(1), dist(2)
    mid = (c1 + c2) / 2
    expected = (c1 * torch.log(c1 / mid)).sum() + (c2 * torch.log(c2 / mid)).sum()
    # the second sample has one remaining modality: no pair, so only the first counts
    torch.testing.assert_close(consistency_loss(per_modality, salient, remaining), expected)
    none = consistency_loss(per_modality, salient, torch.zeros(2, 4, dtype=torch.bool))
    assert none.item() == 0


def test_magic_predict_never_runs_the_selection_module():
    model = build('MAGIC')
    assert isinstance(model.selection_aggregation, torch.nn.ModuleList)
    calls = []
    for mam in model.selection_aggregation:
        mam.register_forward_hook(lambda *args: calls.append(1))
    data = normalised(model, [(True, True, True, True)] * 2)
    predict_subsets(model, data, missing='zero')
    assert calls == []


@pytest.fixture
def baseline_teacher(tmp_path, request):
    cfg = dict(model=baseline_cfg(request.param), default_scope='mmseg')
    config = str(tmp_path / 'teacher.py')
    Config(cfg).dump(config)
    torch.manual_seed(1)
    checkpoint = str(tmp_path / 'teacher.pth')
    save_checkpoint(dict(state_dict=MODELS.build(cfg['model']).state_dict()), checkpoint)
    return dict(config=config, checkpoint=checkpoint)


FUSED = dict(fused_kd=dict(loss=dict(type='UnimodalDistillLoss', loss_weight=5.0),
                         inputs=dict(student='student.fused_slot', teacher='teacher.fused_slot',
                                     modality_mask='one_slot')))


def table(**entries):
    return dict(distill_losses=dict(copy.deepcopy(PAPER_EQUATION_LOSSES), **entries))


@pytest.mark.parametrize('baseline_teacher', ['CMNeXt'], indirect=True)
def test_fixed_branch_teacher_needs_fused_distillation(baseline_teacher):
    with pytest.raises(ValueError, match=r"no per-modality features, which distill_losses "
                       r"\['umd', 'cmd'\] read"):
        MODELS.build(distiller_cfg(baseline_teacher))
    model = MODELS.build(distiller_cfg(baseline_teacher, **table(umd=None, cmd=None, **FUSED)))
    data = model.data_preprocessor(labelled_batch(), True)
    present = torch.tensor([[True, True, True, True], [True, True, False, True]])
    per_modality, fused, logits = model.teacher_forward(data['inputs'], present)
    assert per_modality is None
    with torch.no_grad():
        expected = model.teacher.extract_feat(data['inputs'], present)
    for ours, ref in zip(fused, expected):
        torch.testing.assert_close(ours, ref)
    torch.testing.assert_close(logits, model.teacher.decode_head(expected))
    losses = model.train_step(labelled_batch(),
                              OptimWrapper(torch.optim.SGD(model.parameters(), lr=1e-3)))
    assert {'loss_mad', 'loss_fused_kd'} <= set(losses) and 'loss_umd' not in losses


@pytest.mark.parametrize('baseline_teacher', ['MAGIC'], indirect=True)
def test_magic_teacher_logits_go_through_its_aggregation(baseline_teacher):
    model = MODELS.build(distiller_cfg(baseline_teacher, **table(**FUSED)))
    data = model.data_preprocessor(labelled_batch(), True)
    present = torch.tensor([[True, True, True, True], [True, True, False, True]])
    per_modality, fused, logits = model.teacher_forward(data['inputs'], present)
    assert per_modality[0].shape[1] == 4
    with torch.no_grad():
        expected = model.teacher.backbone(data['inputs'], present)
    for ours, ref in zip(fused, expected):
        torch.testing.assert_close(ours, ref)
    torch.testing.assert_close(logits, model.teacher.decode_head(expected))


def test_magic_shared_selection_mam_is_the_inference_mam():
    cfg = baseline_cfg('MAGIC')
    torch.manual_seed(0)
    shared = MODELS.build(dict(cfg, shared_selection_mam=True))
    assert shared.selection_aggregation is None
    assert not any(k.startswith('selection_aggregation') for k in shared.state_dict())
    losses = shared.train_step(labelled_batch(),
                               OptimWrapper(torch.optim.SGD(shared.parameters(), lr=1e-3)))
    assert torch.isfinite(losses['select.loss_ce'])
