"""Packing always carries the modality metainfo; without it, the error names the key."""
import pytest
from mmengine.dataset import pseudo_collate
from mmseg.registry import MODELS, TRANSFORMS

from mmseg_anyseg.datasets import DELIVERDataset
from tests.helpers import anymodal_preprocessor
from tests.test_datasets.test_transforms import aligned_sample


def test_pack_adds_the_modality_keys_to_any_meta_keys():
    pack = TRANSFORMS.build(dict(type='PackAnymodalInputs', meta_keys=('img_shape', )))
    meta = pack(aligned_sample())['data_samples'].metainfo
    assert meta['modalities'] == ('rgb', 'depth', 'event', 'lidar')
    assert meta['modality_present'] == (True, ) * 4
    default = TRANSFORMS.build(dict(type='PackAnymodalInputs'))
    assert {'img_path', 'flip', 'modalities', 'modality_present'} <= set(default.meta_keys)


def test_pack_refuses_a_sample_without_modality_keys():
    sample = aligned_sample()
    del sample['modality_present']
    with pytest.raises(KeyError, match="no 'modality_present'"):
        TRANSFORMS.build(dict(type='PackAnymodalInputs'))(sample)


def test_a_config_packing_without_the_modality_keys_fails_naming_the_key(synthetic_deliver):
    pipeline = [dict(type='LoadMultiModalImages'), dict(type='LoadMultiModalAnnotations'),
                dict(type='PackSegInputs', meta_keys=('img_path', 'img_shape', 'ori_shape'))]
    dataset = DELIVERDataset(data_root=synthetic_deliver, split='val', pipeline=pipeline)
    preprocessor = MODELS.build(anymodal_preprocessor())
    with pytest.raises(KeyError, match=r"has no 'modalities' metainfo; pack samples with "
                                       'PackAnymodalInputs'):
        preprocessor(pseudo_collate([dataset[0]]))
