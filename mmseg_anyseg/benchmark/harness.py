"""The anymodal benchmark harness: a spec of entries and a protocol, run with the stock tools.

A spec is an mmengine config file::

    protocol = dict(
        iters=1600,                  # training iterations of every entry (unless it sets its own)
        seeds=[0, 1, 2],
        split='val',                 # the evaluated split
        cfg_options=dict(),          # applied to every entry's config
        sec_per_iter=0.8,            # CPU estimate for --dry-run until a run is measured
        reference='L_sup',           # the row every other is compared with, seed by seed
        robustness=False)            # also score every run under the sensor-failure scenarios
    entries = [
        dict(name='teacher', config='configs/synthetic/pml_segb0_synthetic.py', iters=2400,
             seeds=[0]),
        dict(name='L_sup', config='configs/synthetic/ablations/anymodal_segb0_synthetic_sup.py'),
        dict(name='AnySeg', config='configs/synthetic/anyseg_segb0_synthetic.py',
             teacher='teacher'),  # distilled from that entry's run (required for a distiller)
        dict(name='L_sup from teacher', config='...', init_from='teacher'),  # its weights
        dict(name='AnySeg from teacher', config='...', teacher='teacher',  # both: one source
             init_from='teacher'),
        dict(name='L_sup curve', config='...', iters=3200, val_interval=400),  # scored on the way
    ]

Every (entry, seed) is one run: its config resolved (the entry's config, the protocol's and
the entry's ``cfg_options``, the iteration budget applied to the loop and to every scheduler
that ended with the config's own budget, the teacher's config and checkpoint, the seed) and
written beside its results; trained with ``tools/train.py`` (or ``dist_train.sh`` /
``slurm_train.sh``) and scored with ``tools/test.py --anymodal-out``. A run is identified by
the hash of its resolved config (its key), so that a changed config or option is a new run
(the results of the old one stay beside it, and are not counted); a finished run is skipped;
a killed one resumes from its last checkpoint (its record's ``train_seconds`` time the
iterations after ``resumed_from``). A finished teacher (or weight source) whose
checkpoint is gone (a fresh machine) is trained again with its recorded config before its
students, and its new scores are compared with its record: the largest difference per subset
is added to its ``run.json`` under ``reproductions``. Every record names its weights by
their fingerprint (``weights``; a student's ``teacher`` names those it started from or
distilled), so that a retraining that came back with other weights is told apart from the
first: students paired in a comparison should share their teacher's weights. On a CPU a training is bit-identical
only at the same number of threads (``OMP_NUM_THREADS``), which every record names
(``threads``); a reproduction at another number says so before it trains. An entry with
``val_interval`` is also scored every that many iterations: its learning curve (mean mIoU
over the subsets by iteration) is recorded as ``curve.json``. Teachers (entries that others
name) run first; a student uses its teacher's first seed.

Raw results (``docs/results/raw/<entry>/seed<k>-<key>/``) and work dirs
(``work_dirs/benchmark/<entry>/seed<k>-<key>/``) are shared by the specs of a repository: a
run that another spec already made (same name, seed and resolved config) is not repeated, so
that the studies of one protocol share its teacher and rows; specs share a protocol and
entries by inheriting a base (``_base_ = [...]``, then ``_base_.teacher``). With
``robustness=True`` each run is also scored under every scenario of the sensor-failure
benchmark (``tools/analysis_tools/robustness_benchmark.py``; ``robustness.json`` beside its
results).
"""
import copy
import glob
import hashlib
import json
import os
import os.path as osp
import re
import shlex
import signal
import subprocess
import sys
import threading
import time
from dataclasses import dataclass, field
from typing import Dict, List, Optional, Sequence

from mmengine.config import Config

from ..checkpoint import weights_fingerprint

LAUNCHERS = ('local', 'dist', 'slurm')
DEFAULT_WORK_ROOT = osp.join('work_dirs', 'benchmark')
ENTRY_KEYS = ('name', 'config', 'iters', 'seeds', 'cfg_options', 'teacher', 'init_from',
              'sec_per_iter', 'val_interval')
PROTOCOL_KEYS = ('iters', 'seeds', 'split', 'cfg_options', 'sec_per_iter', 'reference',
                 'robustness')


class SpecError(ValueError):
    """A spec that cannot be run: names the file and the key at fault."""


@dataclass
class Run:
    """One (entry, seed) of a spec, resolved."""
    entry: dict
    seed: int
    iters: int
    config: Config
    key: str
    raw_dir: str
    work_dir: str
    depends: Optional['Run'] = None
    robustness: bool = False
    work_root: str = DEFAULT_WORK_ROOT

    def portable(self, text: str) -> str:
        """``text`` with a work root outside the repository written as the default one.

        Such a work root is a folder of one machine (its path is absolute); records name it
        as ``work_dirs/benchmark``, so that a record reads the same wherever it was made.
        One inside the repository is already written relative to it.
        """
        if not osp.isabs(self.work_root):
            return text
        return text.replace(self.work_root + os.sep, DEFAULT_WORK_ROOT + os.sep)

    @property
    def recorded_config(self) -> Config:
        """The config as its record names it: the source's paths made ``portable``."""
        cfg = copy.deepcopy(self.config)
        if self.entry.get('teacher'):
            cfg.model.teacher = {k: self.portable(v) for k, v in cfg.model.teacher.items()}
        if self.entry.get('init_from'):
            cfg.load_from = self.portable(cfg.load_from)
        return cfg

    @property
    def name(self) -> str:
        return f'{self.entry["name"]} / seed {self.seed}'

    @property
    def config_path(self) -> str:
        return osp.join(self.work_dir, 'config.py')

    @property
    def checkpoint(self) -> str:
        return osp.join(self.work_dir, f'iter_{self.iters}.pth')

    @property
    def trained_iters(self) -> int:
        """Iterations of its work dir's latest checkpoint (0 before the first)."""
        path = osp.join(self.work_dir, 'last_checkpoint')
        if not osp.isfile(path):
            return 0
        with open(path) as f:
            match = re.fullmatch(r'iter_(\d+)\.pth', osp.basename(f.read().strip()))
        return int(match.group(1)) if match else 0

    @property
    def result_file(self) -> str:
        return osp.join(self.raw_dir, 'anymodal.json')

    def reproduction_file(self, weights: str) -> str:
        """The scores of this run trained again, when it came back with ``weights``."""
        return osp.join(self.raw_dir, f'anymodal_{weights}.json')

    @property
    def robustness_file(self) -> str:
        return osp.join(self.raw_dir, 'robustness.json')

    def record(self) -> Optional[dict]:
        """The run's ``run.json`` if the run finished (with robustness if asked), else None."""
        path = osp.join(self.raw_dir, 'run.json')
        if not (osp.isfile(path) and osp.isfile(self.result_file)):
            return None
        if self.robustness and not osp.isfile(self.robustness_file):
            return None
        with open(path) as f:
            return json.load(f)

    def stale(self) -> bool:
        """Finished runs of this (entry, seed) exist, all with another config.

        Another config is an older one of this spec, or another spec's (an entry of the
        same name on other data, say): the raw results are shared by the specs.
        """
        others = glob.glob(osp.join(osp.dirname(self.raw_dir), f'seed{self.seed}-*', 'run.json'))
        return not osp.isfile(osp.join(self.raw_dir, 'run.json')) and bool(others)


def slug(name: str) -> str:
    return re.sub(r'[^A-Za-z0-9._-]+', '_', name).strip('_')


def load_spec(path: str) -> Config:
    """Read and check a spec.

    Raises:
        SpecError: an unknown key, a missing config, an unknown or cyclic teacher.
    """
    spec = Config.fromfile(path)
    for key in ('protocol', 'entries'):
        if key not in spec:
            raise SpecError(f'{path}: no {key!r}; see mmseg_anyseg/benchmark/harness.py')
    unknown = sorted(set(spec.protocol) - set(PROTOCOL_KEYS))
    if unknown:
        raise SpecError(f'{path}: protocol has unknown keys {unknown}; known: {PROTOCOL_KEYS}')
    names = [e.get('name') for e in spec.entries]
    for index, entry in enumerate(spec.entries):
        where = f'{path}: entries[{index}] ({entry.get("name")!r})'
        unknown = sorted(set(entry) - set(ENTRY_KEYS))
        if unknown:
            raise SpecError(f'{where} has unknown keys {unknown}; known: {ENTRY_KEYS}')
        if not entry.get('name') or not entry.get('config'):
            raise SpecError(f'{where} needs a name and a config')
        if names.count(entry['name']) > 1:
            raise SpecError(f'{where}: the name is used twice')
        if not osp.isfile(entry['config']):
            raise SpecError(f'{where}: config {entry["config"]} not found (paths are relative '
                            'to the repository root)')
        for ref in ('teacher', 'init_from'):
            if entry.get(ref) is not None and entry[ref] not in names:
                raise SpecError(f'{where}: {ref}={entry[ref]!r} is not an entry; entries: '
                                f'{names}')
        if entry.get('teacher') and entry.get('init_from') and \
                entry['teacher'] != entry['init_from']:
            raise SpecError(f'{where}: teacher={entry["teacher"]!r} and init_from='
                            f'{entry["init_from"]!r} must name the same entry (a run has one '
                            'source)')
    reference = spec.protocol.get('reference')
    if reference is not None and reference not in names:
        raise SpecError(f'{path}: protocol.reference={reference!r} is not an entry')
    order_entries(spec.entries, path)
    return spec


def order_entries(entries: Sequence[dict], path: str = 'spec') -> List[dict]:
    """The entries with every teacher (or weight source) before the entries that name it."""
    by_name = {e['name']: e for e in entries}
    ordered, state = [], {}

    def visit(entry: dict, chain: tuple) -> None:
        name = entry['name']
        if state.get(name) == 'done':
            return
        if name in chain:
            raise SpecError(f'{path}: entries depend on each other in a cycle: '
                            f'{" -> ".join(chain + (name, ))}')
        for ref in ('teacher', 'init_from'):
            if entry.get(ref):
                visit(by_name[entry[ref]], chain + (name, ))
        state[name] = 'done'
        ordered.append(entry)

    for entry in entries:
        visit(entry, ())
    return ordered


def apply_budget(cfg: Config, iters: int, val_interval: Optional[int] = None) -> None:
    """Train for ``iters`` iterations.

    Sets the loop's length and validation interval, and moves the end of every scheduler that
    ended with the old budget.
    """
    old = cfg.train_cfg.max_iters
    cfg.train_cfg.max_iters = iters
    cfg.train_cfg.val_interval = val_interval or iters
    for scheduler in cfg.get('param_scheduler', []):
        if scheduler.get('end') == old:
            scheduler['end'] = iters
        elif scheduler.get('end', 0) > iters:
            raise SpecError(f'a {scheduler["type"]} scheduler ends at iteration '
                            f'{scheduler["end"]}, after the budget of {iters}')
    checkpoint = cfg.get('default_hooks', {}).get('checkpoint')
    if checkpoint is not None:
        checkpoint['interval'] = min(checkpoint.get('interval', iters), val_interval or iters)
        checkpoint['max_keep_ckpts'] = 2
        checkpoint['save_best'] = None


def config_key(cfg: Config) -> str:
    return hashlib.sha1(cfg.pretty_text.encode()).hexdigest()[:12]


def run_key(cfg: Config, entry: dict, depends: Optional['Run']) -> str:
    """The key of a run: its config's hash, with its source named by the source's key.

    The teacher (``model.teacher``) or the weights (``load_from``) that the harness supplies
    enter as the source's key, not as paths: the config's own default teacher path is
    absolute (``{{fileDirname}}``), and the work dirs' folder is the machine's.
    """
    if depends is None:
        return config_key(cfg)
    hashed = cfg.to_dict()
    if entry.get('teacher'):
        hashed['model'] = dict(hashed['model'], teacher=None)
    if entry.get('init_from'):
        hashed.pop('load_from', None)
    return config_key(Config(dict(hashed, _depends_on=depends.key)))


def plan(spec: Config, raw_root: str, work_root: str) -> List[Run]:
    """Every (entry, seed) of the spec in dependency order, with its resolved config."""
    protocol = spec.protocol
    relative = osp.relpath(osp.abspath(work_root))
    work_root = osp.abspath(work_root) if relative.startswith(os.pardir) else relative
    runs: Dict[str, Run] = {}
    ordered = []
    for entry in order_entries(spec.entries):
        seeds = entry.get('seeds', protocol.get('seeds', [0]))
        iters = entry.get('iters', protocol['iters'])
        parsed = Config.fromfile(entry['config'])
        if entry.get('teacher') and 'teacher' not in parsed.model:
            raise SpecError(f'{entry["name"]!r}: teacher={entry["teacher"]!r}, but the model of '
                            f'{entry["config"]} ({parsed.model.get("type")}) takes no teacher')
        if 'teacher' in parsed.model and not entry.get('teacher'):
            raise SpecError(f'{entry["name"]!r}: the model of {entry["config"]} '
                            f'({parsed.model.get("type")}) takes a teacher; name its entry with '
                            "teacher='...' (the config's own teacher checkpoint is not the "
                            "harness's)")
        for seed in seeds:
            cfg = copy.deepcopy(parsed)
            options = dict(protocol.get('cfg_options', {}), **entry.get('cfg_options', {}))
            if options:
                cfg.merge_from_dict(options)
            apply_budget(cfg, iters, entry.get('val_interval'))
            cfg.randomness = dict(cfg.get('randomness', {}), seed=seed)
            if protocol.get('split'):
                for loader in ('val_dataloader', 'test_dataloader'):
                    cfg[loader].dataset.split = protocol['split']
            depends = None
            if entry.get('teacher'):
                depends = runs[entry['teacher']]
            if entry.get('init_from'):
                depends = runs[entry['init_from']]
            key = run_key(cfg, entry, depends)
            if entry.get('teacher'):
                cfg.model.teacher = dict(config=depends.config_path,
                                         checkpoint=depends.checkpoint)
            if entry.get('init_from'):
                cfg.load_from = depends.checkpoint
            raw_dir = osp.join(raw_root, slug(entry['name']), f'seed{seed}-{key}')
            run = Run(entry=entry, seed=seed, iters=iters, config=cfg, key=key,
                      raw_dir=raw_dir,
                      work_dir=osp.join(work_root, slug(entry['name']), f'seed{seed}-{key}'),
                      depends=depends, robustness=bool(protocol.get('robustness')),
                      work_root=work_root)
            ordered.append(run)
            runs.setdefault(entry['name'], run)  # a student uses its teacher's first seed
    return ordered


def train_command(run: Run, launcher: str, gpus: int, partition: Optional[str]) -> List[str]:
    """The command line, run from the repository root (``python`` is this interpreter)."""
    resume = ['--resume'] if osp.isfile(osp.join(run.work_dir, 'last_checkpoint')) else []
    if launcher == 'local':
        return ['python', 'tools/train.py', run.config_path, '--work-dir', run.work_dir,
                *resume]
    if launcher == 'dist':
        return ['bash', 'tools/dist_train.sh', run.config_path, str(gpus), '--work-dir',
                run.work_dir, *resume]
    return ['bash', 'tools/slurm_train.sh', partition or 'PARTITION', slug(run.name),
            run.config_path, run.work_dir, *resume]


def test_command(run: Run) -> List[str]:
    return ['python', 'tools/test.py', run.config_path, run.checkpoint,
            '--anymodal-out', osp.join(run.work_dir, 'anymodal'), '--model-name',
            run.entry['name'], '--work-dir', osp.join(run.work_dir, 'test')]


def robustness_command(run: Run) -> List[str]:
    return ['python', 'tools/analysis_tools/robustness_benchmark.py', run.config_path,
            run.checkpoint, '--out', osp.join(run.work_dir, 'robustness'), '--model-name',
            run.entry['name']]


def git_commit() -> str:
    try:
        return subprocess.run(['git', 'rev-parse', 'HEAD'], capture_output=True, text=True,
                              check=True).stdout.strip()
    except (OSError, subprocess.CalledProcessError):
        return 'unknown'


def write_json(path: str, data: dict) -> None:
    """Written beside, then renamed: a kill never leaves half a file."""
    os.makedirs(osp.dirname(path), exist_ok=True)
    with open(path + '.part', 'w') as f:
        json.dump(data, f, indent=2)
    os.replace(path + '.part', path)


def measured_sec_per_iter(runs: Sequence[Run], run: Run, default: float) -> float:
    """Seconds per iteration of finished runs of the same entry, else the spec's estimate.

    A record's ``train_seconds`` timed the iterations after ``resumed_from`` (a training
    killed and resumed is timed from its last start).
    """
    for other in runs:
        record = other.record() if other.entry is run.entry else None
        if record and record.get('train_seconds'):
            return record['train_seconds'] / (record['iters'] - record.get('resumed_from', 0))
    return run.entry.get('sec_per_iter', default)


def execute(spec_path: str, raw_root: str, work_root: str, launcher: str = 'local',
            gpus: int = 1, partition: Optional[str] = None, dry_run: bool = False,
            only: Optional[Sequence[str]] = None, log=print) -> List[Run]:
    """Run (or with ``dry_run`` list) every run of a spec that has not finished.

    Args:
        spec_path: The spec file.
        raw_root: Folder of the raw results, relative to the repository root
            (``<entry>/seed<k>-<key>/{anymodal.json, run.json, config.py}``), meant to be
            committed; shared by specs, so that a run one spec made counts in the others.
        work_root: Folder of the work dirs (checkpoints, logs), not committed; relative to
            the repository root, from which the harness runs. No path of one machine
            enters a key or a record: one outside the repository is recorded as the
            default work root (``Run.portable``).
        launcher: ``'local'``, ``'dist'`` (``dist_train.sh`` with ``gpus``) or ``'slurm'``
            (``slurm_train.sh`` on ``partition``).
        dry_run: Only print the commands, the state of each run and the estimated time.
        only: Names of the entries to run (their teachers run too).

    Returns:
        The runs of the spec.
    """
    if launcher not in LAUNCHERS:
        raise SpecError(f'launcher {launcher!r}; expected one of {LAUNCHERS}')
    spec = load_spec(spec_path)
    runs = plan(spec, raw_root, work_root)
    if only:
        unknown = sorted(set(only) - {r.entry['name'] for r in runs})
        if unknown:
            raise SpecError(f'--only {unknown}: not entries of {spec_path}')
        wanted = {r.entry['name'] for r in runs if r.entry['name'] in only}
        for r in reversed(runs):
            if r.entry['name'] in wanted and r.depends is not None:
                wanted.add(r.depends.entry['name'])
        runs = [r for r in runs if r.entry['name'] in wanted]
    default = spec.protocol.get('sec_per_iter', 1.0)
    todo = [r for r in runs if r.record() is None]
    rebuild = missing_checkpoints(runs, todo)
    todo = rebuild + todo
    estimate = {id(r): (r.iters - r.trained_iters) * measured_sec_per_iter(runs, r, default)
                for r in todo}
    log(f'{spec_path}: {len(runs)} runs, {len(runs) - len(todo) + len(rebuild)} finished, '
        f'{len(todo) - len(rebuild)} to run, {len(rebuild)} to train again, '
        f'estimated {sum(estimate.values()) / 3600:.1f} h of training')
    for run in runs:
        state = ('finished, checkpoint gone: trains again for its students' if run in rebuild
                 else 'finished' if run.record() else 'another config recorded: runs' if run.stale()
                 else f'resumes at iteration {run.trained_iters}' if run.trained_iters
                 else 'to run')
        log(f'  {run.name:40s} {run.iters:6d} it  {state}'
            + (f'  ~{estimate[id(run)] / 60:.0f} min' if id(run) in estimate else ''))
        if dry_run and run in todo:
            for cmd in commands_of(run, launcher, gpus, partition):
                log('      ' + shlex.join(cmd))
    if dry_run:
        return runs
    start, done_seconds = time.time(), 0.0
    for index, run in enumerate(todo):
        left = sum(estimate[id(r)] for r in todo[index:])
        step = ('scoring (trained)' if run.trained_iters >= run.iters
                else f'training iterations {run.trained_iters + 1}-{run.iters}'
                if run.trained_iters else f'training {run.iters} iterations')
        log(f'[{index + 1}/{len(todo)}] {run.name}: {step} '
            f'(~{estimate[id(run)] / 60:.0f} min; all left ~{left / 3600:.1f} h)')
        if run in rebuild:
            reproduce(run, launcher, gpus, partition, log)
        else:
            run_one(run, launcher, gpus, partition, log)
        done_seconds = time.time() - start
        log(f'[{index + 1}/{len(todo)}] {run.name}: done, {done_seconds / 60:.0f} min so far')
    return runs


def missing_checkpoints(runs: Sequence[Run], todo: Sequence[Run]) -> List[Run]:
    """Finished runs that a run to do depends on and whose checkpoint is not on this machine."""
    needed = {id(r.depends) for r in todo if r.depends is not None}
    return [r for r in runs if id(r) in needed and r.record() is not None
            and not osp.isfile(r.checkpoint)]


def learning_curve(work_dir: str) -> Dict[str, float]:
    """Iteration -> validation mIoU from a work dir's logs (every resumed part of it)."""
    curve = {}
    for path in sorted(glob.glob(osp.join(work_dir, '*', 'vis_data', 'scalars.json'))):
        with open(path) as f:
            for line in f:
                entry = json.loads(line)
                if 'mIoU' in entry:
                    curve[int(entry['step'])] = float(entry['mIoU'])
    return {str(k): curve[k] for k in sorted(curve)}


def commands_of(run: Run, launcher: str, gpus: int, partition: Optional[str]) -> List[list]:
    """Training, scoring and (with ``robustness``) the sensor-failure benchmark."""
    commands = [train_command(run, launcher, gpus, partition), test_command(run)]
    return commands + [robustness_command(run)] if run.robustness else commands


def train_and_test(run: Run, launcher: str, gpus: int, partition: Optional[str]) -> tuple:
    """Train and score a run in its work dir (resuming a killed training).

    A step whose output is already in the work dir (the final checkpoint, the scores, the
    robustness results: a run that another spec made) is not repeated.

    Returns:
        tuple: the commands, their durations in seconds (None for a step imported from the
        work dir), the scores (``anymodal.json``) and the iteration the training started
        from (0, or that of the checkpoint it resumed).
    """
    os.makedirs(run.work_dir, exist_ok=True)
    resumed_from = run.trained_iters
    if not osp.isfile(run.config_path):
        run.config.dump(run.config_path)
    commands = commands_of(run, launcher, gpus, partition)
    outputs = [run.checkpoint, osp.join(run.work_dir, 'anymodal', 'anymodal.json'),
               osp.join(run.work_dir, 'robustness', 'robustness.json')]
    seconds = []
    for cmd, output in zip(commands, outputs):
        if osp.isfile(output):
            seconds.append(None)
            continue
        tic = time.time()
        with open(osp.join(run.work_dir, 'harness.log'), 'a') as out:
            out.write(f'$ {shlex.join(cmd)}\n')
            out.flush()
            argv = [sys.executable, *cmd[1:]] if cmd[0] == 'python' else cmd
            env = dict(os.environ, PYTHON=sys.executable)
            returncode = run_passing_on_sigterm(argv, out, env)
        if returncode:
            how = (f'was stopped by signal {-returncode}' if returncode < 0
                   else f'exited with {returncode}')
            raise RuntimeError(f'{run.name}: {shlex.join(cmd)} {how}; '
                               f'log: {osp.join(run.work_dir, "harness.log")}')
        seconds.append(time.time() - tic)
    with open(osp.join(run.work_dir, 'anymodal', 'anymodal.json')) as f:
        return commands, seconds, json.load(f), resumed_from


def run_passing_on_sigterm(argv: Sequence[str], out, env: Dict[str, str]) -> int:
    """Run a command to its end, passing a SIGTERM sent to this process on to it.

    A terminal's Ctrl-C and a signal to the process group reach the command already; a
    ``kill`` of the harness alone would leave its training running, and a rerun would
    train a second time into the same work dir beside it.

    Args:
        argv: The command.
        out: The open file that takes its stdout and stderr.
        env: Its environment.

    Returns:
        Its exit status, negative for the signal that stopped it.
    """
    child = subprocess.Popen(argv, stdout=out, stderr=subprocess.STDOUT, env=env)
    in_main = threading.current_thread() is threading.main_thread()
    previous = (signal.signal(signal.SIGTERM, lambda signum, frame: child.send_signal(signum))
                if in_main else None)
    try:
        return child.wait()
    except BaseException:
        child.terminate()
        child.wait()
        raise
    finally:
        if in_main:
            signal.signal(signal.SIGTERM, previous)


def training_threads() -> int:
    """Intra-op threads of a training started from here: ``OMP_NUM_THREADS``, else torch's."""
    if os.environ.get('OMP_NUM_THREADS', '').isdigit():
        return int(os.environ['OMP_NUM_THREADS'])
    import torch
    return torch.get_num_threads()


def reproduce(run: Run, launcher: str, gpus: int, partition: Optional[str], log=print) -> dict:
    """Train a finished run again for its checkpoint; record how close its scores came.

    The record keeps the original scores; the reproduction's are written beside them
    (:meth:`Run.reproduction_file`), where a leaderboard reads them as the row
    ``NAME@WEIGHTS``: the teacher that the students trained from then on started from.
    """
    path = osp.join(run.raw_dir, 'run.json')
    with open(path) as f:
        recorded_threads = json.load(f).get('threads')
    threads = training_threads()
    if recorded_threads is not None and recorded_threads != threads:
        log(f'{run.name}: recorded with {recorded_threads} threads, trained again with '
            f'{threads}: its weights will not be bit-identical (set '
            f'OMP_NUM_THREADS={recorded_threads} for the recorded ones)')
    _, seconds, result, resumed_from = train_and_test(run, launcher, gpus, partition)
    with open(run.result_file) as f:
        recorded = json.load(f)['subsets']
    differences = {name: abs(result['subsets'][name]['IoU'] - scores['IoU'])
                   for name, scores in recorded.items()}
    worst = max(differences, key=differences.get)
    with open(path) as f:
        record = json.load(f)
    weights = weights_fingerprint(run.checkpoint)
    write_json(run.reproduction_file(weights), result)
    record.setdefault('reproductions', []).append(dict(
        commit=git_commit(), threads=threads, train_seconds=seconds[0],
        resumed_from=resumed_from, weights=weights,
        max_abs_miou_difference=differences[worst], subset=worst,
        result=osp.basename(run.reproduction_file(weights)), finished=time.strftime('%Y-%m-%d %H:%M:%S')))
    write_json(path, record)
    same = ('' if record.get('weights') is None else '; the same weights as recorded'
            if weights == record['weights'] else '; other weights than recorded: its students '
            'from now on start from these')
    log(f'{run.name}: trained again; largest mIoU difference to its record '
        f'{differences[worst]:.2f} ({worst}); weights {weights}{same}')
    return record


def run_one(run: Run, launcher: str, gpus: int, partition: Optional[str], log=print) -> dict:
    """Train, test and record one run (resuming a killed training)."""
    commands, seconds, result, resumed_from = train_and_test(run, launcher, gpus, partition)
    os.makedirs(run.raw_dir, exist_ok=True)
    run.recorded_config.dump(osp.join(run.raw_dir, 'config.py'))
    if run.entry.get('val_interval'):
        write_json(osp.join(run.raw_dir, 'curve.json'), learning_curve(run.work_dir))
    if run.robustness:
        with open(osp.join(run.work_dir, 'robustness', 'robustness.json')) as f:
            write_json(run.robustness_file, json.load(f))
    write_json(run.result_file, result)
    record = dict(key=run.key, entry=run.entry['name'], seed=run.seed, iters=run.iters,
                  config=run.entry['config'], commit=git_commit(),
                  threads=training_threads(), commands=[
                      run.portable(shlex.join(c)) for c in commands], train_seconds=seconds[0],
                  resumed_from=resumed_from,
                  test_seconds=seconds[1], robustness_seconds=(seconds[2:] or [None])[0],
                  weights=weights_fingerprint(run.checkpoint),
                  teacher=None if run.depends is None else dict(
                      entry=run.depends.entry['name'], seed=run.depends.seed,
                      key=run.depends.key, iters=run.depends.iters,
                      weights=weights_fingerprint(run.depends.checkpoint)),
                  finished=time.strftime('%Y-%m-%d %H:%M:%S'))
    write_json(osp.join(run.raw_dir, 'run.json'), record)
    return record
