from .metrics import AnymodalIoUMetric

__all__ = ['AnymodalIoUMetric']
