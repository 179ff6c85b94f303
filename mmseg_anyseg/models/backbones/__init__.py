from .multimodal_mit import MultiModalMiT, check_modality_mask, masked_modality_mean

__all__ = ['MultiModalMiT', 'check_modality_mask', 'masked_modality_mean']
