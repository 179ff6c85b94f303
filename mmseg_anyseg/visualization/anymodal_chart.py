"""Tables and charts of anymodal results, from ``AnymodalIoUMetric`` JSON files."""
import json
from typing import List, Optional, Sequence, Tuple

import matplotlib

matplotlib.use('Agg')
import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402


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


def _grouped_bars(names: Sequence[str], series: Sequence[Tuple[str, list, Optional[list]]],
                  out_file: str, ylabel: str) -> None:
    """Bars per subset name, one colour per series ``(label, values, errors or None)``."""
    width = 0.8 / len(series)
    fig, ax = plt.subplots(figsize=(max(6, 0.6 * len(names) * max(1, len(series) / 2)), 3.5))
    x = np.arange(len(names))
    for i, (label, values, errors) in enumerate(series):
        ax.bar(x + (i - (len(series) - 1) / 2) * width, values, width, yerr=errors,
               capsize=2 if errors is not None else 0, label=label)
    ax.set_xticks(x, names)
    ax.set_ylabel(ylabel)
    ax.set_xlabel('modality subset')
    ax.legend(loc='lower right', fontsize='small')
    ax.grid(axis='y', alpha=0.3)
    fig.tight_layout()
    fig.savefig(out_file, dpi=120)
    plt.close(fig)


def plot_anymodal(results: Sequence[dict], out_file: str, metric: str = 'IoU') -> None:
    """Bar chart of the metric per subset, one bar group per subset, one colour per model."""
    names = list(results[0]['subsets'])
    series = []
    for result in results:
        values = [result['subsets'].get(n, {}).get(metric, np.nan) for n in names]
        series.append((result['model'], values + [np.nanmean(values)], None))
    _grouped_bars(names + ['Mean'], series, out_file, f'm{metric} (%)')


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


def plot_seed_statistics(rows: Sequence[Tuple[str, dict]], out_file: str,
                         metric: str = 'IoU') -> None:
    """Bar chart of the mean over seeds per subset with ± std error bars."""
    series = [(label, stats['mean'], stats['std']) for label, stats in rows]
    _grouped_bars(rows[0][1]['names'], series, out_file, f'm{metric} (%), mean ± std over seeds')
