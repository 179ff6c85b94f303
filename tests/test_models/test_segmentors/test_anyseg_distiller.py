import copy
import json
import os
import os.path as osp

import pytest
import torch
from mmengine.config import Config
from mmengine.optim import OptimWrapper
from mmengine.runner import save_checkpoint
from mmseg.registry import MODELS

from mmseg_anyseg.utils import KEPT_KEY
from tests.helpers import PAPER_EQUATION_LOSSES, anymodal_model, anymodal_preprocessor
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
    kwargs.setdefault('distill_losses', copy.deepcopy(PAPER_EQUATION_LOSSES))
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
    assert all(isinstance(c, torch.nn.Conv2d) for c in model.connectors['to_teacher'].convs)  # 8 -> 16
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


FUSED_KD = dict(loss=dict(type='UnimodalDistillLoss', loss_weight=3.0),
                inputs=dict(student='student.fused_slot', teacher='teacher.fused_slot',
                            modality_mask='one_slot'))


def with_losses(**entries):
    """The default loss table (MAD, UMD, CMD) with entries added, replaced or removed."""
    return dict(distill_losses=dict(copy.deepcopy(PAPER_EQUATION_LOSSES), **entries))


def test_fused_feature_distillation_adds_a_term(teacher_files):
    """Table 8: KD on fused features is added to the full loss, not swapped for UMD."""
    model = MODELS.build(distiller_cfg(teacher_files, **with_losses(fused_kd=FUSED_KD)))
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
    with pytest.raises(ValueError, match=(
            r"AnySegDistiller: teacher checkpoint .*teacher\.pth does not fit config .*other\.py: "
            r"the checkpoint is backbone stage widths \[16, 16, 32, 32\], 25 classes, \d+ tensors; "
            r"the config builds backbone stage widths \[32, 32, 64, 64\], 25 classes, \d+ tensors\. "
            r"\d+ of another shape \(.*\)\. Likely fix: the backbones differ")):
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
    inputs, mask = model.student.training_view(data['inputs'], metas, 'zero')
    assert torch.equal(mask, present)
    dropped = present & ~kept
    assert bool((inputs[dropped] == 0).all())
    assert torch.equal(inputs[kept], data['inputs'][kept])  # the teacher's inputs stay whole
    assert not bool((data['inputs'][dropped] == 0).all())


# -------------------------------------------------------------- the loss table
PINNED = json.load(open(osp.join(osp.dirname(__file__), '..', '..', 'data',
                                 'pinned_distill_losses.json')))
RELEASED = dict(
    mad=dict(loss=dict(type='ModalityAgnosticDistillLoss', loss_weight=50.0,
                       channel_reduction='mean', resolution='input')),
    umd=dict(loss=dict(type='UnimodalDistillLoss', loss_weight=5.0, channel_reduction='mean',
                       modality_reduction='sum', softmax_axis='height')),
    cmd=dict(loss=dict(type='CrossModalDistillLoss', loss_weight=10.0, mode='released')))
HPDM = dict(loss=dict(type='PrototypeDistillLoss', loss_weight=100.0, prototype_norm='released'),
            inputs=dict(student='student.connected', teacher='teacher.features', kept='kept',
                        labels='labels'))
RRM = dict(loss=dict(type='FunctionalEntropyRegLoss', loss_weight=12.0, reg_lambda=1e-5,
                     num_samples=2),
           inputs=dict(student='student.connected', teacher='teacher.features', kept='kept'))


def released_table(**changes):
    table = {name: dict(PAPER_EQUATION_LOSSES[name], loss=entry['loss'])
             for name, entry in RELEASED.items()}
    for name, entry in changes.items():
        table[name] = entry
    return table


PINNED_TABLES = dict(
    anyseg=released_table(),
    anyseg_paper_eqs=released_table(
        umd=dict(PAPER_EQUATION_LOSSES['umd'], loss=dict(RELEASED['umd']['loss'],
                                                          softmax_axis='channel')),
        cmd=dict(PAPER_EQUATION_LOSSES['cmd'], loss=dict(RELEASED['cmd']['loss'],
                                                          mode='literal'))),
    fused_kd=released_table(fused=dict(FUSED_KD, loss=dict(FUSED_KD['loss'], loss_weight=5.0))),
    robustseg=released_table(umd=None, cmd=None, hpdm=HPDM, rrm=RRM))


@pytest.mark.parametrize('variant', sorted(PINNED))
def test_per_term_losses_equal_their_values_before_the_loss_table(tmp_path, variant):
    """AnySeg (released and paper forms), fused KD and RobustSeg as tables of the one
    distiller give, for fixed weights and a fixed batch, the per-term training losses that
    AnySegDistiller's loss slots and RobustSegDistiller gave (tests/data/
    pinned_distill_losses.json, computed at commit fb98799 with the same seeds)."""
    cfg = dict(model=anymodal_model(embed_dims=16, size=(32, 32)), default_scope='mmseg')
    Config(cfg).dump(str(tmp_path / 'teacher.py'))
    torch.manual_seed(1)
    save_checkpoint(dict(state_dict=MODELS.build(cfg['model']).state_dict(), meta=dict(iter=1)),
                    str(tmp_path / 'teacher.pth'))
    teacher = dict(config=str(tmp_path / 'teacher.py'), checkpoint=str(tmp_path / 'teacher.pth'))
    torch.manual_seed(0)
    model = MODELS.build(distiller_cfg(teacher, distill_losses=PINNED_TABLES[variant])).train()
    torch.manual_seed(2)
    data = model.data_preprocessor(labelled_batch(), training=True)
    losses = model.loss(data['inputs'], data['data_samples'])
    assert set(losses) == set(PINNED[variant])
    for name, value in PINNED[variant].items():
        assert float(losses[name]) == pytest.approx(value, rel=1e-5, abs=1e-6), name


def test_a_new_loss_is_a_config_entry(teacher_files):
    """A loss no code knows about, wired to record fields by the config alone."""
    from mmengine.model import BaseModule

    @MODELS.register_module(force=True)
    class _LogitGap(BaseModule):

        def forward(self, student, teacher):
            return (student - teacher).abs().mean()

    entry = dict(loss=dict(type='_LogitGap'), log_name='loss_logit_gap',
                 inputs=dict(student='student.logits', teacher='teacher.logits'))
    model = MODELS.build(distiller_cfg(teacher_files, **with_losses(gap=entry, umd=None)))
    wrapper = OptimWrapper(torch.optim.SGD(model.parameters(), lr=1e-3))
    losses = model.train_step(labelled_batch(), wrapper)
    assert {'loss_logit_gap', 'loss_mad', 'loss_cmd'} <= set(losses) and 'loss_umd' not in losses
    assert losses['loss_logit_gap'] > 0


def test_the_teacher_runs_only_for_a_table_that_reads_it(teacher_files, monkeypatch):
    """A full-set path alone reads no teacher field: its steps run no teacher pass, and its
    losses are those of the same step with the teacher run; a declared field that decodes
    the teacher again (subset KD) needs it."""
    full_path = dict(loss=dict(type='LabelCrossEntropyLoss'),
                     inputs=dict(logits='student.on_present.logits', labels='labels'))
    fields = {'student.on_present.logits': dict(type='StudentOnAllPresent', output='logits'),
              'teacher.on_kept.logits': dict(type='TeacherOnSubset', mask='kept',
                                             output='logits')}
    without = dict(distill_losses=dict(mad=None, umd=None, cmd=None, full_path=full_path),
                   record_fields=fields)
    model = MODELS.build(distiller_cfg(teacher_files, **without))
    subset_kd = dict(loss=dict(type='GatedLogitDistillLoss', gate='correct'),
                     inputs=dict(student_logits='student.logits',
                                 teacher_logits='teacher.on_kept.logits', labels='labels'))
    needing = MODELS.build(distiller_cfg(teacher_files, record_fields=fields, distill_losses=dict(
        mad=None, umd=None, cmd=None, subset_kd=subset_kd)))
    assert not model.teacher_in_step and needing.teacher_in_step
    assert MODELS.build(distiller_cfg(teacher_files)).teacher_in_step  # the paper's table

    model.train()
    data = model.data_preprocessor(labelled_batch(), True)
    forced = type(model).teacher_forward
    calls = []
    monkeypatch.setattr(type(model), 'teacher_forward',
                        lambda self, *a: calls.append(1) or forced(self, *a))
    torch.manual_seed(0)
    skipped = model.loss(data['inputs'], data['data_samples'])
    assert not calls
    model.teacher_in_step = True
    torch.manual_seed(0)
    run = model.loss(data['inputs'], data['data_samples'])
    assert calls == [1] and set(skipped) == set(run) >= {'decode.loss_ce', 'loss_full_path'}
    for name in run:
        torch.testing.assert_close(skipped[name], run[name])


def test_bad_tables_are_named(teacher_files):
    with pytest.raises(ValueError, match=r"distill_losses.gap.inputs reads unknown fields "
                       r"\{'student': 'student.logit'\}"):
        MODELS.build(distiller_cfg(teacher_files, **with_losses(
            gap=dict(loss=dict(type='UnimodalDistillLoss'), inputs=dict(student='student.logit')))))
    with pytest.raises(ValueError, match=r'distill_losses.gap must be dict\(loss=..., inputs='):
        MODELS.build(distiller_cfg(teacher_files, **with_losses(
            gap=dict(type='UnimodalDistillLoss'))))
    with pytest.raises(ValueError, match="'umd' and 'again' both log 'loss_umd'"):
        MODELS.build(distiller_cfg(teacher_files, **with_losses(
            again=dict(PAPER_EQUATION_LOSSES['umd'], log_name='loss_umd'))))
    with pytest.raises(ValueError, match=r"distill_losses.umd.inputs do not fit "
                       r"UnimodalDistillLoss.forward.*unknown arguments \['modality_msk'\]; "
                       r"missing arguments \['modality_mask'\]"):
        MODELS.build(distiller_cfg(teacher_files, **with_losses(umd=dict(
            PAPER_EQUATION_LOSSES['umd'], inputs=dict(student='student.connected',
                                                       teacher='teacher.features',
                                                       modality_msk='kept')))))
    with pytest.raises(ValueError, match='distill_losses.umd.loss sets loss_name; the entry is '
                       'logged as loss_umd'):
        MODELS.build(distiller_cfg(teacher_files, **with_losses(umd=dict(
            PAPER_EQUATION_LOSSES['umd'], loss=dict(type='UnimodalDistillLoss',
                                                     loss_name='loss_x')))))
    with pytest.raises(ValueError, match=r"record_fields.gap \(StageOf\) reads unknown fields "
                       r"\['student.feature'\]"):
        MODELS.build(distiller_cfg(teacher_files, record_fields={
            'gap': dict(type='StageOf', source='student.feature', stage=0)}))
    with pytest.raises(ValueError, match="record_fields.student.connected uses connector "
                       "'wide'; connectors: \\['to_teacher'\\]"):
        MODELS.build(distiller_cfg(teacher_files, record_fields={
            'student.connected': dict(type='ConnectedFeatures', connector='wide')}))


def test_the_record_holds_the_step_and_draws_partners_anew(teacher_files):
    model = MODELS.build(distiller_cfg(teacher_files)).train()
    model.data_preprocessor.modality_dropout = None  # every modality kept: partners vary
    data = model.data_preprocessor(labelled_batch(), True)
    record = model.record(data['inputs'], data['data_samples'])
    assert record['student.features'][0].shape[:2] == (2, 4)
    assert record['student.connected'][0].shape[2] == 16  # the teacher's width
    assert record['student.fused_slot'][0].shape[1] == 1 and record['one_slot'].all()
    assert record['labels'].shape == (2, 32, 32) and record['input_size'] == (32, 32)
    torch.manual_seed(0)
    first = record['student.connected_random_partners']
    second = record['student.connected_random_partners']
    assert not all(torch.equal(a, b) for a, b in zip(first, second))
    with pytest.raises(KeyError, match="no field 'teacher.feature'"):
        record['teacher.feature']


ROBUSTSEG = dict(umd=None, cmd=None, hpdm=HPDM, rrm=RRM)


def test_robustseg_is_a_table_of_the_one_distiller(teacher_files):
    """HPDM + RRM (RobustSeg/RobustSeg, tools/train_deliver_mad50_proto_cur_reg.py) train
    through AnySegDistiller; HPDM gets the student's classes and the teacher's widths."""
    model = MODELS.build(distiller_cfg(teacher_files, **with_losses(**ROBUSTSEG))).train()
    assert [p.shape for p in model.distill_losses['hpdm'].global_prototypes()] == [
        (25, 16), (25, 16), (25, 32), (25, 32)]  # the teacher's widths
    wrapper = OptimWrapper(torch.optim.AdamW(model.parameters(), lr=1e-3))
    losses = model.train_step(labelled_batch(), wrapper)
    assert {'decode.loss_ce', 'loss_mad', 'loss_hpdm', 'loss_rrm'} <= set(losses)
    assert 'loss_umd' not in losses and 'loss_cmd' not in losses
    assert all(torch.isfinite(v) for v in losses.values())
    random = dict(inputs=dict(HPDM['inputs'], student='student.connected_random_partners'))
    model = MODELS.build(distiller_cfg(teacher_files, **with_losses(
        **dict(ROBUSTSEG, hpdm=dict(HPDM, **random))))).train()
    losses = model.train_step(labelled_batch(), wrapper)
    assert torch.isfinite(losses['loss_hpdm'])


def test_losses_are_not_built_without_the_teacher_files(tmp_path):
    missing = dict(config=str(tmp_path / 'none.py'), checkpoint=str(tmp_path / 'none.pth'))
    model = MODELS.build(distiller_cfg(missing, **with_losses(**ROBUSTSEG)))
    assert len(model.distill_losses) == 0
    with pytest.raises(FileNotFoundError, match='none.py'):
        model.train()


def test_a_segmentors_checkpoint_initialises_the_student(tmp_path, teacher_files):
    """``load_from`` a plain segmentor's checkpoint (the teacher-initialised recipes)."""
    from mmengine.runner import load_checkpoint
    from mmengine.runner.checkpoint import _load_checkpoint
    source = MODELS.build(anymodal_model(embed_dims=8, size=(32, 32)))
    for p in source.parameters():
        torch.nn.init.normal_(p)
    path = str(tmp_path / 'segmentor.pth')
    save_checkpoint(dict(state_dict=source.state_dict()), path)
    model = MODELS.build(distiller_cfg(teacher_files))
    connectors_before = copy.deepcopy(model.connectors.state_dict())
    load_checkpoint(model, path, strict=False)
    student = model.student.state_dict()
    assert student.keys() == source.state_dict().keys()
    for key, value in source.state_dict().items():
        assert torch.equal(student[key], value), key
    for key, value in model.connectors.state_dict().items():
        assert torch.equal(value, connectors_before[key]), key

    # the distiller's own checkpoint loads as saved, connectors included
    for p in model.parameters():
        torch.nn.init.normal_(p)
    saved = str(tmp_path / 'distiller.pth')
    save_checkpoint(dict(state_dict=model.state_dict()), saved)
    other = MODELS.build(distiller_cfg(teacher_files))
    other.load_state_dict(_load_checkpoint(saved)['state_dict'])
    for key, value in model.state_dict().items():
        assert torch.equal(other.state_dict()[key], value), key


def test_subset_feature_kd_compares_with_the_teacher_on_the_kept_subset(teacher_files):
    """The recipes' ``subset_feature_kd`` entry: 0 for a student with the teacher's weights on
    any kept subset (the teacher is decoded on that subset, not on every modality), positive
    with finite gradients otherwise, and blind to what the dropped modalities hold."""
    recipe = Config.fromfile(osp.join(osp.dirname(__file__), '..', '..', '..', 'configs',
                                      '_base_', 'models', 'recipe_subset_feature_kd.py'))
    table = dict(mad=None, umd=None, cmd=None,
                 subset_feature_kd=recipe.subset_feature_kd.to_dict())
    fields = recipe.subset_feature_fields.to_dict()
    twin_cfg = distiller_cfg(teacher_files, distill_losses=table, record_fields=fields)
    twin_cfg['student'] = anymodal_model(embed_dims=16, size=(32, 32))
    twin = MODELS.build(twin_cfg).eval()
    twin.student.load_state_dict(twin.load_teacher().state_dict())
    student = MODELS.build(distiller_cfg(teacher_files, distill_losses=copy.deepcopy(table),
                                         record_fields=copy.deepcopy(fields))).train()

    def kept_rd(model, data):
        model.data_preprocessor.modality_dropout = None
        data = model.data_preprocessor(data, True)
        for sample in data['data_samples']:
            sample.set_metainfo({KEPT_KEY: (True, True, False, False)})
        return data

    data = kept_rd(twin, labelled_batch())
    assert float(twin.loss(data['inputs'], data['data_samples'])['loss_subset_feature_kd']) \
        == pytest.approx(0.0, abs=1e-6)
    data = kept_rd(student, labelled_batch())
    torch.manual_seed(0)
    loss = student.loss(data['inputs'], data['data_samples'])['loss_subset_feature_kd']
    assert float(loss) > 0
    loss.backward()
    grads = [p.grad for p in student.student.parameters() if p.grad is not None]
    assert grads and all(torch.isfinite(g).all() for g in grads)
    changed = labelled_batch()
    for sample_inputs in changed['inputs']:  # [M * C, H, W]: event and LiDAR are dropped
        sample_inputs[6:] = 255 - sample_inputs[6:]
    changed = kept_rd(student, changed)
    torch.manual_seed(0)
    again = student.loss(changed['inputs'], changed['data_samples'])['loss_subset_feature_kd']
    torch.testing.assert_close(again, loss.detach())
