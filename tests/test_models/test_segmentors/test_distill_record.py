"""The open record: declared fields, their values, and a field + loss added by config alone."""
import copy
import json
import sys
import textwrap

import pytest
import torch
from mmengine.config import Config
from mmengine.runner import Runner
from mmseg.registry import MODELS

from mmseg_anyseg.models.segmentors import (DistillRecord, StageConnectors,
                                            random_modality_partners)
from tests.test_models.test_segmentors.test_anyseg_distiller import (distiller_cfg,
                                                                     labelled_batch,
                                                                     teacher_files)  # noqa: F401
from tests.helpers import PAPER_EQUATION_LOSSES, runner_cfg

FIELDS = {
    'teacher.subset_logits': dict(type='TeacherOnSubset', mask='kept'),
    'student.all_logits': dict(type='StudentOnAllPresent', output='logits'),
    'student.all_fused': dict(type='StudentOnAllPresent', output='fused'),
    'student.stage3': dict(type='StageOf', source='student.features', stage=3),
}


def recorded(teacher_files, **kwargs):  # noqa: F811
    model = MODELS.build(distiller_cfg(teacher_files, record_fields=FIELDS, **kwargs)).train()
    torch.manual_seed(3)
    data = model.data_preprocessor(labelled_batch(), True)
    return model, model.record(data['inputs'], data['data_samples'])


def test_declared_fields_compute_what_they_say(teacher_files):  # noqa: F811
    model, record = recorded(teacher_files)
    kept, present = record['kept'], record['present']
    assert bool((kept != present).any())  # the dropout dropped something
    with torch.no_grad():  # the teacher decoded on the student's kept subset, by hand
        fused = [(f * kept[:, :, None, None, None]).sum(1) / kept.sum(1)[:, None, None, None]
                 for f in record['teacher.features']]
        expected = model.teacher.decode_head(fused)
    torch.testing.assert_close(record['teacher.subset_logits'], expected, rtol=1e-4, atol=1e-5)
    assert not torch.allclose(record['teacher.subset_logits'], record['teacher.logits'])
    # the student on every present modality: its own predict path with that mask
    full = model.student.fuse_and_decode(
        model.student.backbone.forward_modalities(record['inputs'], present), present)[1]
    torch.testing.assert_close(record['student.all_logits'], full)
    assert record['student.all_logits'].requires_grad  # it trains the student
    assert record['student.all_fused'][0].shape == record['student.fused'][0].shape
    assert len(record['student.stage3']) == 1
    assert record['student.stage3'][0] is record['student.features'][3]
    # computed once per step: a second read is the same object
    assert record['teacher.subset_logits'] is record['teacher.subset_logits']
    assert 'teacher.subset_logits' in record.names()


def test_a_masked_modality_contributes_nothing_to_the_subset_decoding(teacher_files):  # noqa: F811
    _, record = recorded(teacher_files)
    features = [f.clone() for f in record['teacher.features']]
    dropped = record['present'] & ~record['kept']
    for f in features:
        f[dropped] = 1e3
    scrambled = DistillRecord(dict(record._values, **{'teacher.features': features}),
                              record._fields, record.student, record.teacher, record.connectors)
    for key in ('teacher.subset_logits', ):
        scrambled._values.pop(key, None)
    torch.testing.assert_close(scrambled['teacher.subset_logits'],
                               record['teacher.subset_logits'])


def test_connectors_are_named_in_the_state_dict(teacher_files):  # noqa: F811
    model = MODELS.build(distiller_cfg(teacher_files, connectors=dict(
        wide=dict(type='StageConnectors', out_channels=[32, 32, 64, 64])), record_fields={
            'student.wide': dict(type='ConnectedFeatures', connector='wide')}))
    keys = [k for k in model.state_dict() if k.startswith('connectors.')]
    assert 'connectors.to_teacher.convs.0.weight' in keys
    assert 'connectors.wide.convs.3.weight' in keys
    assert model.connectors['wide'].convs[3].out_channels == 64
    with pytest.raises(ValueError, match=r'StageConnectors: 2 input stages \(\[8, 16\]\) against '
                       r'1 output stages'):
        StageConnectors([8, 16], [8])


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


NEW_FIELD_AND_LOSS = textwrap.dedent('''
    """A record field and a loss that the package has never seen."""
    import torch
    from mmengine.model import BaseModule
    from mmseg.registry import MODELS, TASK_UTILS

    from mmseg_anyseg.models.segmentors import RecordField


    @TASK_UTILS.register_module()
    class ConfidenceGap(RecordField):
        reads = ('teacher.logits', 'student.logits')

        def __call__(self, record):
            t = record['teacher.logits'].softmax(1).amax(1)
            s = record['student.logits'].softmax(1).amax(1)
            return (t - s).clamp(min=0)


    @MODELS.register_module()
    class MeanOf(BaseModule):
        def __init__(self, loss_weight=1.0):
            super().__init__()
            self.loss_weight = loss_weight

        def forward(self, gap):
            return self.loss_weight * gap.mean()
''')


@pytest.mark.slow
def test_a_new_field_and_loss_train_through_the_runner_from_config_alone(
        tmp_path, synthetic_deliver, teacher_files, monkeypatch):  # noqa: F811
    (tmp_path / 'my_distill_plugin.py').write_text(NEW_FIELD_AND_LOSS)
    monkeypatch.syspath_prepend(str(tmp_path))
    table = dict(copy.deepcopy(PAPER_EQUATION_LOSSES),
                 gap=dict(loss=dict(type='MeanOf', loss_weight=2.0), inputs=dict(gap='confidence')))
    model = distiller_cfg(teacher_files, distill_losses=table,
                          record_fields=dict(confidence=dict(type='ConfidenceGap')))
    cfg = runner_cfg(str(tmp_path / 'work'), synthetic_deliver, model, max_iters=1)
    cfg['custom_imports'] = dict(imports=['my_distill_plugin'], allow_failed_imports=False)
    Config(cfg).dump(str(tmp_path / 'my_student.py'))  # as a user writes it
    Runner.from_cfg(Config.fromfile(str(tmp_path / 'my_student.py'))).train()
    scalars = [json.loads(line) for line in
               open(next((tmp_path / 'work').glob('*/vis_data/scalars.json')))]
    assert scalars[0]['loss_gap'] >= 0 and 'loss_umd' in scalars[0]
    sys.modules.pop('my_distill_plugin', None)
