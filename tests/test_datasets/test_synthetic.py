import filecmp
import glob
import os.path as osp

import numpy as np
from PIL import Image

from mmseg_anyseg.datasets.synthetic import render_frame, write_synthetic_deliver


def test_writer_is_deterministic_for_a_seed(tmp_path):
    frames = dict(val=(1, 0))
    for name, seed in (('a', 3), ('b', 3), ('c', 4)):
        write_synthetic_deliver(str(tmp_path / name), size=32, seed=seed, frames=frames,
                                progress=False)
    files = sorted(glob.glob(str(tmp_path / 'a' / '**' / '*.png'), recursive=True))
    assert len(files) == 5 * 6  # 5 weathers x (4 sensors + HHA copy of depth + label)
    rel = [osp.relpath(f, tmp_path / 'a') for f in files]
    assert all(filecmp.cmp(tmp_path / 'a' / r, tmp_path / 'b' / r, shallow=False) for r in rel)
    assert not all(filecmp.cmp(tmp_path / 'a' / r, tmp_path / 'c' / r, shallow=False)
                   for r in rel)


def test_sensors_degrade_as_designed():
    def frame(condition, case=None):
        return render_frame(np.random.default_rng(7), 64, condition, case)

    sun, night = frame('sun'), frame('night')
    assert night['rgb'].mean() < 0.3 * sun['rgb'].mean()  # camera fails at night
    np.testing.assert_array_equal(night['label'], sun['label'])
    assert abs(night['depth'].astype(float).mean() - sun['depth'].astype(float).mean()) < 2
    assert (sun['lidar'][..., 2] > 0).mean() < 0.25  # LiDAR is sparse
    low = frame('sun', 'eventlowres')['event'][..., 2]
    assert (low.reshape(16, 4, 16, 4) == low.reshape(16, 4, 16, 4)[:, :1, :, :1]).all()
    over = frame('sun', 'overexposure')['rgb']
    assert (over == 255).mean() > 0.5
    label = Image.fromarray(sun['label'])
    assert set(np.unique(np.asarray(label))) <= set(range(25))
