"""mIoU of every modality subset, as in the paper's anymodal tables."""
import os.path as osp
from collections import OrderedDict
from typing import Dict, List, Optional, Sequence

import numpy as np
import torch
from mmengine.fileio import dump
from mmengine.logging import MMLogger, print_log
from mmseg.evaluation import IoUMetric
from mmseg.registry import METRICS
from prettytable import PrettyTable

from ..robustness_aggregates import EXPECTATION_PROBS, robustness_aggregates
from ...utils import modality_mask, subset_name


@METRICS.register_module()
class AnymodalIoUMetric(IoUMetric):
    """IoU metrics for every evaluated modality subset, plus their mean.

    Reads the per-subset predictions that :class:`AnymodalEncoderDecoder`
    writes when its ``test_cfg`` has ``subsets`` (``subset_pred_sem_seg``,
    one backbone pass per modality). Without them, the usual ``pred_sem_seg``
    is evaluated as the single subset of the modalities the model used.

    Reports, for every subset, mIoU, mAcc and mFscore, and their mean over the
    subsets (``mIoU`` is that mean, so ``save_best='mIoU'`` picks the best
    anymodal model). When every non-empty subset was evaluated, it also
    reports the sensor-failure benchmark's aggregates (``mIoU^Avg`` and
    ``mIoU^E(p)`` for each p in ``expectation_probs``, see
    :mod:`mmseg_anyseg.evaluation.robustness_aggregates`). Titles and the JSON file
    record the missing-modality convention (``drop`` or ``zero``) and any
    test-time corruption the model applied. Prints the paper-style table
    (columns R, D, E, L, RD, ..., RDEL, Mean) and the per-class IoU of the
    largest subset. With ``split_by``
    the same table is also computed per value of a metainfo key, such as the
    weather ``condition`` or the sensor-failure ``case`` of DELIVER (Table 9).

    Args:
        subsets: Subset names (e.g. ``['R', 'RD']``) to report, in order; all
            predicted subsets when None.
        split_by: Metainfo keys to also split the evaluation by.
        out_file: Write all figures to this JSON file (read by
            ``tools/analysis_tools/anymodal_table.py``).
        model_name: Name of the model in the JSON file.
        expectation_probs: Failure probabilities p of the ``E(p)`` aggregate.
        **kwargs: Passed to :class:`mmseg.evaluation.IoUMetric`.
    """

    default_prefix: Optional[str] = None

    def __init__(self,
                 subsets: Optional[Sequence[str]] = None,
                 split_by: Sequence[str] = (),
                 out_file: Optional[str] = None,
                 model_name: str = 'model',
                 expectation_probs: Sequence[float] = EXPECTATION_PROBS,
                 **kwargs) -> None:
        kwargs.setdefault('iou_metrics', ['mIoU', 'mFscore'])
        super().__init__(**kwargs)
        self.subsets = list(subsets) if subsets is not None else None
        self.split_by = tuple(split_by)
        self.out_file = out_file
        self.model_name = model_name
        self.expectation_probs = tuple(expectation_probs)

    def process(self, data_batch: dict, data_samples: Sequence[dict]) -> None:
        num_classes = len(self.dataset_meta['classes'])
        for sample in data_samples:
            label = sample['gt_sem_seg']['data'].squeeze(0)
            if 'subset_pred_sem_seg' in sample:
                preds = sample['subset_pred_sem_seg']['data']
                names = list(sample['subset_names'])
                valid = list(sample['subset_valid'])
            else:
                preds = sample['pred_sem_seg']['data']
                names = ['All']
                if 'modalities' in sample:
                    kept = modality_mask(sample)
                    names = [subset_name([m for m, k in zip(sample['modalities'], kept) if k])]
                valid = [True]
            areas = torch.stack([
                torch.stack(self.intersect_and_union(pred.to(label), label, num_classes,
                                                     self.ignore_index))
                for pred in preds
            ]).cpu()
            splits = {key: str(sample.get(key)) for key in self.split_by}
            protocol = dict(missing=sample.get('missing_convention', 'drop'),
                            corruption=sample.get('corruption'))
            self.results.append(dict(areas=areas, names=names, valid=valid, splits=splits,
                                     protocol=protocol))

    def _summarise(self, results: List[dict]) -> 'OrderedDict[str, dict]':
        """Per subset name: summed areas and the metrics computed from them."""
        totals: Dict[str, torch.Tensor] = OrderedDict()
        for result in results:
            for name, ok, area in zip(result['names'], result['valid'], result['areas']):
                if ok:
                    totals[name] = totals.get(name, 0) + area.double()
        order = self.subsets or sorted(totals, key=lambda n: (len(n), _first_seen(results, n)))
        missing = [n for n in order if n not in totals]
        if missing:
            raise KeyError(f'AnymodalIoUMetric: no prediction for subsets {missing}; the model '
                           f'predicted {list(totals)} (set model.test_cfg.subsets)')
        summary = OrderedDict()
        for name in order:
            inter, union, pred, label = totals[name]
            metrics = self.total_area_to_metrics(inter, union, pred, label, self.metrics,
                                                 self.nan_to_num, self.beta)
            summary[name] = {
                key: (np.nanmean(value) * 100 if key != 'aAcc' else float(value) * 100)
                for key, value in metrics.items() if key != 'Precision' and key != 'Recall'
            }
            summary[name]['per_class_IoU'] = (metrics['IoU'] * 100).tolist()
        return summary

    def _table(self, summary: 'OrderedDict[str, dict]', title: str) -> str:
        keys = [k for k in ('IoU', 'Acc', 'Fscore') if k in next(iter(summary.values()))]
        table = PrettyTable()
        table.title = title
        table.field_names = ['metric'] + list(summary) + ['Mean']
        for key in keys:
            values = [summary[n][key] for n in summary]
            table.add_row([f'm{key}'] + [f'{v:.2f}' for v in values] +
                          [f'{np.mean(values):.2f}'])
        return table.get_string()

    def _robustness(self, summary: 'OrderedDict[str, dict]') -> Dict[str, float]:
        modalities = self.dataset_meta.get('modalities') if self.dataset_meta else None
        num_mod = len(modalities) if modalities else max(len(n) for n in summary)
        return robustness_aggregates({n: v['IoU'] for n, v in summary.items()},
                                     {n: len(n) for n in summary}, num_mod,
                                     self.expectation_probs)

    @staticmethod
    def _protocol(results: List[dict]) -> dict:
        protocol = results[0].get('protocol', dict(missing='drop', corruption=None))
        if any(r.get('protocol', protocol) != protocol for r in results):
            raise ValueError('AnymodalIoUMetric: the evaluated samples were predicted under '
                             'different missing-modality conventions or corruptions')
        return protocol

    @staticmethod
    def _protocol_title(protocol: dict) -> str:
        title = f"missing modalities: {protocol['missing']}"
        corruption = protocol.get('corruption')
        if corruption:
            details = ', '.join(f'{k}={v}' for k, v in corruption.items()
                                if k in ('rate', 'level', 'seed'))
            title += f"; corruption: {corruption['type']} ({details})"
        return title

    def compute_metrics(self, results: list) -> Dict[str, float]:
        logger: MMLogger = MMLogger.get_current_instance()
        summary = self._summarise(results)
        protocol = self._protocol(results)
        title = f'Anymodal evaluation ({self._protocol_title(protocol)})'
        print_log('\n' + self._table(summary, title), logger)
        robustness = self._robustness(summary)
        if robustness:
            table = PrettyTable(field_names=['mIoU'] + list(robustness))
            table.title = f'Sensor-failure aggregates ({self._protocol_title(protocol)})'
            table.add_row(['%'] + [f'{v:.2f}' for v in robustness.values()])
            print_log('\n' + table.get_string(), logger)
        full = next(reversed(summary))
        classes = self.dataset_meta['classes']
        per_class = PrettyTable(field_names=['class', f'IoU ({full})'])
        for cls, iou in zip(classes, summary[full]['per_class_IoU']):
            per_class.add_row([cls, f'{iou:.2f}'])
        print_log('\n' + per_class.get_string(), logger)

        metrics: Dict[str, float] = OrderedDict()
        for key in ('IoU', 'Acc', 'Fscore'):
            if key in summary[full]:
                metrics[f'm{key}'] = float(np.mean([s[key] for s in summary.values()]))
        for name, values in summary.items():
            for key in ('IoU', 'Acc', 'Fscore'):
                if key in values:
                    metrics[f'm{key}/{name}'] = float(values[key])
        for name, value in robustness.items():
            metrics[f'mIoU_{name}'] = float(value)

        splits = OrderedDict()
        for key in self.split_by:
            for value in sorted({r['splits'][key] for r in results}):
                part = self._summarise([r for r in results if r['splits'][key] == value])
                print_log('\n' + self._table(part, f'{key} = {value}'), logger)
                splits[f'{key}={value}'] = part
                metrics[f'mIoU/{key}={value}'] = float(np.mean([s['IoU'] for s in part.values()]))

        if self.out_file:
            dump(dict(model=self.model_name, classes=list(classes), protocol=protocol,
                      subsets=summary, robustness=robustness, splits=splits,
                      mean={k: v for k, v in metrics.items() if '/' not in k}),
                 self.out_file, indent=2)
            print_log(f'anymodal results written to {osp.abspath(self.out_file)}', logger)
        return metrics


def _first_seen(results: List[dict], name: str) -> int:
    for result in results:
        if name in result['names']:
            return result['names'].index(name)
    return len(results)
