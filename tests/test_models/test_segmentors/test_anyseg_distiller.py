import copy
import os
import os.path as osp

import pytest
import torch
from mmengine.config import Config
from mmengine.optim import OptimWrapper
from mmengine.runner import save_checkpoint
from mmseg.registry import MODELS

from tests.helpers import anymodal_model, anymodal_preprocessor
from tests.test_models.test_data_preprocessor import batch


@pytest.fixture
def teacher_files(tmp_path):
    """A tiny wider teacher (embed 16) as its own config file and checkpoint."""
    cfg = dict(model=anymodal_model(embed_dims=16, size=(32, 32)), default_scope='mmseg')
    config = str(tmp_path / 'teacher.py')
    Config(cfg).dump(config)
    torch.manual_seed(1)
    teacher = MODELS.build(cfg['model'])
    checkpoint = str(tmp_path / 'teacher.pth')
    save_checkpoint(dict(state_dict=teacher.state_dict(), meta=dict(iter=1)), checkpoint)
    return dict(config=config, checkpoint=checkpoint)


def distiller_cfg(teacher, **kwargs):
    return dict(type='AnySegDistiller',
                data_preprocessor=anymodal_preprocessor(size=(32, 32),
                                                        modality_dropout=dict(type='subset')),
                student=anymodal_model(embed_dims=8, size=(32, 32)), teacher=teacher, **kwargs)


def labelled_batch():
    data = batch([(True, True, True, True), (True, True, False, True)], size=(32, 32))
    torch.manual_seed(0)
    data['inputs'] = [torch.randint(0, 255, x.shape, dtype=torch.uint8) for x in data['inputs']]
    for s in data['data_samples']:
        s.gt_sem_seg.data = torch.randint(0, 25, s.gt_sem_seg.data.shape)
    return data


def test_teacher_frozen_student_learns_and_losses_logged(teacher_files):
    model = MODELS.build(distiller_cfg(teacher_files))
    model.train()
    assert not model.teacher.training
    assert not any(k.startswith('teacher') for k in model.state_dict())
    assert all(isinstance(c, torch.nn.Conv2d) for c in model.connectors)  # 8 -> 16 wide
    teacher_before = copy.deepcopy(model.teacher.state_dict())
    student_before = copy.deepcopy(model.student.state_dict())
    wrapper = OptimWrapper(torch.optim.AdamW(model.parameters(), lr=1e-2))
    optimised = {id(p) for group in wrapper.optimizer.param_groups for p in group['params']}
    assert not optimised & {id(p) for p in model.teacher.parameters()}
    for _ in range(3):
        losses = model.train_step(labelled_batch(), wrapper)
    assert {'decode.loss_ce', 'loss_mad', 'loss_umd', 'loss_cmd'} <= set(losses)
    assert all(torch.isfinite(v) for v in losses.values())
    for key, value in model.teacher.state_dict().items():
        assert torch.equal(value, teacher_before[key]), key
    changed = [k for k, v in model.student.state_dict().items()
               if v.is_floating_point() and not torch.equal(v, student_before[k])]
    assert len(changed) > 10


def test_teacher_forward_equals_the_teachers_own_decoding(teacher_files):
    """The shared decoding of the teacher's logits is the stock head on fused features."""
    model = MODELS.build(distiller_cfg(teacher_files))
    data = model.data_preprocessor(labelled_batch(), True)
    present = torch.tensor([[True, True, True, True], [True, True, False, True]])
    per_modality, fused, logits = model.teacher_forward(data['inputs'], present)
    with torch.no_grad():
        expected_fused = model.teacher.backbone(data['inputs'], present)
        expected = model.teacher.decode_head(expected_fused)
    assert not logits.requires_grad and logits.shape == expected.shape
    torch.testing.assert_close(logits, expected, rtol=1e-4, atol=1e-5)
    for ours, ref in zip(fused, expected_fused):
        torch.testing.assert_close(ours, ref)
    assert torch.all(per_modality[0][1, 2] == 0)


def test_prediction_uses_the_student(teacher_files):
    model = MODELS.build(distiller_cfg(teacher_files)).eval()
    data = labelled_batch()
    with torch.no_grad():
        out = model.test_step(copy.deepcopy(data))
        expected = model.student.test_step(copy.deepcopy(data))
    assert torch.equal(out[0].pred_sem_seg.data, expected[0].pred_sem_seg.data)


def test_fused_feature_distillation_adds_a_term(teacher_files):
    """Table 8: KD on fused features is added to the full loss, not swapped for UMD."""
    fused = dict(type='UnimodalDistillLoss', loss_weight=3.0, loss_name='loss_fused_kd')
    model = MODELS.build(distiller_cfg(teacher_files, fused_loss=fused))
    wrapper = OptimWrapper(torch.optim.SGD(model.parameters(), lr=1e-3))
    losses = model.train_step(labelled_batch(), wrapper)
    assert {'loss_umd', 'loss_cmd', 'loss_mad', 'loss_fused_kd'} <= set(losses)
    assert losses['loss_fused_kd'] > 0


def test_bad_teachers_fail_when_training_starts_never_at_test_time(tmp_path, teacher_files):
    """A missing teacher checkpoint or config is an error when the model is put in training
    mode (before mmengine's first iteration); the student still predicts without them."""
    data = labelled_batch()
    missing = dict(teacher_files, checkpoint=str(tmp_path / 'nope.pth'))
    model = MODELS.build(distiller_cfg(missing)).eval()
    with torch.no_grad():
        assert len(model.test_step(copy.deepcopy(data))) == 2
    with pytest.raises(FileNotFoundError, match='teacher checkpoint not found.*nope.pth.*train '
                       'the teacher first'):
        model.train()
    no_config = dict(teacher_files, config='configs/nowhere/teacher.py')
    model = MODELS.build(distiller_cfg(no_config)).eval()
    assert model.teacher is None and len(model.connectors) == 0
    with torch.no_grad():
        assert len(model.test_step(copy.deepcopy(data))) == 2
    with pytest.raises(FileNotFoundError) as info:
        model.train()
    message = str(info.value)
    assert "teacher config not found: 'configs/nowhere/teacher.py' (resolved to " in message
    assert osp.join(os.getcwd(), 'configs/nowhere/teacher.py') in message
    assert 'train the teacher' not in message

    other = dict(model=anymodal_model(embed_dims=32, size=(32, 32)), default_scope='mmseg')
    other_config = str(tmp_path / 'other.py')
    Config(other).dump(other_config)
    with pytest.raises(RuntimeError, match='does not match the teacher config'):
        MODELS.build(distiller_cfg(dict(teacher_files, config=other_config))).train()

    three = dict(model=anymodal_model(('rgb', 'depth', 'lidar'), embed_dims=16, size=(32, 32)),
                 default_scope='mmseg')
    three_config = str(tmp_path / 'three.py')
    Config(three).dump(three_config)
    torch.manual_seed(1)
    ckpt = str(tmp_path / 'three.pth')
    save_checkpoint(dict(state_dict=MODELS.build(three['model']).state_dict()), ckpt)
    with pytest.raises(ValueError, match='num_modalities: student 4, teacher 3'):
        MODELS.build(distiller_cfg(dict(config=three_config, checkpoint=ckpt)))


def test_zero_fill_dropout_feeds_dropped_modalities_as_zero_images(teacher_files):
    cfg = distiller_cfg(teacher_files)
    cfg['data_preprocessor']['modality_dropout'] = dict(type='subset', fill='zero')
    model = MODELS.build(cfg).train()
    torch.manual_seed(5)
    data = model.data_preprocessor(labelled_batch(), True)
    metas = [s.metainfo for s in data['data_samples']]
    kept = torch.tensor([m['modality_mask'] for m in metas])
    present = torch.tensor([m['modality_present'] for m in metas])
    assert bool((present & ~kept).any())  # something was dropped
    inputs, mask = model.student.training_view(data['inputs'], metas)
    assert torch.equal(mask, present)
    dropped = present & ~kept
    assert bool((inputs[dropped] == 0).all())
    assert torch.equal(inputs[kept], data['inputs'][kept])  # the teacher's inputs stay whole
    assert not bool((data['inputs'][dropped] == 0).all())
