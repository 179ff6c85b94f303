from .deliver import DELIVER_CASES, DELIVER_CONDITIONS, DELIVERDataset
from .multimodal_base import MultiModalSegDataset
from .muses import MUSES_TIMES, MUSES_WEATHERS, MUSESDataset
from .transforms import (LoadMultiModalAnnotations, LoadMultiModalImages,
                         MultiModalPhotoMetricDistortion, MultiModalResize)

__all__ = [
    'DELIVER_CASES', 'DELIVER_CONDITIONS', 'DELIVERDataset', 'MultiModalSegDataset',
    'MUSES_TIMES', 'MUSES_WEATHERS', 'MUSESDataset', 'LoadMultiModalAnnotations',
    'LoadMultiModalImages', 'MultiModalPhotoMetricDistortion', 'MultiModalResize'
]
