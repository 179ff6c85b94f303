"""tools/analysis_tools/check_dataset.py on tiny DELIVER and MUSES trees with planted faults."""
import glob
import importlib.util
import json
import os
import os.path as osp
import shutil

import numpy as np
import pytest
from PIL import Image

from mmseg_anyseg.datasets.muses_projection import write_projection
from tests.conftest import REPO_ROOT, save_png

DELIVER_CONFIG = '''
_base_ = ['{repo}/configs/synthetic/anyseg_segb0_synthetic.py']
data_root = '{root}'
train_dataloader = dict(dataset=dict(data_root=data_root))
val_dataloader = dict(dataset=dict(data_root=data_root))
test_dataloader = dict(dataset=dict(data_root=data_root))
{release}'''

MUSES_CONFIG = '''
_base_ = ['{repo}/configs/_base_/datasets/muses_fel.py']
data_root = '{root}'
train_dataloader = dict(dataset=dict(data_root=data_root))
val_dataloader = dict(dataset=dict(data_root=data_root))
test_dataloader = dict(dataset=dict(data_root=data_root))
release_frames = dict(val=2, source='the tiny tree')
'''


def load_tool():
    spec = importlib.util.spec_from_file_location(
        'check_dataset', osp.join(REPO_ROOT, 'tools', 'analysis_tools', 'check_dataset.py'))
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def check(tmp_path, config_text: str, *splits: str) -> tuple:
    config = tmp_path / 'config.py'
    config.write_text(config_text)
    report = tmp_path / 'report.json'
    code = load_tool().main([str(config), '--split', *splits, '--report', str(report)])
    return code, json.loads(report.read_text())


def findings(reports: list) -> dict:
    """Kind -> the file names it was reported for."""
    found = {}
    for report in reports:
        for f in report['findings']:
            found.setdefault(f['kind'], []).append(osp.basename(f['path']))
    return found


@pytest.fixture
def deliver(tmp_path, synthetic_deliver) -> str:
    root = str(tmp_path / 'deliver')
    shutil.copytree(synthetic_deliver, root)
    return root


def test_a_clean_tree_passes_and_reports_its_counts(tmp_path, deliver, capsys):
    code, reports = check(tmp_path, DELIVER_CONFIG.format(repo=REPO_ROOT, root=deliver,
                                                          release=''), 'train', 'val')
    assert code == 0, reports
    val = reports[1]
    labels = glob.glob(osp.join(deliver, 'semantic', '*', 'val', '*', '*.png'))
    assert val['frames'] == len(labels) == 30 and val['release'] == 30  # the tree's splits.json
    assert val['groups']['condition'] == dict(cloud=6, fog=6, night=6, rain=6, sun=6)
    assert sum(val['groups']['case'].values()) == 30 and val['groups']['case']['normal'] == 5
    assert set(val['modalities']) == {'rgb', 'depth', 'event', 'lidar'}
    assert val['modalities']['rgb']['sizes'] == {'32x32': 30}
    assert val['modalities']['lidar']['storage'] == {'8-bit PNG': 30}
    out = capsys.readouterr().out
    assert 'val frames by condition: cloud 6, fog 6' in out and 'ready to train' in out


def test_every_planted_fault_is_named_and_fails_the_check(tmp_path, deliver, capsys):
    normal = sorted(p for p in glob.glob(osp.join(deliver, 'semantic', '*', 'val', '*', '*.png'))
                    if not any(case in p for case in ('blur', 'exposure', 'jitter', 'lowres')))
    frame = lambda label, folder, token: label.replace('/semantic/', f'/{folder}/').replace(  # noqa
        '_semantic_', f'_{token}_')
    os.remove(frame(normal[0], 'event', 'event'))                       # a missing event file
    lidar = frame(normal[1], 'lidar', 'lidar')                          # a truncated LiDAR PNG
    data = open(lidar, 'rb').read()
    open(lidar, 'wb').write(data[:len(data) // 2])
    label = np.array(Image.open(normal[2]))                            # a label out of range
    label[0, 0, 0] = 99
    Image.fromarray(label).save(normal[2])
    event = frame(normal[3], 'event', 'event')                          # an event PNG at half size
    Image.fromarray(np.array(Image.open(event))[::2, ::2]).save(event)
    code, reports = check(tmp_path, DELIVER_CONFIG.format(                # fewer frames than stated
        repo=REPO_ROOT, root=deliver,
        release="release_frames = dict(val=31, source='the tiny tree')"), 'val')
    assert code == 1
    found = findings(reports)
    assert found['missing file'] == [osp.basename(frame(normal[0], 'event', 'event'))]
    assert found['truncated file'] == [osp.basename(lidar)]
    assert found['label out of range'] == [osp.basename(normal[2])]
    assert found['size mismatch'] == [osp.basename(event)]
    assert found['fewer frames than the release'] == ['deliver']
    details = {f['kind']: f['detail'] for f in reports[0]['findings']}
    assert 'no IEND chunk' in details['truncated file']
    assert 'value(s) [98] (stored as [99]' in details['label out of range']
    assert '16x16 where rgb is 32x32' in details['size mismatch']
    assert '30 val frames where the release has 31 (the tiny tree)' in details[
        'fewer frames than the release']
    assert '5 error(s): fix them before training' in capsys.readouterr().out


def test_muses_projections_are_checked_for_their_bit_depth(tmp_path):
    root = tmp_path / 'muses'
    rng = np.random.default_rng(0)
    for weather, time in (('clear', 'day'), ('snow', 'night')):
        stem, rel = f'REC0001_frame_{weather}', osp.join('val', weather, time)
        save_png(str(root / 'frame_camera' / rel / f'{stem}_frame_camera.png'),
                 rng.integers(0, 255, (16, 24, 3), dtype=np.uint8))
        save_png(str(root / 'gt_semantic' / rel / f'{stem}_gt_labelTrainIds.png'),
                 rng.integers(0, 19, (16, 24)).astype(np.uint8))
        for modality, folder in (('event', 'event_camera'), ('lidar', 'lidar')):
            image = np.zeros((16, 24, 3), np.float32)
            image[:8] = rng.uniform(1, 20, (8, 24, 3))
            write_projection(str(root / 'projected_to_rgb' / folder / rel /
                                 f'{stem}_{folder}.png'), image, folder)
    config = MUSES_CONFIG.format(repo=REPO_ROOT, root=root)
    code, reports = check(tmp_path, config, 'val')
    assert code == 0, reports
    assert reports[0]['modalities']['lidar']['storage'] == {'16-bit PNG': 2}
    assert reports[0]['modalities']['lidar']['non_empty_share'] == pytest.approx(0.5)
    eight_bit = root / 'projected_to_rgb' / 'lidar' / 'val' / 'snow' / 'night' / \
        'REC0001_frame_snow_lidar.png'
    save_png(str(eight_bit), rng.integers(0, 255, (16, 24, 3), dtype=np.uint8))
    code, reports = check(tmp_path, config, 'val')
    assert code == 1
    finding, = reports[0]['findings']
    assert finding['kind'] == 'unreadable file' and finding['path'] == str(eight_bit)
    assert '8-bit' in finding['detail']
