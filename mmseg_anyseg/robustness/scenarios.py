"""The sensor-failure scenarios: one file each in ``configs/_base_/robustness/``.

Each scenario file defines ``robustness_test_cfg`` (merged into the
predicting segmentor's ``test_cfg``) and ``scenario = dict(family=...,
label=..., order=...)``. The files are the only source of the scenarios'
names, settings and labels; tools and charts read them through this module.
"""
import functools
import os
import os.path as osp
from typing import Dict

from mmengine.config import Config

from ..models import predicting_model_cfg
from ..utils import config_dir


def scenario_dir() -> str:
    """Directory of the shipped scenario files."""
    return osp.join(config_dir(), '_base_', 'robustness')


@functools.lru_cache(maxsize=None)
def _shipped() -> Dict[str, dict]:
    scenarios = {}
    for name in sorted(os.listdir(scenario_dir())):
        if name.endswith('.py'):
            path = osp.join(scenario_dir(), name)
            cfg = Config.fromfile(path)
            scenarios[osp.splitext(name)[0]] = dict(cfg.scenario, path=path,
                                                    test_cfg=cfg.robustness_test_cfg.to_dict())
    return dict(sorted(scenarios.items(), key=lambda item: item[1]['order']))


def shipped_scenarios() -> Dict[str, dict]:
    """Shipped scenarios in the benchmark's order: name -> ``family``, ``label``, ``path``, ``test_cfg``."""
    return {name: dict(info) for name, info in _shipped().items()}


def scenario_path(scenario: str) -> str:
    """The file of a scenario given by path or by the name of a shipped one (``rmm_r050``).

    Raises:
        FileNotFoundError: neither; the message lists the shipped scenarios.
    """
    if osp.isfile(scenario):
        return scenario
    name = osp.splitext(scenario)[0]
    shipped = _shipped()
    if osp.dirname(scenario) or name not in shipped:
        raise FileNotFoundError(f'robustness scenario {scenario!r} not found; the shipped '
                                f'scenarios are {", ".join(shipped)} (in {scenario_dir()}; give '
                                'the name or the path), or a file that defines '
                                'robustness_test_cfg')
    return shipped[name]['path']


def apply_test_scenario(cfg: Config, scenario: str) -> dict:
    """Merge a scenario's ``robustness_test_cfg`` into the predicting segmentor's ``test_cfg``.

    The predicting segmentor is the model itself, or the student of a
    distiller (:func:`mmseg_anyseg.models.predicting_model_cfg`).

    Args:
        cfg: The tool's config, updated in place.
        scenario: A scenario file, or the name of a shipped one.

    Returns:
        The merged ``test_cfg``.

    Raises:
        FileNotFoundError: see :func:`scenario_path`.
        KeyError: the file defines no ``robustness_test_cfg``.
    """
    path = scenario_path(scenario)
    scenario_cfg = Config.fromfile(path)
    if 'robustness_test_cfg' not in scenario_cfg:
        raise KeyError(f'{path} defines no robustness_test_cfg; see configs/_base_/robustness/')
    model = predicting_model_cfg(cfg.model)
    test_cfg = dict(model.get('test_cfg') or {})
    test_cfg.update(scenario_cfg.robustness_test_cfg.to_dict())
    model.test_cfg = test_cfg
    return test_cfg
