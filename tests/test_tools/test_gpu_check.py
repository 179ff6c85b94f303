"""The prepared GPU check: its dry run on the CPU goes through every section."""
import json
import subprocess

import pytest

from tests.conftest import REPO_ROOT
from tests.test_tools.test_train_test_tools import env


@pytest.mark.slow
def test_gpu_check_dry_run_measures_every_section(tmp_path):
    result = subprocess.run(['bash', 'tools/benchmark/gpu_check.sh', '--dry-run', '--out',
                             str(tmp_path)], cwd=REPO_ROOT, env=env(), capture_output=True,
                            text=True, timeout=900)
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-3000:]
    report = json.loads((tmp_path / 'gpu_check.json').read_text())
    assert report['settings']['dry_run'] and report['environment']['device'] == 'cpu'
    train = report['train']
    assert [r['model'] for r in train][:3] == ['(a) student + anymodal dropout',
                                                "(a') (a), MiT stages checkpointed (with_cp)",
                                                '(b) AnySeg distiller, B2 teacher']
    assert len(train) == 5 and all(r['s_per_iter'] > 0 for r in train)
    assert train[0]['ratio'] == 1.0 and train[2]['ratio'] > 1.0  # a teacher forward costs time
    assert report['eval']['subsets'] == 15 and report['eval']['identical_pct'] > 99.0
    assert report['onnx']['provider'] == 'CPUExecutionProvider' and report['onnx']['speedup'] > 0
    assert report['ddp'] == dict(report['ddp'], backend='gloo', processes=2)
    table = (tmp_path / 'gpu_check.md').read_text()
    assert '| (b) AnySeg distiller, B2 teacher | fp32 |' in table and 'Table 12' in table


def test_gpu_check_refuses_unknown_arguments():
    result = subprocess.run(['bash', 'tools/benchmark/gpu_check.sh', '--nonsense'],
                            cwd=REPO_ROOT, capture_output=True, text=True)
    assert result.returncode == 2 and 'unknown argument --nonsense' in result.stderr
