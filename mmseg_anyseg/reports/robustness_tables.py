"""The sensor-failure benchmark's figures as data and Markdown."""
from typing import Dict, List

from ..robustness import shipped_scenarios


def scenario_label(name: str) -> str:
    """The label of a shipped scenario (its name for any other)."""
    return shipped_scenarios().get(name, {}).get('label', name)


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
            rows.append((model, scenario_label(name), figures))
    columns = [c for c in columns if c != 'Full'] + ['Full']
    header = ['Model', 'Scenario'] + [f'mIoU {c}' if c != 'Full' else 'mIoU all modalities'
                                      for c in columns]
    lines = ['| ' + ' | '.join(header) + ' |', '|---|---|' + '---:|' * len(columns)]
    for model, label, figures in rows:
        cells = ' | '.join(f'{figures[c]:.2f}' if c in figures else '—' for c in columns)
        lines.append(f'| {model} | {label} | {cells} |')
    return '\n'.join(lines)
