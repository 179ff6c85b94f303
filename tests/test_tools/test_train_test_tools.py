"""tools/train.py, tools/test.py and tools/dist_train.sh end to end on CPU."""
import copy
import glob
import json
import math
import os
import os.path as osp
import random
import subprocess
import sys
import time

import cv2
import pytest
import torch
from mmengine.config import Config

from tests.conftest import REPO_ROOT

# Runner trainings and tool subprocesses: the slow tier (pytest -m "not slow" skips them).
pytestmark = pytest.mark.slow

CONFIG = '''
_base_ = ['{repo}/configs/synthetic/{base}.py']
data_root = '{root}'
train_dataloader = dict(batch_size=2, num_workers=0, persistent_workers=False,
                        dataset=dict(data_root=data_root))
val_dataloader = dict(batch_size=2, num_workers=0, persistent_workers=False,
                      dataset=dict(data_root=data_root, split='val'))
test_dataloader = val_dataloader
train_cfg = dict(max_iters={iters}, val_interval={iters})
default_hooks = dict(checkpoint=dict(interval=2), logger=dict(interval=1))
randomness = dict(seed=0)
'''


def write_config(tmp_path, root: str, iters: int, base: str = 'pml_segb0_synthetic',
                 extra: str = '') -> str:
    """A CPU-sized config inheriting ``configs/synthetic/<base>.py``."""
    path = str(tmp_path / f'{base}_{iters}.py')
    with open(path, 'w') as f:
        f.write(CONFIG.format(repo=REPO_ROOT, root=root, iters=iters, base=base) + extra)
    return path


def env() -> dict:
    return dict(os.environ, PYTHON=sys.executable, PYTHONUNBUFFERED='1',
                PORT=str(random.randint(20000, 40000)), OMP_NUM_THREADS='1')


def run(cmd, **kwargs) -> subprocess.CompletedProcess:
    result = subprocess.run(cmd, cwd=REPO_ROOT, env=env(), capture_output=True, text=True,
                            timeout=600, **kwargs)
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-3000:]
    return result


def train_losses(work_dir: str) -> list:
    scalars = glob.glob(osp.join(work_dir, '*', 'vis_data', 'scalars.json'))
    with open(sorted(scalars)[-1]) as f:
        return [json.loads(line)['loss'] for line in f if '"loss"' in line]


def test_distributed_two_processes_match_one(tmp_path, synthetic_deliver):
    config = write_config(tmp_path, synthetic_deliver, iters=6)
    run(['bash', 'tools/dist_train.sh', config, '2', '--work-dir', str(tmp_path / 'two')])
    run([sys.executable, 'tools/train.py', config, '--work-dir', str(tmp_path / 'one')])
    two, one = train_losses(str(tmp_path / 'two')), train_losses(str(tmp_path / 'one'))
    assert len(two) == len(one) == 6
    assert 0.5 < two[-1] / one[-1] < 2.0, (one, two)
    assert two[-1] < two[0] and one[-1] < one[0]
    ckpt = torch.load(str(tmp_path / 'two' / 'iter_6.pth'))
    assert ckpt['meta']['iter'] == 6
    assert len(ckpt['meta']['torch_random_states']) == 2  # RandomStateHook, one per process


def test_killed_training_resumes_from_last_checkpoint(tmp_path, synthetic_deliver):
    config = write_config(tmp_path, synthetic_deliver, iters=8)
    work_dir = str(tmp_path / 'work')
    cmd = [sys.executable, 'tools/train.py', config, '--work-dir', work_dir]
    proc = subprocess.Popen(cmd, cwd=REPO_ROOT, env=env(), stdout=subprocess.DEVNULL,
                            stderr=subprocess.DEVNULL)
    deadline = time.time() + 300
    while not osp.exists(osp.join(work_dir, 'iter_4.pth')) and time.time() < deadline:
        time.sleep(0.2)
    proc.kill()
    proc.wait()
    assert osp.exists(osp.join(work_dir, 'iter_4.pth'))
    assert not osp.exists(osp.join(work_dir, 'iter_8.pth'))
    with open(osp.join(work_dir, 'last_checkpoint')) as f:
        last = f.read().strip()
    resumed_from = torch.load(last)['meta']['iter']
    # a training started from other weights (load_from) resumes from its own work dir
    result = run(cmd + ['--resume', '--cfg-options',
                        f'load_from={tmp_path / "initial_weights_read_only_at_the_start.pth"}'])
    log = result.stdout + result.stderr
    assert f'resumed epoch: 0, iter: {resumed_from}' in log
    assert f'Iter(train) [{resumed_from + 1}/8]' in log
    final = torch.load(osp.join(work_dir, 'iter_8.pth'))
    assert final['meta']['iter'] == 8
    assert final['optimizer']['state'], 'optimizer state was not saved'
    assert final['param_schedulers'][0]['last_step'] == 8  # warm-up scheduler state
    # The same random draws (modality dropout) after the kill: the uninterrupted loss curve.
    run([sys.executable, 'tools/train.py', config, '--work-dir', str(tmp_path / 'uninterrupted')])
    assert train_losses(work_dir)[-(8 - resumed_from):] == \
        train_losses(str(tmp_path / 'uninterrupted'))[resumed_from:]


def test_test_tool_prints_table_and_writes_json_and_png(tmp_path, synthetic_deliver):
    config = write_config(tmp_path, synthetic_deliver, iters=2)
    run([sys.executable, 'tools/train.py', config, '--work-dir', str(tmp_path / 'work')])
    out = str(tmp_path / 'anymodal')
    shown = str(tmp_path / 'shown')
    result = run([sys.executable, 'tools/test.py', config, str(tmp_path / 'work' / 'iter_2.pth'),
                  '--work-dir', str(tmp_path / 'test'), '--anymodal-out', out,
                  '--show-dir', shown])
    log = result.stdout + result.stderr
    assert '| RDEL |' in log or 'RDEL' in log
    for name in ('anymodal.json', 'anymodal.md', 'anymodal.png'):
        assert osp.getsize(osp.join(out, name)) > 0
    with open(osp.join(out, 'anymodal.json')) as f:
        data = json.load(f)
    assert len(data['subsets']) == 15 and 'condition=fog' in data['splits']
    # The visualizer draws [rgb | depth | event | lidar | ground truth | prediction].
    drawn = glob.glob(osp.join(shown, '**', '*.png'), recursive=True)
    assert drawn
    height, width = cv2.imread(drawn[0]).shape[:2]
    assert width == 6 * height

    out2 = str(tmp_path / 'anymodal_dist')
    run(['bash', 'tools/dist_test.sh', config, str(tmp_path / 'work' / 'iter_2.pth'), '2',
         '--work-dir', str(tmp_path / 'test2'), '--anymodal-out', out2])
    with open(osp.join(out2, 'anymodal.json')) as f:
        distributed = json.load(f)
    for name, values in data['subsets'].items():
        assert distributed['subsets'][name]['IoU'] == pytest.approx(values['IoU'], abs=1e-6)


def test_distributed_distillation_from_a_teacher_checkpoint(tmp_path, synthetic_deliver):
    teacher_cfg = write_config(tmp_path, synthetic_deliver, iters=2)
    run([sys.executable, 'tools/train.py', teacher_cfg, '--work-dir', str(tmp_path / 'teacher')])
    teacher = dict(config=teacher_cfg, checkpoint=str(tmp_path / 'teacher' / 'iter_2.pth'))
    student_cfg = write_config(tmp_path, synthetic_deliver, iters=2, base='anyseg_segb0_synthetic',
                               extra=f'model = dict(teacher={teacher!r})\n')
    result = run(['bash', 'tools/dist_train.sh', student_cfg, '2', '--work-dir',
                  str(tmp_path / 'student')])
    log = result.stdout + result.stderr
    assert 'loss_umd' in log and 'loss_cmd' in log and 'loss_mad' in log
    state = torch.load(str(tmp_path / 'student' / 'iter_2.pth'))['state_dict']
    assert any(k.startswith('student.') for k in state)
    assert not any(k.startswith('teacher') for k in state)
    # The teacher is for training only: without its checkpoint the student still tests and
    # runs the demo; training fails before its first iteration, naming the path.
    os.remove(teacher['checkpoint'])
    ckpt = str(tmp_path / 'student' / 'iter_2.pth')
    result = run([sys.executable, 'tools/test.py', student_cfg, ckpt, '--work-dir',
                  str(tmp_path / 'test'), '--anymodal-out', str(tmp_path / 'test')])
    assert osp.isfile(str(tmp_path / 'test' / 'anymodal.json'))
    frame = sorted(glob.glob(osp.join(synthetic_deliver, 'img', '*', 'val', '*', '*.png')))[0]
    run([sys.executable, 'tools/anymodal_demo.py', student_cfg, ckpt, '--input', f'rgb={frame}',
         '--out', str(tmp_path / 'pred.png')])
    assert osp.isfile(str(tmp_path / 'pred.png'))
    failed = subprocess.run([sys.executable, 'tools/train.py', student_cfg, '--work-dir',
                             str(tmp_path / 'again')], cwd=REPO_ROOT, env=env(),
                            capture_output=True, text=True, timeout=600)
    log = failed.stdout + failed.stderr
    assert failed.returncode != 0
    assert f"teacher checkpoint not found: {teacher['checkpoint']!r}" in log
    assert 'Iter(train)' not in log and not glob.glob(str(tmp_path / 'again' / '*.pth'))


def test_distributed_robustseg_from_the_synthetic_config(tmp_path, synthetic_deliver):
    """configs/synthetic/robustseg_segb0_synthetic.py in two gloo processes, global prototypes on."""
    teacher_cfg = write_config(tmp_path, synthetic_deliver, iters=2)
    run([sys.executable, 'tools/train.py', teacher_cfg, '--work-dir', str(tmp_path / 'teacher')])
    teacher = dict(config=teacher_cfg, checkpoint=str(tmp_path / 'teacher' / 'iter_2.pth'))
    extra = (f'model = dict(teacher={teacher!r}, '
             'distill_losses=dict(hpdm=dict(loss=dict(global_loss_weight=1.0))))\n')
    student_cfg = write_config(tmp_path, synthetic_deliver, iters=2,
                               base='robustseg_segb0_synthetic', extra=extra)
    log = run(['bash', 'tools/dist_train.sh', student_cfg, '2', '--work-dir',
               str(tmp_path / 'student')]).stdout
    ckpt = torch.load(str(tmp_path / 'student' / 'iter_2.pth'))
    assert len(ckpt['meta']['torch_random_states']) == 2
    assert ckpt['state_dict']['distill_losses.hpdm.global_prototypes_3'].abs().sum() > 0
    losses = train_losses(str(tmp_path / 'student'))
    assert len(losses) == 2 and all(map(math.isfinite, losses)), log[-2000:]


def test_prototype_state_is_checkpointed_and_resumed(tmp_path, synthetic_deliver):
    """RobustSeg's global prototypes: saved with the checkpoint, restored by --resume."""
    from mmengine.runner import Runner

    from tests.helpers import anymodal_model, hpdm_losses, runner_cfg
    teacher_dir = tmp_path / 'teacher'
    teacher = runner_cfg(str(teacher_dir), synthetic_deliver, anymodal_model(embed_dims=8))
    Runner.from_cfg(copy.deepcopy(teacher)).train()
    Config(dict(model=teacher['model'], default_scope='mmseg')).dump(str(tmp_path / 't.py'))
    model = dict(type='AnySegDistiller', data_preprocessor=teacher['model']['data_preprocessor'],
                 student=anymodal_model(embed_dims=8),
                 teacher=dict(config=str(tmp_path / 't.py'),
                              checkpoint=str(teacher_dir / 'iter_2.pth')),
                 distill_losses=hpdm_losses(global_loss_weight=1.0))
    work = str(tmp_path / 'student')
    Runner.from_cfg(runner_cfg(work, synthetic_deliver, model, max_iters=2)).train()
    saved = torch.load(osp.join(work, 'iter_2.pth'), weights_only=False)['state_dict']
    state = saved['distill_losses.hpdm.global_prototypes_3']
    assert state.abs().sum() > 0
    resumed = Runner.from_cfg(dict(runner_cfg(work, synthetic_deliver, model, max_iters=3),
                                   resume=True))
    loss = resumed.model.distill_losses['hpdm']
    seen = []
    update = loss.update_global

    def record(stage, batch_prototypes):  # the state each EMA step starts from
        seen.append((stage, getattr(loss, f'global_prototypes_{stage}').clone()))
        update(stage, batch_prototypes)

    loss.update_global = record
    resumed.train()
    assert resumed.iter == 3
    start = dict(seen)[3]
    assert torch.equal(start, state)  # restored from the checkpoint, not zeros
