"""Atomic local writes: a training killed while it saves a checkpoint resumes from the last
complete one with the uninterrupted run's weights."""
import subprocess
import sys
from concurrent.futures import ThreadPoolExecutor

import pytest
import torch
from mmengine.fileio import get_file_backend

from mmseg_anyseg.engine import AtomicLocalBackend
from tests.conftest import REPO_ROOT
from tests.test_tools.test_train_test_tools import env, run, write_config

# Dies in the middle of writing iter_4.pth: half of its bytes on disk, then SIGKILL.
DYING_TRAIN = '''
import os, runpy, signal, sys
import mmseg_anyseg
from mmseg_anyseg.engine import AtomicLocalBackend

write_part = AtomicLocalBackend.write_part


def dying(self, obj, part):
    if 'iter_4.pth.' in part:
        with open(part, 'wb') as f:
            f.write(obj[:len(obj) // 2])
        os.kill(os.getpid(), signal.SIGKILL)
    write_part(self, obj, part)


AtomicLocalBackend.write_part = dying
sys.argv = ['tools/train.py'] + sys.argv[1:]
runpy.run_path('tools/train.py', run_name='__main__')
'''


def test_local_paths_are_written_whole_and_in_place(tmp_path):
    backend = get_file_backend(str(tmp_path / 'x.pth'))
    assert isinstance(backend, AtomicLocalBackend)
    target = tmp_path / 'new' / 'folder' / 'x.pth'
    backend.put(b'weights', str(target))
    backend.put_text('iter_2.pth', str(tmp_path / 'last'))
    assert target.read_bytes() == b'weights' and (tmp_path / 'last').read_text() == 'iter_2.pth'
    assert not list(tmp_path.rglob('*.part'))


def test_writers_of_one_file_do_not_take_each_others_parts(tmp_path):
    """Ranks that dump the same file (mmengine's test metrics) each rename a whole part."""
    backend = AtomicLocalBackend()
    target = str(tmp_path / 'metrics.json')
    payloads = [bytes([k]) * 200_000 for k in range(8)]
    with ThreadPoolExecutor(8) as pool:
        list(pool.map(lambda p: [backend.put(p, target) for _ in range(20)], payloads))
    assert open(target, 'rb').read() in payloads
    assert not list(tmp_path.glob('*.part'))


@pytest.mark.slow
def test_a_kill_while_saving_resumes_from_the_last_complete_checkpoint(tmp_path,
                                                                       synthetic_deliver):
    config = write_config(tmp_path, synthetic_deliver, iters=6)
    work = tmp_path / 'killed'
    driver = tmp_path / 'dying_train.py'
    driver.write_text(DYING_TRAIN)
    killed = subprocess.run([sys.executable, str(driver), config, '--work-dir', str(work)],
                            cwd=REPO_ROOT, env=env(), capture_output=True, text=True,
                            timeout=600)
    assert killed.returncode == -9, killed.stderr[-2000:]
    assert list(work.glob('iter_4.pth.*.part')) and not (work / 'iter_4.pth').exists()
    assert (work / 'last_checkpoint').read_text().strip().endswith('iter_2.pth')

    log = run([sys.executable, 'tools/train.py', config, '--work-dir', str(work), '--resume'])
    assert 'resumed epoch: 0, iter: 2' in log.stdout + log.stderr
    run([sys.executable, 'tools/train.py', config, '--work-dir', str(tmp_path / 'whole')])
    resumed = torch.load(str(work / 'iter_6.pth'), weights_only=False)['state_dict']
    whole = torch.load(str(tmp_path / 'whole' / 'iter_6.pth'), weights_only=False)['state_dict']
    assert resumed.keys() == whole.keys()
    different = [k for k in whole if not torch.equal(resumed[k], whole[k])]
    assert not different, different[:3]
