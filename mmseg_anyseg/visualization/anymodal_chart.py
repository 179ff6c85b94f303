"""Charts of anymodal results, from ``AnymodalIoUMetric`` JSON files."""
from typing import Optional, Sequence, Tuple

import matplotlib

matplotlib.use('Agg')
import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402


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


def plot_seed_statistics(rows: Sequence[Tuple[str, dict]], out_file: str,
                         metric: str = 'IoU') -> None:
    """Bar chart of the mean over seeds per subset with ± std error bars."""
    series = [(label, stats['mean'], stats['std']) for label, stats in rows]
    _grouped_bars(rows[0][1]['names'], series, out_file, f'm{metric} (%), mean ± std over seeds')


def plot_learning_curves(curves: Sequence[Tuple[str, dict]], out_file: str) -> None:
    """Mean mIoU over the subsets against training iterations, one line per model.

    Args:
        curves: ``(label, {iteration: mIoU})`` pairs (iterations as strings or numbers).
        out_file: PNG to write.
    """
    fig, ax = plt.subplots(figsize=(6, 3.6))
    for label, curve in curves:
        steps = sorted(int(k) for k in curve)
        ax.plot(steps, [curve[str(s)] if str(s) in curve else curve[s] for s in steps],
                marker='o', label=label)
    ax.set_xscale('log', base=2)
    ax.set_xlabel('training iterations')
    ax.set_ylabel('mean mIoU over the subsets (%)')
    ax.grid(alpha=0.3)
    ax.legend(fontsize=8)
    fig.tight_layout()
    fig.savefig(out_file, dpi=120)
    plt.close(fig)
