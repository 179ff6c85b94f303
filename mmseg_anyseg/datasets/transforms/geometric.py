"""Resizing of stacked modalities: per-modality interpolation, resizing on load."""
from typing import Dict, Optional

import numpy as np
from mmcv.transforms import Resize
from mmseg.registry import TRANSFORMS

from .formatting import modality_channels


@TRANSFORMS.register_module()
class MultiModalResize(Resize):
    """mmcv's ``Resize`` with an interpolation chosen per modality.

    Dense modalities (camera, depth) are resized with ``interpolation``;
    sparse ones such as LiDAR returns and event counts should use
    ``'nearest'`` so that they are not smeared into dense maps. The scale and
    the label handling are mmcv's, identical for every modality. Use it
    directly or as ``RandomResize(resize_type='MultiModalResize', ...)``.

    Args:
        modality_interpolation: Modality name to interpolation method, for the
            modalities that do not use ``interpolation``.
        **kwargs: Passed to :class:`mmcv.transforms.Resize`.
    """

    def __init__(self, modality_interpolation: Optional[Dict[str, str]] = None, **kwargs) -> None:
        super().__init__(**kwargs)
        self.modality_interpolation = dict(modality_interpolation or {})

    def _resize_img(self, results: dict) -> None:
        if results.get('img') is None or 'modalities' not in results:
            super()._resize_img(results)
            return
        groups: Dict[str, list] = {}
        for modality in results['modalities']:
            method = self.modality_interpolation.get(modality, self.interpolation)
            groups.setdefault(method, []).append(modality_channels(results, modality))
        default = self.interpolation
        resized = {}
        try:
            for method, slices in groups.items():
                self.interpolation = method
                part = dict(results, img=np.concatenate([results['img'][..., s] for s in slices],
                                                        axis=2))
                super()._resize_img(part)
                resized[method] = part
        finally:
            self.interpolation = default
        first = next(iter(resized.values()))
        out = np.empty(first['img'].shape[:2] + results['img'].shape[2:], results['img'].dtype)
        for method, slices in groups.items():
            offset = 0
            for s in slices:
                width = s.stop - s.start
                out[..., s] = resized[method]['img'][..., offset:offset + width]
                offset += width
        results.update({k: first[k] for k in ('img_shape', 'scale_factor', 'keep_ratio')})
        results['img'] = out

    def __repr__(self) -> str:
        return (super().__repr__()[:-1] +
                f', modality_interpolation={self.modality_interpolation})')


@TRANSFORMS.register_module()
class ResizeOnLoad(Resize):
    """mmcv's ``Resize`` whose output size becomes the sample's original size.

    For loaders that resize images and labels as they read them, such as the
    authors' MUSES loader (every modality and the label to 1024x1024): the
    prediction is then scored at the resized size against the resized label,
    not resized back to the size of the files.

    Args:
        **kwargs: Passed to :class:`mmcv.transforms.Resize`.
    """

    def transform(self, results: dict) -> dict:
        results = super().transform(results)
        results['ori_shape'] = results['img_shape']
        return results
