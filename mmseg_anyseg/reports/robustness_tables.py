"""The sensor-failure benchmark's figures as data and Markdown."""
from typing import Dict, List, Sequence, Tuple

import numpy as np

from ..robustness import shipped_scenarios

#: Model name -> one entry per seed: scenario name -> ``AnymodalIoUMetric`` JSON.
SeededModels = Dict[str, Sequence[Dict[str, dict]]]


def scenario_label(name: str) -> str:
    """The label of a shipped scenario (its name for any other)."""
    return shipped_scenarios().get(name, {}).get('label', name)


def scenario_row(result: dict) -> Dict[str, float]:
    """The benchmark's figures of one scenario from an ``AnymodalIoUMetric`` JSON:
    its aggregates (``Avg``, ``E(p=...)``) and the full set's mIoU (``Full``)."""
    full = next(reversed(list(result['subsets'])))
    return dict(result.get('robustness', {}), Full=result['subsets'][full]['IoU'])


def scenario_statistics(seeds: Sequence[dict]) -> Dict[str, Tuple[float, float]]:
    """Mean and sample std over seeds (std 0 for one) of each figure of one scenario.

    Args:
        seeds: The scenario's ``AnymodalIoUMetric`` JSON of each seed.

    Returns:
        Figure name (:func:`scenario_row`) -> ``(mean, std)``.
    """
    rows = [scenario_row(result) for result in seeds]
    stats = {}
    for key in rows[0]:
        values = np.array([row[key] for row in rows])
        stats[key] = (float(values.mean()), float(values.std(ddof=1)) if len(values) > 1 else 0.)
    return stats


def robustness_markdown(models: SeededModels) -> str:
    """One row per model and scenario: Avg, E(p) and the full set's mIoU.

    With several seeds a cell is ``mean ± std`` over them.

    Args:
        models: Model name -> per seed, scenario name -> ``AnymodalIoUMetric`` JSON.
    """
    columns: List[str] = []
    rows = []
    for model, seeds in models.items():
        for name in seeds[0]:
            figures = scenario_statistics([seed[name] for seed in seeds])
            columns += [c for c in figures if c not in columns]
            rows.append((model, len(seeds), scenario_label(name), figures))
    columns = [c for c in columns if c != 'Full'] + ['Full']
    header = ['Model', 'seeds', 'Scenario'] + [f'mIoU {c}' if c != 'Full' else
                                               'mIoU all modalities' for c in columns]
    lines = ['| ' + ' | '.join(header) + ' |', '|---|---:|---|' + '---:|' * len(columns)]
    for model, count, label, figures in rows:
        cells = ' | '.join(
            '—' if c not in figures else f'{figures[c][0]:.2f}' if count == 1 else
            f'{figures[c][0]:.2f} ± {figures[c][1]:.2f}' for c in columns)
        lines.append(f'| {model} | {count} | {label} | {cells} |')
    return '\n'.join(lines)
