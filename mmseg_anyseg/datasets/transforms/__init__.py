from .loading import LoadMultiModalAnnotations, LoadMultiModalImages
from .transforms import MultiModalPhotoMetricDistortion, MultiModalResize

__all__ = [
    'LoadMultiModalAnnotations', 'LoadMultiModalImages', 'MultiModalPhotoMetricDistortion',
    'MultiModalResize'
]
