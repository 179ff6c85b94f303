import glob
import os
import os.path as osp
import shutil

import numpy as np
import pytest
from PIL import Image

from mmseg_anyseg.datasets import DELIVER_CASES, DELIVER_CONDITIONS, DELIVERDataset
from tests.helpers import pipelines


def test_layout_is_deliver(synthetic_deliver):
    rgb = sorted(glob.glob(osp.join(synthetic_deliver, 'img', '*', 'train', '*', '*.png')))
    assert rgb and all(p.endswith('_rgb_front.png') for p in rgb)
    for path in rgb:
        for folder, token in (('depth', 'depth'), ('hha', 'depth'), ('event', 'event'), ('lidar', 'lidar'),
                              ('semantic', 'semantic')):
            other = path.replace(f'{os.sep}img{os.sep}', f'{os.sep}{folder}{os.sep}').replace(
                '_rgb_front', f'_{token}_front')
            assert osp.isfile(other), other
    conditions = {p.split(os.sep)[-4] for p in rgb}
    assert conditions == set(DELIVER_CONDITIONS)


def test_dataset_shapes_labels_and_metainfo(synthetic_deliver):
    dataset = DELIVERDataset(data_root=synthetic_deliver, split='train',
                             modalities=('lidar', 'rgb'), pipeline=pipelines(train=False))
    assert len(dataset) == 5 * (2 + len(DELIVER_CASES))
    sample = dataset[0]
    inputs, data_sample = sample['inputs'], sample['data_samples']
    assert inputs.shape == (6, 32, 32)
    assert data_sample.modalities == ('lidar', 'rgb')
    assert data_sample.modality_present == (True, True)
    # LiDAR comes first: its third channel is the binary return flag (0 or 255).
    assert set(np.unique(inputs[2].numpy())) <= {0, 255}
    label = data_sample.gt_sem_seg.data.numpy()
    raw = np.asarray(Image.open(data_sample.seg_map_path))[..., 0]
    np.testing.assert_array_equal(label[0], raw.astype(np.int64) - 1)
    assert label.max() < 25 and dataset.metainfo['classes'][12] == 'Sky'


def test_label_zero_and_255_are_ignored(tmp_path, synthetic_deliver):
    root = str(tmp_path / 'deliver')
    shutil.copytree(synthetic_deliver, root)
    label_path = sorted(glob.glob(osp.join(root, 'semantic', 'sun', 'val', '*', '*.png')))[0]
    encoded = np.asarray(Image.open(label_path)).copy()
    encoded[0, :4, 0] = [0, 255, 1, 25]
    Image.fromarray(encoded).save(label_path)
    dataset = DELIVERDataset(data_root=root, split='val', conditions=['sun'], cases=['normal'],
                             pipeline=pipelines(train=False))
    label = dataset[0]['data_samples'].gt_sem_seg.data[0].numpy()
    assert label[0, :4].tolist() == [255, 255, 0, 24]


def test_condition_and_case_filters(synthetic_deliver):
    fog = DELIVERDataset(data_root=synthetic_deliver, split='train', conditions=['fog'])
    assert len(fog) == 2 + len(DELIVER_CASES)
    assert {info['condition'] for info in fog.load_data_list()} == {'fog'}
    blur = DELIVERDataset(data_root=synthetic_deliver, split='val', cases=['motionblur'])
    assert len(blur) == 5 and all('motionblur' in i['sequence'] for i in blur.load_data_list())
    normal = DELIVERDataset(data_root=synthetic_deliver, split='val', cases='normal')
    assert {i['case'] for i in normal.load_data_list()} == {'normal'}
    with pytest.raises(ValueError, match='snow'):
        DELIVERDataset(data_root=synthetic_deliver, conditions=['snow'])
    with pytest.raises(ValueError, match='thermal'):
        DELIVERDataset(data_root=synthetic_deliver, modalities=('rgb', 'thermal'))


def test_depth_from_hha_folder_by_default(tmp_path, synthetic_deliver):
    root = str(tmp_path / 'deliver')
    shutil.copytree(synthetic_deliver, root)
    shutil.rmtree(osp.join(root, 'depth'))
    dataset = DELIVERDataset(data_root=root, split='test', modalities=('depth', ))
    assert all('/hha/' in i['modality_paths']['depth'] for i in dataset.load_data_list())
    with pytest.raises(FileNotFoundError, match='_depth_front.png'):
        DELIVERDataset(data_root=root, split='test', modalities=('depth', ),
                       depth_source='depth')


def test_missing_modality_policy(tmp_path, synthetic_deliver):
    root = str(tmp_path / 'deliver')
    shutil.copytree(synthetic_deliver, root)
    gone = sorted(glob.glob(osp.join(root, 'event', 'night', 'test', '*', '*.png')))[0]
    os.remove(gone)
    with pytest.raises(FileNotFoundError, match=osp.basename(gone)):
        DELIVERDataset(data_root=root, split='test')
    dataset = DELIVERDataset(data_root=root, split='test', missing_modality='missing',
                             pipeline=pipelines(train=False))
    index = next(i for i, info in enumerate(dataset.load_data_list())
                 if info['modality_paths']['event'] == gone)
    sample = dataset[index]
    assert sample['data_samples'].modality_present == (True, True, False, True)
    assert sample['inputs'][6:9].abs().sum() == 0


def test_corrupt_image_names_its_file(tmp_path, synthetic_deliver):
    root = str(tmp_path / 'deliver')
    shutil.copytree(synthetic_deliver, root)
    broken = sorted(glob.glob(osp.join(root, 'lidar', 'cloud', 'test', '*', '*.png')))[0]
    with open(broken, 'wb') as f:
        f.write(b'not a png')
    dataset = DELIVERDataset(data_root=root, split='test', conditions=['cloud'],
                             pipeline=pipelines(train=False))
    index = next(i for i, info in enumerate(dataset.load_data_list())
                 if info['modality_paths']['lidar'] == broken)
    with pytest.raises(ValueError, match=osp.basename(broken)):
        dataset.prepare_data(index)


def test_half_size_event_pngs_load_aligned_through_a_flip(tmp_path, synthetic_deliver):
    """DELIVER's eventlowres frames: events stored at half size are resized (nearest) to
    the RGB size, as the authors' loader does, and stay aligned through augmentation."""
    root = str(tmp_path / 'deliver')
    shutil.copytree(synthetic_deliver, root)
    events = sorted(glob.glob(osp.join(root, 'event', '*', 'val', '*', '*.png')))
    full = {}
    for path in events:
        img = np.asarray(Image.open(path).convert('RGB'))
        half = np.zeros((16, 16, 3), np.uint8)
        half[:8, :8] = 200  # a bright top-left quarter
        full[path] = np.kron(half, np.ones((2, 2, 1), np.uint8))
        Image.fromarray(half).save(path)
        assert img.shape == (32, 32, 3)
    strict = DELIVERDataset(data_root=root, split='val', pipeline=pipelines(train=False))
    with pytest.raises(ValueError, match='differ in size.*_event_front.png'):
        strict[0]
    pipeline = [dict(type='LoadMultiModalImages', resize_to_reference=dict(event='nearest')),
                dict(type='LoadMultiModalAnnotations'),
                dict(type='RandomFlip', prob=1.0),
                dict(type='PackAnymodalInputs', meta_keys=('modalities', 'modality_present',
                                                      'modality_paths', 'flip'))]
    dataset = DELIVERDataset(data_root=root, split='val', pipeline=pipeline)
    for index in range(len(dataset)):
        sample = dataset[index]
        inputs, meta = sample['inputs'].numpy(), sample['data_samples']
        assert inputs.shape == (12, 32, 32) and meta.flip
        expected = full[meta.modality_paths['event']][:, ::-1].transpose(2, 0, 1)
        np.testing.assert_array_equal(inputs[6:9], expected)
        rgb = np.asarray(Image.open(meta.modality_paths['rgb']).convert('RGB'))
        np.testing.assert_array_equal(inputs[0:3], rgb[:, ::-1].transpose(2, 0, 1))


def test_label_value_above_the_classes_names_file_value_and_count(tmp_path, synthetic_deliver):
    root = str(tmp_path / 'deliver')
    shutil.copytree(synthetic_deliver, root)
    label_path = sorted(glob.glob(osp.join(root, 'semantic', 'rain', 'val', '*', '*.png')))[0]
    encoded = np.asarray(Image.open(label_path)).copy()
    encoded[3, 3, 0] = 60  # class id 59 with 25 classes
    Image.fromarray(encoded).save(label_path)
    dataset = DELIVERDataset(data_root=root, split='val', conditions=['rain'],
                             pipeline=pipelines(train=False))
    index = next(i for i, info in enumerate(dataset.load_data_list())
                 if info['seg_map_path'] == label_path)
    with pytest.raises(ValueError, match=r'_semantic_front.png holds value\(s\) \[59\] \(stored '
                       r'as \[60\].*25 classes \(0..24\) and ignores 255'):
        dataset[index]


@pytest.mark.slow
def test_paper_test_pipeline_scores_at_the_authors_1024_short_side(tmp_path, synthetic_deliver):
    """The DELIVER paper configs' test pipeline, as shipped, on 1042x1042 frames in the real
    layout: every modality and the label become 1024x1024 (the authors' Resize: bilinear
    for the images, nearest for the label), and the prediction is scored at that size."""
    import torch
    import torch.nn.functional as F
    from mmengine.config import Config

    from tests.conftest import REPO_ROOT
    root = str(tmp_path / 'deliver')
    shutil.copytree(synthetic_deliver, root)
    originals = {}
    for path in glob.glob(osp.join(root, '*', '*', 'val', '*', '*.png')):
        img = Image.open(path)
        big = img.resize((1042, 1042), Image.NEAREST)
        big.save(path)
        originals[path] = np.asarray(big)
    cfg = Config.fromfile(osp.join(REPO_ROOT, 'configs/anyseg/anyseg_segb0_deliver.py'))
    pipeline = cfg.test_dataloader.dataset.pipeline
    dataset = DELIVERDataset(data_root=root, split='val', pipeline=pipeline)
    sample = dataset[0]
    meta = sample['data_samples']
    assert sample['inputs'].shape == (12, 1024, 1024)
    assert meta.ori_shape == (1024, 1024) and meta.gt_sem_seg.data.shape == (1, 1024, 1024)
    label = originals[meta.seg_map_path]
    label = label[..., 0] if label.ndim == 3 else label
    # the authors' TF.resize(NEAREST) of a tensor is torch's 'nearest' interpolation
    expected = F.interpolate(torch.from_numpy(label.astype(np.float32))[None, None],
                             size=(1024, 1024), mode='nearest')[0, 0]
    # DELIVER stores class id + 1; 0 and 255 are ignored (reduce_zero_label)
    expected = torch.where((expected == 0) | (expected == 255), 255, expected - 1)
    assert torch.equal(meta.gt_sem_seg.data[0].float(), expected)
    rgb = torch.from_numpy(originals[meta.modality_paths['rgb']].astype(np.float32))
    rgb = F.interpolate(rgb.permute(2, 0, 1)[None], size=(1024, 1024), mode='bilinear',
                        align_corners=False)[0]
    assert (sample['inputs'][0:3].float() - rgb).abs().mean() < 1.0
    native = Config.fromfile(osp.join(
        REPO_ROOT, 'configs/anyseg/ablations/anyseg_segb0_deliver_native-eval.py'))
    sample = DELIVERDataset(data_root=root, split='val',
                            pipeline=native.test_dataloader.dataset.pipeline)[0]
    assert sample['inputs'].shape == (12, 1042, 1042)
    assert sample['data_samples'].ori_shape == (1042, 1042)
