"""Locating the shipped configs."""
import os.path as osp

import pytest

from mmseg_anyseg.cli import config_dir, config_path, list_configs
from mmseg_anyseg.cli.configs import main
from tests.conftest import REPO_ROOT


def test_config_path_list_and_export(tmp_path, capsys):
    assert config_dir() == osp.join(REPO_ROOT, 'configs')  # editable install: the checkout
    path = config_path('anyseg/anyseg_segb0_deliver.py')
    assert osp.isfile(path) and osp.isabs(path)
    assert 'pml/pml_segb2_deliver.py' in list_configs()
    assert not any(c.startswith('_base_') for c in list_configs())
    with pytest.raises(FileNotFoundError, match="no shipped config 'anyseg/anyseg_b9.py'"):
        config_path('anyseg/anyseg_b9.py')
    main(['export', str(tmp_path / 'copy')])
    assert osp.isfile(tmp_path / 'copy' / '_base_' / 'datasets' / 'deliver_rdel.py')
    assert 'copied' in capsys.readouterr().out
