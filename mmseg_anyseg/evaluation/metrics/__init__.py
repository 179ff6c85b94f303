from .anymodal_iou_metric import AnymodalIoUMetric

__all__ = ['AnymodalIoUMetric']
