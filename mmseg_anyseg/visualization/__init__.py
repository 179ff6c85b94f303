from .anymodal_chart import anymodal_markdown, load_anymodal_results, plot_anymodal
from .anymodal_figure import anymodal_figure, colourise

__all__ = [
    'anymodal_figure', 'anymodal_markdown', 'colourise', 'load_anymodal_results', 'plot_anymodal'
]
