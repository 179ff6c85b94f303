from .anymodal_data_preprocessor import AnymodalDataPreProcessor

__all__ = ['AnymodalDataPreProcessor']
