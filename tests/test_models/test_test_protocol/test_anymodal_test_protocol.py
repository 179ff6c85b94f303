"""The test protocol is validated when test_cfg is set; a student config predicts alone."""
import pytest
import torch
from mmengine.config import ConfigDict
from mmseg.registry import MODELS

from mmseg_anyseg.models import is_distiller_cfg, predicting_model_cfg
from tests.helpers import anymodal_model


@pytest.mark.parametrize('test_cfg, error, match', [
    (dict(mode='tiles'), ValueError, "mode='tiles'"),
    (dict(mode='slide', crop_size=(32, 32)), KeyError, 'test_cfg.stride'),
    (dict(mode='whole', missing='nothing'), ValueError, "missing='nothing'"),
    (dict(mode='whole', corruption=dict(type='fog')), ValueError, 'fog'),
])
def test_bad_test_cfg_fails_when_the_model_is_built(test_cfg, error, match):
    with pytest.raises(error, match=match):
        MODELS.build(anymodal_model(test_cfg=ConfigDict(test_cfg)))


def test_setting_test_cfg_rebuilds_the_protocol():
    model = MODELS.build(anymodal_model(test_cfg=ConfigDict(mode='whole')))
    assert model.test_protocol.subsets is None and model.test_protocol.missing == 'drop'
    model.test_cfg = ConfigDict(mode='whole', subsets='all', missing='zero')
    assert model.test_protocol.subsets == 'all' and model.test_protocol.missing == 'zero'


def test_predict_needs_the_modality_metainfo():
    model = MODELS.build(anymodal_model()).eval()
    with pytest.raises(ValueError, match='needs the data samples'):
        model.predict(torch.zeros(1, 4, 3, 32, 32))


def test_predicting_model_cfg_is_the_student_of_a_distiller():
    student = dict(type='AnymodalEncoderDecoder')
    distiller = dict(type='AnySegDistiller', student=student)
    assert is_distiller_cfg(distiller) and not is_distiller_cfg(student)
    assert predicting_model_cfg(distiller) is student
    assert predicting_model_cfg(student) is student


@pytest.mark.parametrize('meta, channels', [
    (dict(ori_shape=(12, 16)), 5),
    (dict(ori_shape=(12, 16), padding_size=[0, 3, 0, 2]), 5),
    (dict(ori_shape=(9, 13), img_padding_size=[1, 2, 2, 1], flip=True,
          flip_direction='horizontal'), 5),
    (dict(ori_shape=(25, 31), flip=True, flip_direction='vertical'), 5),
    (dict(ori_shape=(12, 16)), 1),
])
def test_restore_labels_equals_mmseg_postprocess_result(meta, channels):
    """The subsets' labels are the stock ``pred_sem_seg``, ties to the first class included."""
    from types import SimpleNamespace

    from mmseg.models.segmentors import EncoderDecoder
    from mmseg.structures import SegDataSample

    from mmseg_anyseg.models.test_protocol.anymodal_test_protocol import restore_labels
    torch.manual_seed(0)
    logits = torch.randn(2, channels, 12, 16)
    logits[:, 1:3, :4] = logits[:, :1, :4].clone() if channels > 1 else logits[:, :, :4]
    stock_self = SimpleNamespace(align_corners=False, decode_head=SimpleNamespace(threshold=0.3))
    samples = [SegDataSample(metainfo=dict(meta)) for _ in range(2)]
    expected = EncoderDecoder.postprocess_result(stock_self, logits, samples)
    got = restore_labels(logits, [dict(meta)] * 2, align_corners=False, threshold=0.3)
    assert got.shape == (2, *meta['ori_shape'])
    for labels, sample in zip(got, expected):
        assert torch.equal(labels, sample.pred_sem_seg.data[0].long())


def test_restore_labels_sends_ties_to_the_first_class():
    from mmseg_anyseg.models.test_protocol.anymodal_test_protocol import restore_labels
    logits = torch.zeros(1, 4, 3, 3)
    logits[0, 2:, 0] = 1.0
    got = restore_labels(logits, [dict(ori_shape=(3, 3))])
    assert got[0, 0].tolist() == [2, 2, 2] and bool((got[0, 1:] == 0).all())
