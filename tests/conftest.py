"""Shared fixtures: tiny datasets written in the real on-disk layouts."""
import os.path as osp
from typing import Dict

import numpy as np
import pytest
from PIL import Image

from mmseg.utils import register_all_modules

import mmseg_anyseg  # noqa: F401  (registers the plugin)
from mmseg_anyseg.datasets.synthetic import write_synthetic_deliver

register_all_modules(init_default_scope=True)

REPO_ROOT = osp.dirname(osp.dirname(osp.abspath(__file__)))


@pytest.fixture(scope='session')
def synthetic_deliver(tmp_path_factory) -> str:
    """A small synthetic DELIVER tree (32x32 frames) in the exact layout."""
    root = str(tmp_path_factory.mktemp('synthetic_deliver'))
    write_synthetic_deliver(root, size=32, seed=0,
                            frames=dict(train=(2, 1), val=(1, 1), test=(1, 0)), progress=False)
    return root


def save_png(path: str, array: np.ndarray) -> None:
    import os
    os.makedirs(osp.dirname(path), exist_ok=True)
    Image.fromarray(array).save(path)


@pytest.fixture
def muses_tree(tmp_path) -> Dict[str, str]:
    """Two MUSES frames (clear/day, snow/night) with projected event and LiDAR PNGs."""
    root = str(tmp_path / 'muses')
    rng = np.random.default_rng(0)
    stems = {}
    for weather, time in (('clear', 'day'), ('snow', 'night')):
        stem = f'REC0001_frame_{weather}'
        rel = osp.join('val', weather, time)
        for folder in ('frame_camera', 'event_camera', 'lidar'):
            save_png(osp.join(root, folder, rel, f'{stem}_{folder}.png'),
                     rng.integers(0, 255, (16, 24, 3), dtype=np.uint8))
        label = rng.integers(0, 19, (16, 24)).astype(np.uint8)
        label[0, 0] = 255
        save_png(osp.join(root, 'gt_semantic', rel, f'{stem}_gt_labelTrainIds.png'), label)
        stems[weather] = stem
    return dict(root=root, **stems)
