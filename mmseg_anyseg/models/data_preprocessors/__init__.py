from .anymodal_data_preprocessor import AnymodalDataPreProcessor, modality_mask_of

__all__ = ['AnymodalDataPreProcessor', 'modality_mask_of']
