"""The visualizer draws samples scored at a resized size (the authors' evaluation resize)."""
import os.path as osp

import mmcv
import numpy as np
import torch
from mmengine.structures import PixelData
from mmseg.structures import SegDataSample

from mmseg_anyseg.visualization import AnymodalSegLocalVisualizer


def test_image_of_the_files_size_is_drawn_at_the_label_size(tmp_path):
    rng = np.random.default_rng(0)
    paths = {}
    for modality in ('rgb', 'lidar'):
        paths[modality] = str(tmp_path / f'{modality}.png')
        mmcv.imwrite(rng.integers(0, 255, (40, 40, 3), dtype=np.uint8), paths[modality])
    sample = SegDataSample(metainfo=dict(modalities=('rgb', 'lidar'), modality_present=(True, True),
                                         modality_paths=paths))
    sample.gt_sem_seg = PixelData(data=torch.randint(0, 3, (1, 32, 32)))
    sample.pred_sem_seg = PixelData(data=torch.randint(0, 3, (1, 32, 32)))
    visualizer = AnymodalSegLocalVisualizer(name='test_resized_sample', save_dir=str(tmp_path))
    visualizer.dataset_meta = dict(classes=('a', 'b', 'c'),
                                   palette=[[255, 0, 0], [0, 255, 0], [0, 0, 255]])
    out = str(tmp_path / 'drawn.png')
    visualizer.add_datasample('frame', mmcv.imread(paths['rgb'], channel_order='rgb'), sample,
                              out_file=out)
    drawn = mmcv.imread(out)
    assert osp.isfile(out) and drawn.shape[0] == 32  # 40x40 file, 32x32 maps
    assert drawn.shape[1] == 32 * (2 + 2)  # two modality panels, ground truth, prediction
