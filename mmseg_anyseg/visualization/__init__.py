from .anymodal_chart import plot_anymodal, plot_learning_curves, plot_seed_statistics
from .anymodal_figure import anymodal_figure, colourise
from .anymodal_visualizer import AnymodalSegLocalVisualizer
from .robustness_chart import plot_robustness

__all__ = [
    'AnymodalSegLocalVisualizer', 'anymodal_figure', 'colourise', 'plot_anymodal',
    'plot_learning_curves', 'plot_seed_statistics', 'plot_robustness'
]
