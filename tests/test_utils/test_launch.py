"""Robustness scenarios are found by name or file; an unknown one lists the shipped ones."""
import pytest
from mmengine.config import Config

from mmseg_anyseg.robustness import apply_test_scenario
from mmseg_anyseg.utils import config_path


def test_scenario_by_name_by_file_and_unknown():
    cfg = Config(dict(model=dict(type='AnymodalEncoderDecoder', test_cfg=dict(mode='whole'))))
    merged = apply_test_scenario(cfg, 'rmm_r050')
    assert merged['corruption']['rate'] == 0.5 and merged['mode'] == 'whole'
    merged = apply_test_scenario(cfg, config_path('_base_/robustness/emm_zero.py'))
    assert merged['missing'] == 'zero'
    for unknown in ('rmm_r099', 'configs/_base_/robustness/rmm_r099.py'):
        with pytest.raises(FileNotFoundError, match=r"rmm_r099(.py)?' not found; the shipped "
                                                    r'scenarios are emm_drop, emm_zero, .*rmm_r050'):
            apply_test_scenario(cfg, unknown)
