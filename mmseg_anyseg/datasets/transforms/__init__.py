from .loading import LoadMultiModalAnnotations, LoadMultiModalImages, RemapLabel
from .photometric import MultiModalColorJitter, MultiModalGaussianBlur
from .transforms import MultiModalPhotoMetricDistortion, MultiModalResize, ResizeOnLoad

__all__ = [
    'LoadMultiModalAnnotations', 'LoadMultiModalImages', 'MultiModalColorJitter',
    'MultiModalGaussianBlur', 'MultiModalPhotoMetricDistortion', 'MultiModalResize', 'RemapLabel',
    'ResizeOnLoad'
]
