from .anymodal_chart import (anymodal_markdown, load_anymodal_results, plot_anymodal,
                             plot_seed_statistics, seed_statistics, seeds_markdown)
from .anymodal_figure import anymodal_figure, colourise
from .anymodal_visualizer import AnymodalSegLocalVisualizer
from .robustness_chart import SCENARIOS, plot_robustness, robustness_markdown

__all__ = [
    'AnymodalSegLocalVisualizer', 'anymodal_figure', 'anymodal_markdown', 'colourise',
    'load_anymodal_results', 'plot_anymodal', 'plot_seed_statistics', 'seed_statistics',
    'seeds_markdown', 'SCENARIOS', 'plot_robustness', 'robustness_markdown'
]
