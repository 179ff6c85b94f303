import pytest

from mmseg_anyseg.datasets import MUSESDataset
from tests.helpers import pipelines


def test_muses_layout_filters_and_labels(muses_tree):
    pipeline = [p for p in pipelines(train=False)]
    pipeline[-1] = dict(pipeline[-1], meta_keys=('img_path', 'seg_map_path', 'modalities',
                                                 'modality_present', 'condition', 'time',
                                                 'ori_shape', 'img_shape'))
    dataset = MUSESDataset(data_root=muses_tree['root'], split='val', pipeline=pipeline)
    assert len(dataset) == 2 and len(dataset.metainfo['classes']) == 19
    sample = dataset[0]
    assert sample['inputs'].shape == (9, 16, 24)
    label = sample['data_samples'].gt_sem_seg.data
    assert label[0, 0, 0] == 255 and label.max() == 255
    assert label[label != 255].max() < 19
    night = MUSESDataset(data_root=muses_tree['root'], split='val', times=['night'])
    assert [i['condition'] for i in night.load_data_list()] == ['snow']
    fog = MUSESDataset(data_root=muses_tree['root'], split='val', weathers=['clear'],
                       modalities=('lidar', 'frame'))
    assert len(fog) == 1 and fog.load_data_list()[0]['modalities'] == ('lidar', 'frame')
    with pytest.raises(FileNotFoundError, match='no samples'):
        MUSESDataset(data_root=muses_tree['root'], split='train')
    with pytest.raises(FileNotFoundError, match='_radar.png'):
        MUSESDataset(data_root=muses_tree['root'], split='val', modalities=('frame', 'radar'))
