from .anymodal_backbone import (AnymodalBackbone, check_modality_mask, mask_weights,
                                split_modalities, weighted_modality_sum)
from .cmnext import CMNeXt
from .cmx import CMX
from .magic_mit import MAGICMiT
from .multimodal_backbone import MultiModalBackbone
from .multimodal_mit import MultiModalMiT, fold_modalities

__all__ = [
    'AnymodalBackbone', 'CMNeXt', 'CMX', 'MAGICMiT', 'MultiModalBackbone', 'MultiModalMiT',
    'check_modality_mask', 'fold_modalities', 'mask_weights', 'split_modalities', 'weighted_modality_sum'
]
