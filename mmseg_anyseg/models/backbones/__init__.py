from .multimodal_backbone import MultiModalBackbone
from .multimodal_mit import (MultiModalMiT, check_modality_mask, fold_modalities,
                             fuse_modalities, masked_modality_mean)

__all__ = [
    'MultiModalBackbone', 'MultiModalMiT', 'check_modality_mask', 'fold_modalities',
    'fuse_modalities', 'masked_modality_mean'
]
