from .formatting import PackAnymodalInputs, modality_channels
from .geometric import MultiModalResize, ResizeOnLoad
from .loading import LoadMultiModalAnnotations, LoadMultiModalImages, RemapLabel
from .photometric import (MultiModalColorJitter, MultiModalGaussianBlur,
                          MultiModalPhotoMetricDistortion)

__all__ = [
    'LoadMultiModalAnnotations', 'LoadMultiModalImages', 'MultiModalColorJitter',
    'MultiModalGaussianBlur', 'MultiModalPhotoMetricDistortion', 'MultiModalResize',
    'PackAnymodalInputs', 'RemapLabel', 'ResizeOnLoad', 'modality_channels'
]
