"""Smoke tests of the analysis tools on a synthetic checkpoint (CI-sized)."""
import os.path as osp
import subprocess
import sys

import pytest

from tests.conftest import REPO_ROOT
from tests.test_tools.test_train_test_tools import env, write_config

# Runner trainings and tool subprocesses: the slow tier (pytest -m "not slow" skips them).
pytestmark = pytest.mark.slow


def tool(*args) -> str:
    result = subprocess.run([sys.executable, *args], cwd=REPO_ROOT, env=env(),
                            capture_output=True, text=True, timeout=600)
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-3000:]
    return result.stdout


@pytest.fixture(scope='module')
def trained(tmp_path_factory, synthetic_deliver):
    tmp = tmp_path_factory.mktemp('analysis')
    config = write_config(tmp, synthetic_deliver, iters=2)
    tool('tools/train.py', config, '--work-dir', str(tmp / 'work'))
    return config, str(tmp / 'work' / 'iter_2.pth'), tmp


def test_get_flops_prints_params_per_modality_count(trained):
    config, _, _ = trained
    out = tool('tools/analysis_tools/get_flops.py', config, '--shape', '64', '64')
    assert '| model | 4 | 3.72 |' in out and '| model | 1 | 3.72 |' in out, out


def test_tsne_writes_a_png(trained):
    config, ckpt, tmp = trained
    out = str(tmp / 'tsne.png')
    tool('tools/analysis_tools/tsne_features.py', config, ckpt, '--out', out, '--frames', '3',
         '--stage', '1')
    assert osp.getsize(out) > 0


def test_eval_benchmark_reports_ratio(trained):
    _, ckpt, _ = trained
    out = tool('tools/analysis_tools/benchmark_anymodal_eval.py', '--size', '64', '--frames', '2',
               '--checkpoint', ckpt)
    assert 'speed-up:' in out and 'identical predicted pixels' in out


def test_train_benchmark_reports_three_models_and_checkpointing():
    out = tool('tools/analysis_tools/benchmark_train.py', '--size', '64', '--batch', '1',
               '--iters', '1')
    assert out.count('s/iter') == 5 and 'AnySeg distiller' in out
    assert 'MiT stages checkpointed (with_cp)' in out
    assert 'teacher forward alone' in out and 'lowest reachable ratio of (b)' in out


def test_rrm_benchmark_reports_ratio_and_agreement():
    out = tool('tools/analysis_tools/benchmark_rrm.py', '--size', '64', '--batch', '1',
               '--modalities', '2', '--repeats', '1')
    assert '8 pairs over 4 stages' in out and 'speed-up:' in out
    difference = float(out.split('relative difference of the values: ')[1].split()[0])
    assert difference < 1e-5


def test_robustness_benchmark_scores_every_scenario(trained):
    config, ckpt, tmp = trained
    out = tmp / 'robustness'
    log = tool('tools/analysis_tools/robustness_benchmark.py', config, ckpt, '--out', str(out),
               '--model-name', 'tiny')
    assert 'all scenarios:' in log
    import json
    with open(out / 'robustness.json') as f:
        scenarios = json.load(f)['tiny']
    assert list(scenarios) == ['emm_drop', 'emm_zero', 'rmm_r025', 'rmm_r050', 'rmm_r075',
                               'nm_low', 'nm_mid', 'nm_high']
    assert scenarios['emm_zero']['protocol']['missing'] == 'zero'
    assert scenarios['rmm_r050']['protocol']['corruption']['rate'] == 0.5
    for result in scenarios.values():
        assert len(result['subsets']) == 15
        assert set(result['robustness']) == {'Avg', 'E(p=0.2)', 'E(p=0.1)', 'E(p=0.05)'}
    # RMM keeps the full set intact; its first combination is the clean model's.
    full = 'RDEL'
    assert scenarios['rmm_r075']['subsets'][full]['IoU'] == pytest.approx(
        scenarios['emm_zero']['subsets'][full]['IoU'])
    table = (out / 'robustness.md').read_text()
    assert '| tiny | 1 | RMM, rate 0.50 |' in table and 'mIoU E(p=0.1)' in table
    assert (out / 'robustness.png').stat().st_size > 0
    emm_log = (out / 'emm_zero.log').read_text()
    assert 'missing modalities: zero' in emm_log and 'Sensor-failure aggregates' in emm_log


def test_robustness_benchmark_skips_drop_for_fixed_branch_models():
    sys.path.insert(0, osp.join(REPO_ROOT, 'tools', 'analysis_tools'))
    from robustness_benchmark import can_drop_modalities
    configs = osp.join(REPO_ROOT, 'configs')
    assert not can_drop_modalities(osp.join(configs, 'baselines/cmnext_segb0_deliver.py'))
    assert not can_drop_modalities(osp.join(configs, 'baselines/cmx_segb0_muses.py'))
    assert can_drop_modalities(osp.join(configs, 'baselines/magic_segb0_deliver.py'))
    assert can_drop_modalities(osp.join(configs, 'anyseg/anyseg_segb0_deliver.py'))


def test_memory_estimate_fits_and_extrapolates():
    out = tool('tools/analysis_tools/memory_estimate.py', '--crop', '128', '--batch', '1',
               '--sizes', '32', '64', '96', '128')
    rows = [line for line in out.splitlines() if 'GiB' in line]
    assert len(rows) == 8 and 'with_cp' in rows[2] and 'PML teacher B2' in rows[-1]
    assert len({line.index(' GiB') for line in rows}) == 1  # one column per field
    # the fourth size is held out: the fit must predict it
    assert all(float(line.split('%')[0].split()[-1]) < 1.0 for line in rows), out
    assert 'Table 12' in out
