"""Photometric augmentation of the camera modalities only (mmseg's and the authors')."""
from typing import Optional, Sequence, Tuple

import cv2
import numpy as np
from mmcv.transforms import BaseTransform
from mmseg.datasets.transforms import PhotoMetricDistortion
from mmseg.registry import TRANSFORMS

from .formatting import modality_channels

Range = Tuple[float, float]


class CameraModalityTransform(BaseTransform):
    """Base of transforms that change the appearance of camera modalities.

    Each camera modality present in the sample is drawn and transformed on its
    own; depth, event and LiDAR are left untouched.

    Args:
        prob: Probability of transforming each camera modality.
        modalities: The camera modalities (others are ignored).
    """

    def __init__(self, prob: float, modalities: Sequence[str]) -> None:
        if not 0.0 <= prob <= 1.0:
            raise ValueError(f'{type(self).__name__}: prob={prob} must lie in [0, 1]')
        self.prob = prob
        self.modalities = tuple(modalities)

    def apply(self, camera: np.ndarray) -> np.ndarray:
        """Transform one ``H x W x 3`` RGB camera image (the random draw included)."""
        raise NotImplementedError

    def transform(self, results: dict) -> dict:
        present = dict(zip(results['modalities'], results['modality_present']))
        for modality in self.modalities:
            if not present.get(modality, False) or np.random.rand() >= self.prob:
                continue
            s = modality_channels(results, modality)
            results['img'] = results['img'].copy()
            camera = results['img'][..., s]
            if not np.issubdtype(camera.dtype, np.integer):
                # a float stack (full-precision sensor modalities beside an 8-bit camera):
                # the camera's values are whole 0-255 levels, transformed as the uint8 image
                camera = camera.astype(np.uint8)
            results['img'][..., s] = self.apply(camera)
        return results

    def __repr__(self) -> str:
        return f'{type(self).__name__}(prob={self.prob}, modalities={self.modalities})'


def _blend(img: np.ndarray, other, ratio: float) -> np.ndarray:
    """torchvision's ``_blend``: ``ratio * img + (1 - ratio) * other``, clamped, cast."""
    bound = 255.0 if np.issubdtype(img.dtype, np.integer) else 1.0
    out = np.float32(ratio) * img.astype(np.float32) + np.float32(1.0 - ratio) * other
    return np.clip(out, 0, bound).astype(img.dtype)


def _grayscale(img: np.ndarray) -> np.ndarray:
    """torchvision's ``rgb_to_grayscale`` (ITU-R 601-2 luma, cast to the input dtype)."""
    r, g, b = (img[..., c].astype(np.float32) for c in range(3))
    gray = np.float32(0.2989) * r + np.float32(0.587) * g + np.float32(0.114) * b
    return gray.astype(img.dtype)[..., None]


@TRANSFORMS.register_module()
class MultiModalColorJitter(CameraModalityTransform):
    """Brightness, contrast and saturation jitter of the authors' code.

    ``zhengxuJosh/AnySeg`` and ``jamycheung/DELIVER``,
    ``semseg/augmentations_mm.py``, ``RandomColorJitter(p=0.2)``: with
    probability ``prob`` the camera image gets a brightness, then a contrast,
    then a saturation factor, each uniform in its range, applied as
    torchvision's ``adjust_*`` functions do on uint8 images (blend with black,
    with the mean grey level, with the greyscale image; clamp; truncate).

    Args:
        prob: Probability of jittering each camera modality.
        brightness: Range of the brightness factor.
        contrast: Range of the contrast factor.
        saturation: Range of the saturation factor.
        modalities: The camera modalities.
    """

    def __init__(self, prob: float = 0.2, brightness: Range = (0.5, 1.5),
                 contrast: Range = (0.5, 1.5), saturation: Range = (0.5, 1.5),
                 modalities: Sequence[str] = ('rgb', 'frame')) -> None:
        super().__init__(prob, modalities)
        self.ranges = (tuple(brightness), tuple(contrast), tuple(saturation))

    def apply(self, camera: np.ndarray) -> np.ndarray:
        brightness, contrast, saturation = (np.random.uniform(*r) for r in self.ranges)
        return self.jitter(camera, brightness, contrast, saturation)

    @staticmethod
    def jitter(camera: np.ndarray, brightness: float, contrast: float,
               saturation: float) -> np.ndarray:
        """Apply the three factors in the authors' order to an ``H x W x 3`` image."""
        img = _blend(camera, np.float32(0.0), brightness)
        img = _blend(img, _grayscale(img).astype(np.float32).mean(dtype=np.float32), contrast)
        return _blend(img, _grayscale(img).astype(np.float32), saturation)


@TRANSFORMS.register_module()
class MultiModalGaussianBlur(CameraModalityTransform):
    """Gaussian blur of the authors' code (``RandomGaussianBlur((3, 3), p=0.2)``).

    torchvision's ``gaussian_blur`` semantics: a separable kernel of
    ``kernel_size`` with ``sigma = 0.3 * ((kernel_size - 1) * 0.5 - 1) + 0.8``
    when not given (0.8 for 3), reflect padding, rounding back to integers.

    Args:
        prob: Probability of blurring each camera modality.
        kernel_size: Odd kernel size.
        sigma: Standard deviation; torchvision's default for the size if None.
        modalities: The camera modalities.
    """

    def __init__(self, prob: float = 0.2, kernel_size: int = 3, sigma: Optional[float] = None,
                 modalities: Sequence[str] = ('rgb', 'frame')) -> None:
        super().__init__(prob, modalities)
        if kernel_size < 1 or kernel_size % 2 == 0:
            raise ValueError(f'MultiModalGaussianBlur: kernel_size={kernel_size} must be odd')
        self.kernel_size = kernel_size
        self.sigma = sigma if sigma is not None else 0.3 * ((kernel_size - 1) * 0.5 - 1) + 0.8

    def apply(self, camera: np.ndarray) -> np.ndarray:
        half = (self.kernel_size - 1) * 0.5
        x = np.linspace(-half, half, self.kernel_size)
        kernel = np.exp(-0.5 * (x / self.sigma)**2)
        kernel = (kernel / kernel.sum()).astype(np.float32)
        out = cv2.sepFilter2D(camera.astype(np.float32), -1, kernel, kernel,
                              borderType=cv2.BORDER_REFLECT_101)
        if np.issubdtype(camera.dtype, np.integer):
            out = np.round(out)
        return out.astype(camera.dtype)


@TRANSFORMS.register_module()
class MultiModalPhotoMetricDistortion(PhotoMetricDistortion):
    """mmseg's ``PhotoMetricDistortion`` applied to camera modalities only.

    Depth, event and LiDAR encode measurements, not appearance, so brightness,
    contrast, saturation and hue jitter must not touch them. Each camera
    modality present in the sample gets its own random draw.

    Args:
        modalities: The camera modalities to distort (others are ignored).
        **kwargs: Passed to :class:`mmseg.datasets.transforms.PhotoMetricDistortion`.
    """

    def __init__(self, modalities: Sequence[str] = ('rgb', 'frame'), **kwargs) -> None:
        super().__init__(**kwargs)
        self.modalities = tuple(modalities)

    def transform(self, results: dict) -> dict:
        present = dict(zip(results['modalities'], results['modality_present']))
        for modality in self.modalities:
            if not present.get(modality, False):
                continue
            s = modality_channels(results, modality)
            # PhotoMetricDistortion works on BGR images; modalities are stored RGB.
            camera = np.ascontiguousarray(results['img'][..., s][..., ::-1])
            camera = super().transform(dict(img=camera))['img'][..., ::-1]
            img = results['img'].astype(np.result_type(results['img'], camera))
            img[..., s] = camera
            results['img'] = img
        return results

    def __repr__(self) -> str:
        return super().__repr__() + f'(modalities={self.modalities})'
