from .cmnext import CMNeXt
from .cmx import CMX
from .magic_mit import MAGICMiT
from .multimodal_backbone import MultiModalBackbone
from .multimodal_mit import (MultiModalMiT, check_modality_mask, fold_modalities,
                             fuse_modalities, masked_modality_mean)

__all__ = [
    'CMNeXt', 'CMX', 'MAGICMiT', 'MultiModalBackbone', 'MultiModalMiT', 'check_modality_mask',
    'fold_modalities', 'fuse_modalities', 'masked_modality_mean'
]
