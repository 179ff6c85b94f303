"""The authors' photometric augmentation against torchvision, camera modalities only."""
import numpy as np
import pytest
import torch
import torchvision.transforms.functional as TF
from mmseg.registry import TRANSFORMS

from mmseg_anyseg.datasets.transforms import MultiModalColorJitter


def stacked(seed: int = 0) -> dict:
    rng = np.random.default_rng(seed)
    img = rng.integers(0, 256, (9, 11, 12), dtype=np.uint8)
    return dict(img=img, modalities=('rgb', 'depth', 'event', 'lidar'),
                modality_present=(True, True, True, True),
                gt_seg_map=rng.integers(0, 25, (9, 11)).astype(np.uint8))


def as_tensor(img: np.ndarray) -> torch.Tensor:
    return torch.from_numpy(np.ascontiguousarray(img.transpose(2, 0, 1)))


@pytest.mark.parametrize('factors', [(0.5, 1.5, 0.7), (1.4, 0.6, 1.5), (1.0, 1.0, 1.0)])
def test_color_jitter_equals_torchvision(factors):
    camera = stacked()['img'][..., :3]
    brightness, contrast, saturation = factors
    expected = TF.adjust_saturation(TF.adjust_contrast(TF.adjust_brightness(
        as_tensor(camera), brightness), contrast), saturation)
    out = MultiModalColorJitter.jitter(camera, brightness, contrast, saturation)
    assert out.dtype == np.uint8
    np.testing.assert_array_equal(as_tensor(out).numpy(), expected.numpy())


def test_gaussian_blur_equals_torchvision():
    camera = stacked(1)['img'][..., :3]
    blur = TRANSFORMS.build(dict(type='MultiModalGaussianBlur', prob=1.0))
    expected = TF.gaussian_blur(as_tensor(camera), [3, 3])
    np.testing.assert_array_equal(as_tensor(blur.apply(camera)).numpy(), expected.numpy())
    with pytest.raises(ValueError, match='kernel_size'):
        TRANSFORMS.build(dict(type='MultiModalGaussianBlur', kernel_size=4))


@pytest.mark.parametrize('kind', ['MultiModalColorJitter', 'MultiModalGaussianBlur'])
def test_only_camera_modalities_change_with_probability_prob(kind):
    np.random.seed(0)
    always = TRANSFORMS.build(dict(type=kind, prob=1.0))
    never = TRANSFORMS.build(dict(type=kind, prob=0.0))
    sample = stacked()
    original = sample['img'].copy()
    out = always(dict(sample))['img']
    assert not np.array_equal(out[..., :3], original[..., :3])
    np.testing.assert_array_equal(out[..., 3:], original[..., 3:])
    np.testing.assert_array_equal(never(dict(sample))['img'], original)
    half = TRANSFORMS.build(dict(type=kind, prob=0.2))
    changed = np.mean([not np.array_equal(half(stacked())['img'], original)
                       for _ in range(500)])
    assert changed == pytest.approx(0.2, abs=0.05)


def test_remap_label():
    remap = TRANSFORMS.build(dict(type='RemapLabel', mapping={255: 0, 0: 7}))
    label = np.array([[0, 255, 3]], np.uint8)
    assert remap(dict(gt_seg_map=label))['gt_seg_map'].tolist() == [[7, 0, 3]]
