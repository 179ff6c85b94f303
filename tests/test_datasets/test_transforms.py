"""Geometric augmentation keeps every modality and the label pixel-aligned."""
import numpy as np
from mmcv.transforms import Compose

import mmseg_anyseg  # noqa: F401


def aligned_sample(seed: int = 0) -> dict:
    """Modalities that are each a known function of the label."""
    rng = np.random.default_rng(seed)
    label = rng.integers(0, 20, (40, 56)).astype(np.uint8)
    label = np.kron(label[::4, ::4], np.ones((4, 4), np.uint8))[:40, :56]
    img = np.concatenate([np.repeat((label * (k + 2))[..., None], 3, axis=2) for k in range(4)],
                         axis=2)
    return dict(img=img, gt_seg_map=label.copy(), seg_fields=['gt_seg_map'],
                img_shape=label.shape, ori_shape=label.shape,
                modalities=('rgb', 'depth', 'event', 'lidar'),
                modality_present=(True, True, True, True))


def test_geometric_augmentation_keeps_alignment():
    pipeline = Compose([
        dict(type='RandomResize', scale=(56, 40), ratio_range=(0.5, 2.0), keep_ratio=True,
             resize_type='MultiModalResize', interpolation='nearest'),
        dict(type='RandomCrop', crop_size=(24, 24)),
        dict(type='RandomFlip', prob=0.5),
    ])
    for seed in range(8):
        out = pipeline(aligned_sample(seed))
        label = out['gt_seg_map'].astype(np.int64)
        for k in range(4):
            np.testing.assert_array_equal(out['img'][..., 3 * k].astype(np.int64),
                                          (label * (k + 2)) % 256)
        assert out['img'].shape[:2] == label.shape


def test_sparse_modalities_use_nearest_and_dense_use_bilinear():
    sample = aligned_sample()
    sample['img'][..., :3] = (sample['gt_seg_map'] * 10)[..., None]
    sample['img'][..., 9:] = 0
    sample['img'][::5, ::7, 9:] = 255  # sparse LiDAR returns
    resize = Compose([dict(type='MultiModalResize', scale=(112, 80), keep_ratio=False,
                           modality_interpolation=dict(lidar='nearest'))])
    camera_values = set(np.unique(sample['img'][..., 0]))
    out = resize(sample)
    assert set(np.unique(out['img'][..., 9:])) == {0, 255}
    blended = set(np.unique(out['img'][..., 0])) - camera_values
    assert blended  # bilinear camera resize creates values between classes


def test_photometric_distortion_touches_the_camera_only():
    np.random.seed(0)  # each distortion is applied with probability 0.5
    distort = Compose([dict(type='MultiModalPhotoMetricDistortion', brightness_delta=64,
                            contrast_range=(0.2, 0.3))])
    camera_changed = []
    for seed in range(6):
        sample = aligned_sample(seed)
        before = sample['img'].copy()
        out = distort(sample)
        camera_changed.append(not np.array_equal(out['img'][..., :3], before[..., :3]))
        np.testing.assert_array_equal(out['img'][..., 3:], before[..., 3:])
        assert out['img'].dtype == np.uint8
    assert any(camera_changed)
