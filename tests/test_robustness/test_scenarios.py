"""Robustness scenarios are found by name or file; an unknown one lists the shipped ones."""
import pytest
from mmengine.config import Config

from mmseg_anyseg.robustness import apply_test_scenario
from mmseg_anyseg.cli import config_path


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


def test_shipped_scenarios_come_from_the_files_in_benchmark_order():
    from mmseg_anyseg.reports import scenario_label
    from mmseg_anyseg.robustness import shipped_scenarios
    scenarios = shipped_scenarios()
    assert list(scenarios) == ['emm_drop', 'emm_zero', 'rmm_r025', 'rmm_r050', 'rmm_r075',
                               'nm_low', 'nm_mid', 'nm_high']
    assert [s['family'] for s in scenarios.values()] == ['EMM'] * 2 + ['RMM'] * 3 + ['NM'] * 3
    assert scenarios['nm_high']['test_cfg']['corruption']['level'] == 'high'
    assert scenario_label('rmm_r075') == 'RMM, rate 0.75'
    assert scenario_label('my_scenario') == 'my_scenario'


def test_scenario_of_a_distiller_goes_to_its_student():
    cfg = Config(dict(model=dict(type='AnySegDistiller', student=dict(test_cfg=dict(mode='whole')),
                                 teacher=dict(config='t.py', checkpoint='t.pth'))))
    apply_test_scenario(cfg, 'nm_low')
    assert cfg.model.student.test_cfg['corruption']['type'] == 'noise'
    assert 'test_cfg' not in cfg.model
