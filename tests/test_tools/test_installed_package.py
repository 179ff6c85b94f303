"""The plugin as a user of another mmseg code base meets it: a wheel installed apart
from this checkout, configs inherited from the package, mmseg's own tools, run from a
scratch directory outside the repository."""
import glob
import json
import os
import os.path as osp
import subprocess
import sys

import mmseg
import pytest

from tests.conftest import REPO_ROOT

# Runner trainings and tool subprocesses: the slow tier (pytest -m "not slow" skips them).
pytestmark = pytest.mark.slow

MMSEG_TOOLS = osp.join(osp.dirname(mmseg.__file__), '.mim', 'tools')

USER_CONFIG = '''
_base_ = ['{base}']
data_root = '{root}'
train_dataloader = dict(batch_size=2, num_workers=0, persistent_workers=False,
                        dataset=dict(data_root=data_root))
val_dataloader = dict(batch_size=2, num_workers=0, persistent_workers=False,
                      dataset=dict(data_root=data_root))
test_dataloader = val_dataloader
train_cfg = dict(max_iters=2, val_interval=2)
default_hooks = dict(checkpoint=dict(interval=2), logger=dict(interval=1))
'''


@pytest.fixture(scope='module')
def installed(tmp_path_factory):
    """The plugin built as a wheel and installed into a target directory."""
    tmp = tmp_path_factory.mktemp('installed')
    wheels, target = tmp / 'wheels', tmp / 'site'
    subprocess.run([sys.executable, '-m', 'pip', 'wheel', '--no-deps', '--no-build-isolation',
                    '-q', '-w', str(wheels), REPO_ROOT], check=True, capture_output=True)
    wheel = glob.glob(str(wheels / 'mmseg_anyseg-*.whl'))
    assert len(wheel) == 1
    subprocess.run([sys.executable, '-m', 'pip', 'install', '--no-deps', '-q', '--target',
                    str(target), wheel[0]], check=True, capture_output=True)
    scratch = tmp / 'user_project'
    scratch.mkdir()
    env = dict(os.environ, PYTHONPATH=str(target), OMP_NUM_THREADS='1', PYTHONUNBUFFERED='1')
    return dict(target=str(target), cwd=str(scratch), env=env)


def user_run(installed, *args) -> str:
    result = subprocess.run([sys.executable, *args], cwd=installed['cwd'], env=installed['env'],
                            capture_output=True, text=True, timeout=600)
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-3000:]
    return result.stdout + result.stderr


def test_configs_ship_inside_the_wheel(installed):
    out = user_run(installed, '-c', 'import mmseg_anyseg, mmseg_anyseg.cli as u; '
                   'print(mmseg_anyseg.__file__); print(u.config_path("anyseg/'
                   'anyseg_segb0_deliver.py"))')
    module, config = out.strip().splitlines()[-2:]
    assert module.startswith(installed['target'])
    assert config == osp.join(installed['target'], 'mmseg_anyseg', '.mim', 'configs', 'anyseg',
                              'anyseg_segb0_deliver.py')
    listed = user_run(installed, '-m', 'mmseg_anyseg.cli.configs', 'list')
    assert 'synthetic/anyseg_segb0_synthetic.py' in listed and '_base_' not in listed


def test_mmseg_tools_train_and_test_from_a_scratch_directory(installed, synthetic_deliver):
    configs = osp.join(installed['target'], 'mmseg_anyseg', '.mim', 'configs', 'synthetic')
    cwd = installed['cwd']
    teacher_cfg = osp.join(cwd, 'my_teacher.py')
    with open(teacher_cfg, 'w') as f:
        f.write(USER_CONFIG.format(base=osp.join(configs, 'pml_segb0_synthetic.py'),
                                   root=synthetic_deliver))
    user_run(installed, osp.join(MMSEG_TOOLS, 'train.py'), teacher_cfg, '--work-dir',
             'work_dirs/teacher')
    assert osp.isfile(osp.join(cwd, 'work_dirs', 'teacher', 'iter_2.pth'))

    student_cfg = osp.join(cwd, 'my_student.py')
    with open(student_cfg, 'w') as f:
        f.write(USER_CONFIG.format(base=osp.join(configs, 'anyseg_segb0_synthetic.py'),
                                   root=synthetic_deliver) +
                "model = dict(teacher=dict(checkpoint='work_dirs/teacher/iter_2.pth'))\n")
    log = user_run(installed, osp.join(MMSEG_TOOLS, 'train.py'), student_cfg, '--work-dir',
                   'work_dirs/student')
    assert 'loss_umd' in log and 'loss_cmd' in log and 'loss_mad' in log

    out_file = osp.join(cwd, 'anymodal.json')
    log = user_run(installed, osp.join(MMSEG_TOOLS, 'test.py'), student_cfg,
                   'work_dirs/student/iter_2.pth', '--work-dir', 'work_dirs/test',
                   '--cfg-options', f'test_evaluator.out_file={out_file}')
    assert 'RDEL' in log
    with open(out_file) as f:
        assert len(json.load(f)['subsets']) == 15
