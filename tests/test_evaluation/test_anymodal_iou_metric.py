import json

import numpy as np
import pytest
import torch
from mmseg.registry import METRICS

from mmseg_anyseg.reports import anymodal_markdown, load_anymodal_results
from mmseg_anyseg.visualization import plot_anymodal


def sample(label, preds, names, valid, condition='sun'):
    return dict(gt_sem_seg=dict(data=torch.tensor(label)[None]),
                subset_pred_sem_seg=dict(data=torch.tensor(np.stack(preds))),
                subset_names=names, subset_valid=valid, condition=condition)


def test_per_subset_metrics_mean_and_json(tmp_path):
    out = str(tmp_path / 'anymodal.json')
    metric = METRICS.build(dict(type='AnymodalIoUMetric', split_by=('condition', ),
                                out_file=out, model_name='toy'))
    metric.dataset_meta = dict(classes=('a', 'b'))
    label = np.array([[0, 0], [1, 1]])
    perfect, half = label.copy(), np.array([[0, 0], [0, 0]])
    # subset "R": perfect; subset "D": predicts class 0 everywhere.
    metric.process({}, [sample(label, [perfect, half], ['R', 'D'], [True, True], 'sun')])
    # Second sample: D is invalid (not present) and must not count.
    metric.process({}, [sample(label, [perfect, 1 - label], ['R', 'D'], [True, False], 'fog')])
    results = metric.compute_metrics(metric.results)
    assert results['mIoU/R'] == pytest.approx(100.0)
    assert results['mIoU/D'] == pytest.approx((50.0 + 0.0) / 2)  # IoU a = 2/4, b = 0
    assert results['mIoU'] == pytest.approx((100.0 + 25.0) / 2)
    assert results['mIoU/condition=fog'] == pytest.approx(100.0)  # only R is valid there
    saved = load_anymodal_results([out])[0]
    assert saved['model'] == 'toy' and list(saved['subsets']) == ['R', 'D']
    assert saved['subsets']['D']['per_class_IoU'] == pytest.approx([50.0, 0.0])
    table = anymodal_markdown([saved, dict(saved, model='copy')])
    assert '| toy | 100.00 | 25.00 | 62.50 |' in table
    png = str(tmp_path / 'chart.png')
    plot_anymodal([saved], png)
    with open(png, 'rb') as f:
        assert f.read(4) == b'\x89PNG'


def test_requested_subset_without_prediction_is_a_clear_error():
    metric = METRICS.build(dict(type='AnymodalIoUMetric', subsets=['R', 'RD']))
    metric.dataset_meta = dict(classes=('a', 'b'))
    label = np.zeros((2, 2), int)
    metric.process({}, [sample(label, [label], ['R'], [True])])
    with pytest.raises(KeyError, match='RD'):
        metric.compute_metrics(metric.results)


def test_not_a_result_file(tmp_path):
    path = tmp_path / 'x.json'
    path.write_text(json.dumps(dict(mIoU=1)))
    with pytest.raises(ValueError, match='not an AnymodalIoUMetric result'):
        load_anymodal_results([str(path)])


def authors_metrics(label: np.ndarray, pred: np.ndarray, num_classes: int):
    """mIoU, mAcc, mF1 as the authors' semseg/metrics.py computes them (NaN -> 0)."""
    keep = label != 255
    hist = np.bincount(label[keep] * num_classes + pred[keep],
                       minlength=num_classes**2).reshape(num_classes, num_classes)
    with np.errstate(invalid='ignore', divide='ignore'):
        iou = np.diag(hist) / (hist.sum(0) + hist.sum(1) - np.diag(hist))
        acc = np.diag(hist) / hist.sum(1)
        f1 = 2 * np.diag(hist) / (hist.sum(0) + hist.sum(1))
    return [100 * np.nan_to_num(v, nan=0.0).mean() for v in (iou, acc, f1)]


def test_nan_to_num_zero_scores_absent_classes_as_the_authors_do():
    """Class 2 is in neither prediction nor label, class 3 only in the prediction."""
    label = np.array([[0, 0, 1], [1, 255, 1]])
    pred = np.array([[0, 3, 1], [0, 2, 1]])
    pred[1, 1] = 0  # the ignored pixel; class 2 now absent from both
    expected = authors_metrics(label, pred, 4)
    authors = METRICS.build(dict(type='AnymodalIoUMetric', nan_to_num=0))
    mmseg = METRICS.build(dict(type='AnymodalIoUMetric'))
    for metric in (authors, mmseg):
        metric.dataset_meta = dict(classes=('a', 'b', 'c', 'd'))
        metric.process({}, [sample(label, [pred], ['R'], [True])])
    ours = authors.compute_metrics(authors.results)
    assert [ours['mIoU/R'], ours['mAcc/R'], ours['mFscore/R']] == pytest.approx(expected)
    skipped = mmseg.compute_metrics(mmseg.results)['mIoU/R']
    assert skipped == pytest.approx(expected[0] * 4 / 3)  # class 2 left out of the mean


def test_robustness_aggregates_and_protocol_in_json(tmp_path):
    out = str(tmp_path / 'anymodal.json')
    metric = METRICS.build(dict(type='AnymodalIoUMetric', out_file=out,
                                expectation_probs=(0.2, )))
    metric.dataset_meta = dict(classes=('a', 'b'), modalities=('rgb', 'depth'))
    label = np.array([[0, 0], [1, 1]])
    perfect, half = label.copy(), np.array([[0, 0], [0, 0]])
    item = sample(label, [half, half, perfect], ['R', 'D', 'RD'], [True] * 3)
    item.update(missing_convention='zero', corruption=None)
    metric.process({}, [item])
    results = metric.compute_metrics(metric.results)
    # R and D: 25 each, RD: 100. Avg 50; E(0.2) = (100 * .64 + 25 * .16 * 2) / .96
    assert results['mIoU_Avg'] == pytest.approx(50.0)
    assert results['mIoU_E(p=0.2)'] == pytest.approx((64 + 8) / 0.96)
    saved = json.loads(open(out).read())
    assert saved['protocol'] == dict(missing='zero', corruption=None)
    assert saved['robustness']['E(p=0.2)'] == pytest.approx((64 + 8) / 0.96)
    mixed = METRICS.build(dict(type='AnymodalIoUMetric'))
    mixed.dataset_meta = metric.dataset_meta
    mixed.process({}, [dict(item)])
    mixed.process({}, [dict(item, missing_convention='drop')])
    with pytest.raises(ValueError, match='different missing-modality conventions'):
        mixed.compute_metrics(mixed.results)
