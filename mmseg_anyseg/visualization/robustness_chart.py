"""Tables and charts of the sensor-failure robustness benchmark (EMM, RMM, NM)."""
from typing import Dict, List, Sequence

import matplotlib

matplotlib.use('Agg')
import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402

#: Scenario name -> (family, label), in the benchmark's order.
SCENARIOS: Dict[str, tuple] = {
    'emm_drop': ('EMM', 'EMM, missing dropped'),
    'emm_zero': ('EMM', 'EMM, missing zero-filled'),
    'rmm_r025': ('RMM', 'RMM, rate 0.25'),
    'rmm_r050': ('RMM', 'RMM, rate 0.50'),
    'rmm_r075': ('RMM', 'RMM, rate 0.75'),
    'nm_low': ('NM', 'NM, low'),
    'nm_mid': ('NM', 'NM, mid'),
    'nm_high': ('NM', 'NM, high'),
}


def scenario_row(result: dict) -> Dict[str, float]:
    """The benchmark's figures of one scenario from an ``AnymodalIoUMetric`` JSON:
    its aggregates (``Avg``, ``E(p=...)``) and the full set's mIoU (``Full``)."""
    full = next(reversed(list(result['subsets'])))
    return dict(result.get('robustness', {}), Full=result['subsets'][full]['IoU'])


def robustness_markdown(models: Dict[str, Dict[str, dict]]) -> str:
    """One row per model and scenario: Avg, E(p) and the full set's mIoU.

    Args:
        models: Model name -> scenario name -> ``AnymodalIoUMetric`` JSON.
    """
    columns: List[str] = []
    rows = []
    for model, scenarios in models.items():
        for name, result in scenarios.items():
            figures = scenario_row(result)
            columns += [c for c in figures if c not in columns]
            rows.append((model, SCENARIOS.get(name, (None, name))[1], figures))
    columns = [c for c in columns if c != 'Full'] + ['Full']
    header = ['Model', 'Scenario'] + [f'mIoU {c}' if c != 'Full' else 'mIoU all modalities'
                                      for c in columns]
    lines = ['| ' + ' | '.join(header) + ' |', '|---|---|' + '---:|' * len(columns)]
    for model, label, figures in rows:
        cells = ' | '.join(f'{figures[c]:.2f}' if c in figures else '—' for c in columns)
        lines.append(f'| {model} | {label} | {cells} |')
    return '\n'.join(lines)


def plot_robustness(models: Dict[str, Dict[str, dict]], out_file: str,
                    keys: Sequence[str] = ('Avg', 'Full')) -> None:
    """Bars per scenario: ``mIoU^Avg`` over subsets and the all-modality mIoU, per model."""
    names = list(next(iter(models.values())))
    fig, axes = plt.subplots(1, len(keys), figsize=(max(6, 1.1 * len(names)) * len(keys) / 1.4,
                                                     3.6), squeeze=False)
    width = 0.8 / len(models)
    x = np.arange(len(names))
    for ax, key in zip(axes[0], keys):
        for i, (model, scenarios) in enumerate(models.items()):
            values = [scenario_row(scenarios[n]).get(key, np.nan) for n in names]
            ax.bar(x + (i - (len(models) - 1) / 2) * width, values, width, label=model)
        ax.set_xticks(x, [SCENARIOS.get(n, (None, n))[1] for n in names], rotation=35,
                      ha='right', fontsize='small')
        ax.set_ylabel('mIoU (%)')
        ax.set_title('mean over modality subsets' if key == 'Avg' else 'all modalities')
        ax.grid(axis='y', alpha=0.3)
    axes[0][0].legend(fontsize='small')
    fig.tight_layout()
    fig.savefig(out_file, dpi=120)
    plt.close(fig)
