"""Results as data and Markdown tables (the charts are in :mod:`mmseg_anyseg.visualization`)."""
from .anymodal_tables import (anymodal_markdown, load_anymodal_results, seed_statistics,
                              seeds_markdown)
from .robustness_tables import (SeededModels, robustness_markdown, scenario_label, scenario_row,
                                scenario_statistics)

__all__ = [
    'anymodal_markdown', 'load_anymodal_results', 'seed_statistics', 'seeds_markdown',
    'SeededModels', 'robustness_markdown', 'scenario_label', 'scenario_row',
    'scenario_statistics'
]
