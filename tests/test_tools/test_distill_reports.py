"""The loss diagnostics and the loss-magnitude table against hand computations."""
import copy
import importlib.util
import json
import math
import os.path as osp

import pytest
import torch
from mmseg.registry import MODELS

from tests.conftest import REPO_ROOT
from tests.helpers import anymodal_model
from tests.test_models.test_data_preprocessor import batch
from tests.test_models.test_segmentors.test_anyseg_distiller import (  # noqa: F401
    distiller_cfg, labelled_batch, teacher_files)


def load_tool(name: str):
    path = osp.join(REPO_ROOT, 'tools', 'analysis_tools', f'{name}.py')
    spec = importlib.util.spec_from_file_location(name, path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_noise_floor_is_zero_in_eval_mode_but_literal_cmd_still_pulls(teacher_files):  # noqa: F811
    """A student with the teacher's weights and every modality kept: in eval mode MAD, UMD
    and CMD are 0 and the similarities match; eq. 5's gradient does not vanish there."""
    diagnostics = load_tool('distill_diagnostics')
    cfg = distiller_cfg(teacher_files)
    cfg['student'] = anymodal_model(embed_dims=16, size=(32, 32))
    model = MODELS.build(cfg)
    model.student.load_state_dict(model.load_teacher().state_dict())
    model.data_preprocessor.modality_dropout = None
    out = diagnostics.term_statistics(model, labelled_batch(), train=False)
    for term in ('loss_mad', 'loss_umd', 'loss_cmd'):
        assert out[term]['value'] == pytest.approx(0.0, abs=1e-6), term
    for stage in range(4):
        assert out[f'S_student/stage{stage}']['value'] == pytest.approx(
            out[f'S_teacher/stage{stage}']['value'], abs=1e-6)
    assert out['loss_mad']['grad_norm'] < 1e-3 and out['loss_umd']['grad_norm'] < 1e-3
    assert out['loss_cmd']['grad_norm'] > 10 * out['loss_mad']['grad_norm'] + 1e-3
    summary = diagnostics.summarise([out, out])
    assert summary['loss_cmd']['batches'] == 2 and summary['loss_cmd']['value_std'] == 0


def test_loss_magnitudes_mean_and_std_over_seeds(tmp_path):
    magnitudes = load_tool('loss_magnitudes')
    paths = []
    for seed, (ce, mad) in enumerate([(2.0, 1.0), (4.0, 3.0)]):
        path = str(tmp_path / f'seed{seed}.scalars.json')
        with open(path, 'w') as f:
            f.write(json.dumps(dict(lr=0.1, iter=10, loss=ce + mad, **{'decode.loss_ce': ce},
                                    loss_mad=mad)) + '\n')
            f.write(json.dumps(dict(mIoU=0.5, step=10)) + '\n')
        paths.append(path)
    rows = magnitudes.tabulate('run', paths, [10])
    assert rows[0]['seeds'] == 2
    assert rows[0]['decode.loss_ce'] == pytest.approx((3.0, 1.0))
    assert rows[0]['loss_mad'] == pytest.approx((2.0, 1.0))
    table = magnitudes.markdown({'run': rows})
    assert '| run | 10 | 2 | 3.000 ± 1.000 |' in table
    with pytest.raises(SystemExit, match='iteration 20'):
        magnitudes.tabulate('run', paths, [20])


def test_kl_and_accuracy_over_the_labelled_pixels_by_hand():
    diagnostics = load_tool('distill_diagnostics')

    def pixels(*scores):  # one row of class scores per pixel -> [1, K, 1, P]
        return torch.tensor(scores).t().reshape(1, len(scores[0]), 1, len(scores))

    target, logits = pixels([0.0, 0.0], [0.0, 2.0]), pixels([0.0, 0.0], [1.0, 0.0])
    # pixel 0: both uniform, KL 0; pixel 1 is not labelled
    assert diagnostics._kl(target, logits, torch.tensor([[[0, 255]]]), 255) == pytest.approx(
        0.0, abs=1e-7)
    p, q = torch.softmax(torch.tensor([0.0, 2.0]), 0), torch.softmax(torch.tensor([1.0, 0.0]), 0)
    assert diagnostics._kl(target, logits, torch.tensor([[[255, 1]]]), 255) == pytest.approx(
        float((p * (p / q).log()).sum()))
    assert diagnostics._accuracy(target, torch.tensor([[[255, 1]]]), 255) == pytest.approx(1.0)
    assert diagnostics._accuracy(logits, torch.tensor([[[0, 1]]]), 255) == pytest.approx(0.5)


def test_per_subset_a_student_with_the_teachers_weights_is_the_teacher_on_each_subset(
        teacher_files):  # noqa: F811
    diagnostics = load_tool('distill_diagnostics')
    cfg = distiller_cfg(teacher_files)
    cfg['student'] = anymodal_model(embed_dims=16, size=(32, 32))
    model = MODELS.build(cfg)
    model.student.load_state_dict(model.load_teacher().state_dict())
    data = labelled_batch()  # its second sample has no event camera
    rd = diagnostics.teacher_distances(model, copy.deepcopy(data), (True, True, False, False))
    assert rd['kl_teacher_subset']['value'] == pytest.approx(0.0, abs=1e-5)
    assert rd['feature_cos_teacher_subset']['value'] == pytest.approx(1.0, abs=1e-5)
    assert rd['student_accuracy']['value'] == rd['teacher_subset_accuracy']['value']
    assert rd['kl_teacher_all']['value'] > 1e-4  # the teacher on every modality sees more
    full = diagnostics.teacher_distances(model, copy.deepcopy(data), (True, ) * 4)
    assert full['kl_teacher_all']['value'] == pytest.approx(0.0, abs=1e-5)
    assert full['student_accuracy']['value'] == full['teacher_all_accuracy']['value']
    with pytest.raises(ValueError, match='has none of the subset E'):
        diagnostics.teacher_distances(model, copy.deepcopy(data), (False, False, True, False))

    complete = batch([(True, ) * 4] * 2, size=(32, 32))
    complete['inputs'] = [torch.randint(0, 255, x.shape, dtype=torch.uint8)
                          for x in complete['inputs']]
    for s in complete['data_samples']:
        s.gt_sem_seg.data = torch.randint(0, 25, s.gt_sem_seg.data.shape)
    results = diagnostics.per_subset(model, [complete])
    assert list(results)[:5] == ['R', 'D', 'E', 'L', 'RD'] and len(results) == 15
    for name, row in results.items():
        assert row['kl_teacher_subset']['value'] < 1e-4, name
        assert math.isfinite(row['loss_mad']['grad_norm']) and row['loss_mad']['value'] > 0
    assert results['RDEL']['loss_mad']['value'] < results['R']['loss_mad']['value']
    table = diagnostics.subset_table(results)
    assert table.count('\n') == 17 and table.splitlines()[2].startswith('| R | ')
