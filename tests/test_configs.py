"""Every shipped config parses, and every segmentor config builds its model."""
import glob
import os.path as osp

import pytest
import torch
from mmengine.config import Config
from mmseg.registry import MODELS

from mmseg_anyseg.apis import student_config
from tests.conftest import REPO_ROOT

CONFIGS = sorted(glob.glob(osp.join(REPO_ROOT, 'configs', '**', '*.py'), recursive=True))
TOP_LEVEL = [c for c in CONFIGS if '_base_' not in c]


def test_configs_are_found():
    assert len(TOP_LEVEL) >= 30


@pytest.mark.parametrize('path', TOP_LEVEL, ids=lambda p: osp.relpath(p, REPO_ROOT))
def test_config_builds(path):
    cfg = Config.fromfile(path)
    assert cfg.default_scope == 'mmseg' and 'mmseg_anyseg' in cfg.custom_imports.imports
    if 'convnext' in path:
        pytest.importorskip('mmpretrain', reason='mmpretrain is an optional extra')
    model_cfg = student_config(cfg)
    model_cfg.backbone.pop('init_cfg', None)
    model_cfg.decode_head.norm_cfg = dict(type='BN', requires_grad=True)
    model = MODELS.build(model_cfg).eval()
    modalities = len(cfg.modalities)
    assert model.backbone.num_modalities == modalities
    assert model.decode_head.num_classes == cfg.num_classes
    if cfg.model.type == 'AnySegDistiller':
        assert cfg.model.data_preprocessor.modality_dropout == dict(type='subset')
        assert osp.isfile(osp.join(REPO_ROOT, cfg.model.teacher.config))
    with torch.no_grad():
        out = model._forward(torch.zeros(1, modalities, 3, 64, 64))
    assert out.shape == (1, cfg.num_classes, 16, 16)
