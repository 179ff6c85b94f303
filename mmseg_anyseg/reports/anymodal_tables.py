"""Anymodal results as data and Markdown: ``AnymodalIoUMetric`` JSON files, seed statistics."""
import json
from typing import List, Sequence, Tuple

import numpy as np


def load_anymodal_results(paths: Sequence[str]) -> List[dict]:
    """Read the JSON files written by ``AnymodalIoUMetric(out_file=...)``.

    Raises:
        ValueError: a file is not such a result file.
    """
    results = []
    for path in paths:
        with open(path) as f:
            data = json.load(f)
        if 'subsets' not in data or 'model' not in data:
            raise ValueError(f'{path} is not an AnymodalIoUMetric result file '
                             "(no 'subsets' or 'model' key)")
        results.append(data)
    return results


def anymodal_markdown(results: Sequence[dict], metric: str = 'IoU') -> str:
    """One Markdown row per model: the metric per subset and its mean."""
    names = list(results[0]['subsets'])
    lines = ['| Model | ' + ' | '.join(names) + ' | Mean |',
             '|---|' + '---:|' * (len(names) + 1)]
    for result in results:
        values = [result['subsets'].get(n, {}).get(metric, float('nan')) for n in names]
        cells = ' | '.join(f'{v:.2f}' for v in values)
        lines.append(f"| {result['model']} | {cells} | {np.nanmean(values):.2f} |")
    return '\n'.join(lines)


def seed_statistics(runs: Sequence[dict], metric: str = 'IoU') -> dict:
    """Mean and sample std over seeds of the metric per subset and of the subset mean.

    Args:
        runs: ``AnymodalIoUMetric`` results of one model, one per seed, over the
            same subsets.
        metric: ``'IoU'``, ``'Acc'`` or ``'Fscore'``.

    Returns:
        ``dict(names=[..., 'Mean'], mean=[...], std=[...], seeds=n)``; the std
        is 0 for a single seed.

    Raises:
        ValueError: the runs do not cover the same subsets.
    """
    names = list(runs[0]['subsets'])
    for run in runs[1:]:
        if list(run['subsets']) != names:
            raise ValueError(f"runs of {runs[0]['model']} cover different subsets: {names} and "
                             f"{list(run['subsets'])}")
    values = np.array([[run['subsets'][n][metric] for n in names] for run in runs])
    values = np.concatenate([values, values.mean(axis=1, keepdims=True)], axis=1)
    std = values.std(axis=0, ddof=1) if len(runs) > 1 else np.zeros(values.shape[1])
    return dict(names=names + ['Mean'], mean=values.mean(axis=0).tolist(), std=std.tolist(),
                seeds=len(runs))


def seeds_markdown(rows: Sequence[Tuple[str, dict]]) -> str:
    """One Markdown row per model, ``mean ± std`` over seeds per subset and for the mean."""
    names = rows[0][1]['names']
    lines = ['| Model | seeds | ' + ' | '.join(names) + ' |',
             '|---|---:|' + '---:|' * len(names)]
    for label, stats in rows:
        cells = ' | '.join(f'{m:.2f} ± {s:.2f}' for m, s in zip(stats['mean'], stats['std']))
        lines.append(f"| {label} | {stats['seeds']} | {cells} |")
    return '\n'.join(lines)
