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
