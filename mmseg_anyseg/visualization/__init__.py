from .anymodal_chart import anymodal_markdown, load_anymodal_results, plot_anymodal

__all__ = ['anymodal_markdown', 'load_anymodal_results', 'plot_anymodal']
