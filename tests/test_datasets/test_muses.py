import pytest

from mmseg_anyseg.datasets import MUSESDataset
from tests.helpers import pipelines


def test_muses_authors_layout_filters_and_labels(muses_tree):
    """The 8-bit PNGs beside the frame camera that AnySeg's loader reads (layout='authors')."""
    pipeline = [p for p in pipelines(train=False)]
    pipeline[-1] = dict(pipeline[-1], meta_keys=('img_path', 'seg_map_path', 'modalities',
                                                 'modality_present', 'condition', 'time',
                                                 'ori_shape', 'img_shape'))
    dataset = MUSESDataset(data_root=muses_tree['root'], split='val', pipeline=pipeline,
                           layout='authors')
    assert len(dataset) == 2 and len(dataset.metainfo['classes']) == 19
    sample = dataset[0]
    assert sample['inputs'].shape == (9, 16, 24)
    label = sample['data_samples'].gt_sem_seg.data
    assert label[0, 0, 0] == 255 and label.max() == 255
    assert label[label != 255].max() < 19
    night = MUSESDataset(data_root=muses_tree['root'], split='val', times=['night'],
                         layout='authors')
    assert [i['condition'] for i in night.load_data_list()] == ['snow']
    fog = MUSESDataset(data_root=muses_tree['root'], split='val', weathers=['clear'],
                       modalities=('lidar', 'frame'), layout='authors')
    assert len(fog) == 1 and fog.load_data_list()[0]['modalities'] == ('lidar', 'frame')
    with pytest.raises(FileNotFoundError, match='no samples'):
        MUSESDataset(data_root=muses_tree['root'], split='train', layout='authors')
    with pytest.raises(FileNotFoundError, match='_radar.png'):
        MUSESDataset(data_root=muses_tree['root'], split='val', modalities=('frame', 'radar'),
                     layout='authors')
    with pytest.raises(FileNotFoundError, match='projected_to_rgb/lidar/val/clear/day/'
                       'REC0001_frame_clear_lidar.npz'):  # the default layout: projections
        MUSESDataset(data_root=muses_tree['root'], split='val')
    with pytest.raises(ValueError, match='layout='):
        MUSESDataset(data_root=muses_tree['root'], split='val', layout='sdk')


def test_authors_muses_protocol_squashes_and_maps_void_to_road(muses_tree):
    """configs/_base_/datasets/muses_fel_authors.py: the authors' MUSES loader."""
    import os.path as osp

    import numpy as np
    from mmengine.config import Config
    from mmseg.registry import DATASETS, MODELS
    from PIL import Image

    from tests.conftest import REPO_ROOT
    cfg = Config.fromfile(osp.join(REPO_ROOT, 'configs/_base_/datasets/muses_fel_authors.py'))
    dataset = DATASETS.build(dict(cfg.val_dataloader.dataset, data_root=muses_tree['root']))
    sample = dataset[0]
    meta = sample['data_samples']
    assert sample['inputs'].shape == (9, 1024, 1024)
    assert meta.ori_shape == (1024, 1024)  # scored at the squashed size
    label = meta.gt_sem_seg.data[0].numpy()
    raw = np.asarray(Image.open(meta.seg_map_path))
    assert raw[0, 0] == 255 and label[0, 0] == 0 and 255 not in label  # void became road
    pre = MODELS.build(cfg.anymodal_data_preprocessor)
    out = pre(dict(inputs=[sample['inputs']], data_samples=[meta]), False)
    assert out['inputs'].max() > 1.0  # unnormalised 0-255 inputs
    train_steps = [step['type'] for step in cfg.train_dataloader.dataset.pipeline]
    assert 'RandomFlip' not in train_steps and 'RandomCrop' not in train_steps
