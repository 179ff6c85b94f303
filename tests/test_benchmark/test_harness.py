"""The benchmark harness: a tiny spec end to end through the stock tools, killed and rerun."""
import json
import os
import shutil
import signal
import subprocess
import sys
import threading
import time

import pytest

from mmseg_anyseg.benchmark import SpecError, load_spec
from mmseg_anyseg.benchmark.harness import (apply_budget, order_entries, plan,
                                            run_passing_on_sigterm)
from tests.conftest import REPO_ROOT
from tests.test_tools.test_train_test_tools import env

TINY = '''
_base_ = ['{repo}/configs/synthetic/{base}.py']
data_root = '{root}'
train_dataloader = dict(batch_size=2, num_workers=0, persistent_workers=False,
                        dataset=dict(data_root=data_root))
val_dataloader = dict(batch_size=2, num_workers=0, persistent_workers=False,
                      dataset=dict(data_root=data_root))
test_dataloader = val_dataloader
param_scheduler = [dict(type='PolyLR', power=0.9, begin=0, end=600, by_epoch=False)]
default_hooks = dict(checkpoint=dict(interval=1), logger=dict(interval=1))
'''

SPEC = '''
protocol = dict(iters=3, seeds=[0, 1], split='val', sec_per_iter=2.0, reference='teacher')
entries = [
    dict(name='teacher', config='{teacher}', iters=2, seeds=[0]),
    dict(name='AnySeg', config='{student}', teacher='teacher'),
]
'''

STUDY = '''
_base_ = ['{base}']
entries = [_base_.entries[0], _base_.entries[1],
           dict(name='AnySeg, no CMD', config=_base_.entries[1].config, teacher='teacher',
                seeds=[0], cfg_options=dict(model=dict(distill_losses=dict(cmd=None))))]
'''


def write(path, text: str) -> str:
    path.write_text(text)
    return str(path)


@pytest.fixture
def tiny_spec(tmp_path, synthetic_deliver):
    teacher = write(tmp_path / 'teacher.py', TINY.format(repo=REPO_ROOT, root=synthetic_deliver,
                                                         base='pml_segb0_synthetic'))
    student = write(tmp_path / 'student.py', TINY.format(repo=REPO_ROOT, root=synthetic_deliver,
                                                         base='anyseg_segb0_synthetic'))
    return write(tmp_path / 'spec.py', SPEC.format(teacher=teacher, student=student))


def harness(tmp_path, spec: str, *args) -> list:
    return [sys.executable, 'tools/benchmark/run.py', spec, '--raw', str(tmp_path / 'raw'),
            '--work-root', str(tmp_path / 'work'), '--out', str(tmp_path / 'board'), *args]


@pytest.mark.slow
def test_a_killed_spec_resumes_redoes_nothing_and_tabulates(tmp_path, tiny_spec):
    dry = subprocess.run(harness(tmp_path, tiny_spec, '--dry-run'), cwd=REPO_ROOT, env=env(),
                         capture_output=True, text=True, timeout=300)
    assert dry.returncode == 0, dry.stderr[-2000:]
    assert '3 runs, 0 finished, 3 to run, 0 to train again, estimated 0.0 h' in dry.stdout
    assert dry.stdout.index('teacher / seed 0') < dry.stdout.index('AnySeg / seed 0')
    assert 'python tools/train.py' in dry.stdout and 'python tools/test.py' in dry.stdout

    # Killed while the first student trains, after the teacher finished.
    first = subprocess.Popen(harness(tmp_path, tiny_spec), cwd=REPO_ROOT, env=env(),
                             stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
                             start_new_session=True)
    student_work = tmp_path / 'work' / 'AnySeg'
    deadline = time.time() + 600
    while not (list((tmp_path / 'raw').glob('teacher/seed0-*/run.json')) and student_work.exists()
               and list(student_work.glob('seed0-*/last_checkpoint'))):
        assert first.poll() is None, first.stdout.read()[-3000:]
        assert time.time() < deadline
        time.sleep(0.5)
    os.killpg(first.pid, signal.SIGKILL)
    first.wait()
    killed_at = int(next(student_work.glob('seed0-*/last_checkpoint')).read_text().strip()
                    .rsplit('iter_', 1)[1].split('.')[0])
    teacher_record, = (tmp_path / 'raw').glob('teacher/seed0-*/run.json')
    before = teacher_record.read_text()
    assert not list((tmp_path / 'raw').glob('AnySeg/seed0-*/run.json'))

    second = subprocess.run(harness(tmp_path, tiny_spec), cwd=REPO_ROOT, env=env(),
                            capture_output=True, text=True, timeout=900)
    assert second.returncode == 0, second.stdout[-3000:] + second.stderr[-3000:]
    assert '3 runs, 1 finished, 2 to run' in second.stdout
    assert any('AnySeg / seed 0' in line and f'resumes at iteration {killed_at}' in line
               for line in second.stdout.splitlines())
    assert (f'AnySeg / seed 0: training iterations {killed_at + 1}-3 ' if killed_at < 3
            else 'AnySeg / seed 0: scoring (trained)') in second.stdout
    assert teacher_record.read_text() == before  # the finished teacher was not redone
    log = next((tmp_path / 'work' / 'AnySeg').glob('seed0-*/harness.log')).read_text()
    assert '--resume' in log
    resumed = json.loads(next((tmp_path / 'raw').glob('AnySeg/seed0-*/run.json')).read_text())
    fresh = json.loads(next((tmp_path / 'raw').glob('AnySeg/seed1-*/run.json')).read_text())
    assert (resumed['resumed_from'], fresh['resumed_from']) == (killed_at, 0)
    teacher_weights = json.loads(before)['weights']
    assert resumed['teacher']['weights'] == fresh['teacher']['weights'] == teacher_weights
    assert len(teacher_weights) == 12 and resumed['weights'] != fresh['weights']
    for record, named in (('run.json', 'AnySeg'), ('config.py', 'teacher')):
        text = next((tmp_path / 'raw').glob(f'AnySeg/seed0-*/{record}')).read_text()
        assert str(tmp_path / 'work') not in text  # the work root, outside the repository
        assert f'work_dirs/benchmark/{named}/seed0-' in text

    board = json.loads((tmp_path / 'board.json').read_text())
    assert list(board['rows']) == ['teacher', 'AnySeg']
    student = board['rows']['AnySeg']
    assert student['seeds'] == [0, 1] and board['rows']['teacher']['seeds'] == [0]
    assert student['iterations'] == 3 and student['total_iterations'] == 5
    assert len(student['subsets']) == 15 and sorted(student['sizes']) == ['1', '2', '3', '4']
    for name, (mean, _) in student['subsets'].items():  # a fresh aggregation of the raw files
        values = [json.load(open(next((tmp_path / 'raw').glob(f'AnySeg/seed{s}-*/anymodal.json'))))
                  ['subsets'][name]['IoU'] for s in (0, 1)]
        assert mean == pytest.approx(sum(values) / 2)
    assert student['vs_reference']['seeds'] == [0]
    assert (tmp_path / 'board.png').stat().st_size > 0
    table = (tmp_path / 'board.md').read_text()
    assert '| AnySeg | 2 | 3 (5) |' in table and 'Paired difference to teacher' in table
    assert f'| AnySeg | {teacher_weights} | {teacher_weights} |' in table

    third = subprocess.run(harness(tmp_path, tiny_spec), cwd=REPO_ROOT, env=env(),
                           capture_output=True, text=True, timeout=300)
    assert '3 runs, 3 finished, 0 to run' in third.stdout
    # A changed option is a new run, never the old result under a new config.
    changed = tiny_spec.replace('.py', '_changed.py')
    with open(changed, 'w') as f:
        f.write(open(tiny_spec).read().replace("teacher='teacher')",
                                               "teacher='teacher', cfg_options=dict("
                                               "model=dict(distill_losses=dict(cmd=None))))"))
    dry = subprocess.run(harness(tmp_path, changed, '--dry-run'), cwd=REPO_ROOT, env=env(),
                         capture_output=True, text=True, timeout=300)
    assert '3 runs, 1 finished, 2 to run' in dry.stdout
    assert dry.stdout.count('another config recorded: runs') == 2

    # A second spec sharing the teacher and a row counts their runs; with the teacher's
    # checkpoint gone (a fresh machine), its new row makes the teacher train again first, and
    # the teacher's record says how close the new training came to the recorded scores.
    shutil.rmtree(tmp_path / 'work' / 'teacher')
    study = write(tmp_path / 'study.py', STUDY.format(base=tiny_spec))
    rerun = subprocess.run(harness(tmp_path, study), cwd=REPO_ROOT, env=env(),
                           capture_output=True, text=True, timeout=900)
    assert rerun.returncode == 0, rerun.stdout[-3000:] + rerun.stderr[-3000:]
    assert '4 runs, 3 finished, 1 to run, 1 to train again' in rerun.stdout
    record = json.loads(teacher_record.read_text())
    reproduction, = record['reproductions']
    assert record['threads'] == reproduction['threads'] == 1  # the tests' OMP_NUM_THREADS
    assert reproduction['max_abs_miou_difference'] == 0.0  # same machine, same threads
    assert reproduction['weights'] == teacher_weights
    assert f'weights {teacher_weights}; the same weights as recorded' in rerun.stdout
    assert set(json.loads((tmp_path / 'board.json').read_text())['rows']) == {
        'teacher', 'AnySeg', 'AnySeg, no CMD'}


def test_specs_are_checked_with_the_key_named(tmp_path, tiny_spec):
    bad = tmp_path / 'bad.py'
    bad.write_text(open(tiny_spec).read().replace("teacher='teacher'", "teacher='nobody'"))
    with pytest.raises(SpecError, match=r"entries\[1\] \('AnySeg'\): teacher='nobody' is not an "
                       r"entry; entries: \['teacher', 'AnySeg'\]"):
        load_spec(str(bad))
    bad.write_text(open(tiny_spec).read().replace("iters=2,", "iter=2,"))
    with pytest.raises(SpecError, match=r"entries\[0\] \('teacher'\) has unknown keys \['iter'\]"):
        load_spec(str(bad))
    bad.write_text(open(tiny_spec).read().replace("teacher='teacher'",
                                                  "teacher='teacher', init_from='AnySeg'"))
    with pytest.raises(SpecError, match=r"teacher='teacher' and init_from='AnySeg' must name the "
                       'same entry'):
        load_spec(str(bad))
    with pytest.raises(SpecError, match='in a cycle: a -> b -> a'):
        order_entries([dict(name='a', teacher='b'), dict(name='b', init_from='a')])


def test_a_runs_key_names_its_config_and_teacher_not_the_work_folder(tmp_path, tiny_spec):
    spec = load_spec(tiny_spec)
    here = plan(spec, str(tmp_path / 'raw'), str(tmp_path / 'work'))
    there = plan(spec, str(tmp_path / 'raw'), '/elsewhere/work')
    assert [r.key for r in here] == [r.key for r in there]
    student = here[1]
    assert student.config.model.teacher.checkpoint == here[0].checkpoint
    assert student.config.model.teacher.checkpoint.startswith(str(tmp_path / 'work'))
    other_seed = load_spec(tiny_spec)
    other_seed.entries[0]['seeds'] = [1]  # another teacher is another student
    assert plan(other_seed, str(tmp_path / 'raw'), str(tmp_path / 'work'))[1].key != student.key
    # The config's own teacher path is absolute ({{fileDirname}}): another clone, same key.
    moved = tmp_path / 'moved_student.py'
    moved.write_text(open(student.entry['config']).read() + "\nmodel = dict(teacher=dict("
                     "config='/another/clone/configs/synthetic/pml_segb0_synthetic.py'))\n")
    elsewhere = load_spec(tiny_spec)
    elsewhere.entries[1]['config'] = str(moved)
    assert plan(elsewhere, str(tmp_path / 'raw'), str(tmp_path / 'work'))[1].key == student.key


def test_a_work_root_inside_the_repository_is_recorded_relative(tiny_spec, monkeypatch):
    monkeypatch.chdir(REPO_ROOT)
    runs = plan(load_spec(tiny_spec), 'raw', os.path.join(REPO_ROOT, 'work_dirs', 'benchmark'))
    assert runs[1].work_dir.startswith(os.path.join('work_dirs', 'benchmark', 'AnySeg', 'seed0-'))
    assert runs[1].config.model.teacher.checkpoint == runs[0].checkpoint
    assert not os.path.isabs(runs[0].checkpoint)
    other = plan(load_spec(tiny_spec), 'raw', os.path.join('work_dirs', 'other'))[1]
    assert other.recorded_config.pretty_text == other.config.pretty_text


def test_a_work_root_outside_the_repository_is_recorded_as_the_default(tmp_path, tiny_spec):
    teacher, student, _ = plan(load_spec(tiny_spec), 'raw', str(tmp_path / 'work'))
    assert student.config.model.teacher.checkpoint == teacher.checkpoint  # trains from here
    recorded = student.recorded_config
    assert str(tmp_path) in student.config.pretty_text
    assert str(tmp_path) not in recorded.pretty_text
    assert recorded.model.teacher == dict(
        config=os.path.join('work_dirs', 'benchmark', 'teacher', f'seed0-{teacher.key}',
                            'config.py'),
        checkpoint=os.path.join('work_dirs', 'benchmark', 'teacher', f'seed0-{teacher.key}',
                                'iter_2.pth'))
    assert student.portable(f'--work-dir {tmp_path}/work_other/x') == (
        f'--work-dir {tmp_path}/work_other/x')  # only the work root itself is rewritten



def test_a_teacher_for_a_model_without_one_is_refused(tiny_spec):
    spec = load_spec(tiny_spec)
    spec.entries.append(dict(name='L_sup', config=spec.entries[0]['config'], teacher='teacher'))
    with pytest.raises(SpecError, match=r"'L_sup': teacher='teacher', but the model of .*teacher"
                       r"\.py \(AnymodalEncoderDecoder\) takes no teacher"):
        plan(spec, 'raw', 'work')


def test_a_student_without_a_named_teacher_is_refused(tiny_spec):
    spec = load_spec(tiny_spec)
    spec.entries.append(dict(name='AnySeg, from the teacher', config=spec.entries[1]['config'],
                             init_from='teacher'))
    with pytest.raises(SpecError, match=r"'AnySeg, from the teacher': the model of .*student\.py "
                       r"\(AnySegDistiller\) takes a teacher; name its entry with teacher="):
        plan(spec, 'raw', 'work')


def test_the_budget_moves_every_scheduler_that_ended_with_the_old_one():
    from mmengine.config import Config
    cfg = Config(dict(train_cfg=dict(max_iters=600, val_interval=600), param_scheduler=[
        dict(type='LinearLR', begin=0, end=50), dict(type='PolyLR', begin=50, end=600)],
        default_hooks=dict(checkpoint=dict(interval=100))))
    apply_budget(cfg, 1600)
    assert [s['end'] for s in cfg.param_scheduler] == [50, 1600]
    assert cfg.train_cfg.max_iters == 1600 == cfg.train_cfg.val_interval
    with pytest.raises(SpecError, match='LinearLR scheduler ends at iteration 50, after the '
                       'budget of 20'):
        apply_budget(cfg, 20)


def test_a_reproduction_at_another_thread_count_says_so_and_records_both(tmp_path, monkeypatch):
    from mmengine.config import Config

    from mmseg_anyseg.benchmark import harness
    raw = tmp_path / 'raw'
    raw.mkdir()
    (raw / 'run.json').write_text(json.dumps(dict(key='k', threads=3)))
    (raw / 'anymodal.json').write_text(json.dumps(dict(subsets=dict(R=dict(IoU=40.0),
                                                                     D=dict(IoU=30.0)))))
    scores = dict(subsets=dict(R=dict(IoU=40.5), D=dict(IoU=28.0)))
    monkeypatch.setattr(harness, 'train_and_test', lambda *args: ([], [12.0, 1.0], scores, 0))
    monkeypatch.setattr(harness, 'weights_fingerprint', lambda checkpoint: 'abc')
    monkeypatch.setenv('OMP_NUM_THREADS', '2')
    run = harness.Run(entry=dict(name='teacher'), seed=0, iters=2, config=Config(), key='k',
                      raw_dir=str(raw), work_dir=str(tmp_path / 'work'))
    said = []
    record = harness.reproduce(run, 'local', 1, None, log=said.append)
    assert said[0] == ('teacher / seed 0: recorded with 3 threads, trained again with 2: its '
                       'weights will not be bit-identical (set OMP_NUM_THREADS=3 for the '
                       'recorded ones)')
    reproduction, = record['reproductions']
    assert (reproduction['threads'], reproduction['subset']) == (2, 'D')
    assert reproduction['max_abs_miou_difference'] == pytest.approx(2.0)
    assert reproduction['result'] == 'anymodal_abc.json'  # beside the recorded scores
    assert json.loads((raw / 'anymodal_abc.json').read_text()) == scores
    assert json.loads((raw / 'anymodal.json').read_text())['subsets']['D'] == dict(IoU=30.0)
    monkeypatch.setenv('OMP_NUM_THREADS', '3')
    said.clear()
    harness.reproduce(run, 'local', 1, None, log=said.append)
    assert not any('threads' in line for line in said)
    assert said[-1].endswith('weights abc')  # the record names no weights of its own
    for recorded, verdict in (('abc', 'the same weights as recorded'),
                              ('xyz', 'other weights than recorded: its students from now on '
                                      'start from these')):
        (raw / 'run.json').write_text(json.dumps(dict(key='k', threads=3, weights=recorded)))
        harness.reproduce(run, 'local', 1, None, log=said.append)
        assert said[-1].endswith(f'weights abc; {verdict}')


def test_a_resumed_run_is_timed_and_estimated_from_its_last_checkpoint(tmp_path):
    from mmengine.config import Config

    from mmseg_anyseg.benchmark import harness
    work, raw = tmp_path / 'work', tmp_path / 'raw'
    entry = dict(name='teacher', sec_per_iter=3.0)
    run = harness.Run(entry=entry, seed=0, iters=3200, config=Config(), key='k',
                      raw_dir=str(raw), work_dir=str(work))
    assert run.trained_iters == 0
    work.mkdir()
    (work / 'last_checkpoint').write_text(str(work / 'iter_2800.pth') + '\n')
    assert run.trained_iters == 2800
    assert harness.measured_sec_per_iter([run], run, 1.0) == 3.0  # nothing measured yet
    raw.mkdir()
    (raw / 'anymodal.json').write_text('{}')
    (raw / 'run.json').write_text(json.dumps(dict(iters=3200, train_seconds=800.0,
                                                  resumed_from=2800)))
    assert harness.measured_sec_per_iter([run], run, 1.0) == 2.0  # 800 s over 400 iterations
    (raw / 'run.json').write_text(json.dumps(dict(iters=3200, train_seconds=800.0)))
    assert harness.measured_sec_per_iter([run], run, 1.0) == 0.25  # a record from before


def test_a_sigterm_to_the_harness_stops_its_training(tmp_path):
    """A ``kill`` of the harness alone must not leave its training running."""
    before = signal.getsignal(signal.SIGTERM)
    threading.Timer(1.0, os.kill, (os.getpid(), signal.SIGTERM)).start()
    tic = time.time()
    with open(tmp_path / 'log', 'w') as out:
        code = run_passing_on_sigterm([sys.executable, '-c', 'import time; time.sleep(60)'],
                                      out, dict(os.environ))
    assert code == -signal.SIGTERM and time.time() - tic < 30
    assert signal.getsignal(signal.SIGTERM) == before
