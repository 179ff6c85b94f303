"""The prepared GPU check: training-step cost, anymodal evaluation ratio, ONNX, DDP.

Measures, in one process and one run, and writes ``gpu_check.json`` and
``gpu_check.md`` to ``--out`` after every section (a run cut short keeps what
it measured):

- seconds per iteration and peak memory of one training step at the paper's
  crop and batch per GPU (1024x1024, 2; paper appendix A.2): the B0 student
  with anymodal dropout (L_sup), the AnySeg distiller with its B2 teacher
  (teacher forward included), the teacher forward alone and the B2 PML teacher
  step, in fp32 and with bf16 autocast (``AmpOptimWrapper``);
- the shared anymodal evaluation against one evaluation run per subset at
  1024x1024, with the share of identical predicted pixels;
- onnxruntime with the CUDA execution provider against PyTorch on the same
  graph, when the installed onnxruntime has that provider;
- one DDP training step in two processes with NCCL, when two GPUs are there.

Each section that cannot run is recorded with its reason; a section that fails
is recorded with its error and the exit status is 1. ``--dry-run`` runs the
same plumbing on the CPU at tiny sizes (DDP with gloo), as the test suite does::

    python tools/benchmark/gpu_check.py --out work_dirs/gpu_check [--dry-run]

Use ``tools/benchmark/gpu_check.sh``, which installs the stack offline first.
"""
import argparse
import gc
import json
import os
import os.path as osp
import platform
import statistics
import sys
import tempfile
import time
import traceback
from typing import Callable, Dict, List

import torch

HERE = osp.dirname(osp.abspath(__file__))
REPO = osp.dirname(osp.dirname(HERE))
sys.path[:0] = [osp.join(REPO, 'tools', 'analysis_tools'), osp.join(REPO, 'tools', 'deployment')]

import benchmark_anymodal_eval  # noqa: E402
import benchmark_train  # noqa: E402

# The paper's own figures (Table 12 and appendix A.2): 8 x RTX 3090, batch 2 per GPU, 1024 crop.
PAPER = dict(gpus='8 x RTX 3090', crop=1024, batch_per_gpu=2, student_train_hours=15.17,
             student_train_memory_gb=14.5, student_inference_memory_gb=6.8)


def synchronize(device: str) -> None:
    if device.startswith('cuda'):
        torch.cuda.synchronize()


def train_rows(device: str, size: int, batch: int, iters: int, teacher: str,
               amp_modes: List[bool], warmup: int) -> List[Dict]:
    """One row per (model, dtype): seconds per iteration, peak memory, ratio to the plain step.

    Every model of a dtype is run once untimed before the timed pass: the first model
    to meet the shapes that anymodal dropout draws would otherwise pay for the lazy
    CUDA initialisation of those shapes (an order effect, not a cost of the model).
    """
    rows = []
    with tempfile.TemporaryDirectory() as tmp:
        builds, modalities, num_classes = benchmark_train.prepare_builds(teacher, size, tmp)
        data = benchmark_train.make_batch(batch, size, modalities, num_classes)
        for amp in amp_modes:
            base = None
            for timed in (False, True):
                for name, (cfg, teacher_only) in builds.items():
                    gc.collect()
                    if device.startswith('cuda'):
                        torch.cuda.empty_cache()
                    seconds, peak = benchmark_train.time_model(
                        cfg, data, device, iters if timed else 1, amp, teacher_only, warmup)
                    if not timed:
                        continue
                    base = base or seconds
                    row = dict(model=name.strip(), dtype='bf16 autocast' if amp else 'fp32',
                               s_per_iter=seconds, ratio=seconds / base,
                               peak_memory_mb=peak if device.startswith('cuda') else None)
                    print(f'  {row["dtype"]:13s} {row["model"]:40s} {seconds:7.3f} s/iter '
                          f'({row["ratio"]:.2f}x)' + (f'  peak {peak:8.0f} MB'
                                                      if row['peak_memory_mb'] is not None
                                                      else ''), flush=True)
                    rows.append(row)
    return rows


def median_seconds(run: Callable[[], object], frames: int, warmup: int, device: str) -> float:
    for _ in range(warmup):
        run()
    times = []
    for _ in range(frames):
        synchronize(device)
        start = time.perf_counter()
        run()
        synchronize(device)
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def onnx_row(device: str, size: int, frames: int) -> Dict:
    """The exported B0 student in onnxruntime (CUDA provider) against PyTorch on ``device``."""
    import onnxruntime as ort
    from export_onnx import export

    from mmseg_anyseg.apis import init_anymodal_model
    from mmseg_anyseg.deployment import OnnxAnymodalGraph

    providers = ort.get_available_providers()
    provider = 'CUDAExecutionProvider' if device.startswith('cuda') else 'CPUExecutionProvider'
    if provider not in providers:
        return dict(skipped=f'onnxruntime {ort.__version__} has no {provider} '
                    f'(it has {", ".join(providers)})')
    model = init_anymodal_model(osp.join(REPO, benchmark_train.STUDENT), device='cpu')
    graph = OnnxAnymodalGraph(model).eval()
    num_mod = len(model.data_preprocessor.modalities)
    inputs = torch.rand(1, num_mod, 3, size, size) * 255
    mask = torch.ones(1, num_mod, dtype=torch.bool)
    with tempfile.TemporaryDirectory() as tmp:
        path = osp.join(tmp, 'student.onnx')
        export(graph, num_mod, (size, size), path, 17)
        graph = graph.to(device)
        on_device = inputs.to(device), mask.to(device)
        with torch.no_grad():
            torch_s = median_seconds(lambda: graph(*on_device), frames, 2, device)
        session = ort.InferenceSession(path, providers=[provider])
        feed = {'inputs': inputs.numpy(), 'modality_mask': mask.numpy()}
        ort_s = median_seconds(lambda: session.run(None, feed), frames, 2, 'cpu')
    return dict(provider=provider, onnxruntime=ort.__version__, size=size, frames=frames,
                torch_eager_s=torch_s, onnxruntime_s=ort_s, speedup=torch_s / ort_s)


def _ddp_worker(rank: int, world: int, backend: str, cfg: dict, data: dict, iters: int,
                port: int, out: str) -> None:
    import torch.distributed as dist
    from mmengine.model import MMDistributedDataParallel
    from mmengine.optim import OptimWrapper
    from mmengine.registry import init_default_scope
    from mmseg.registry import MODELS

    import mmseg_anyseg  # noqa: F401
    os.environ.update(MASTER_ADDR='127.0.0.1', MASTER_PORT=str(port))
    dist.init_process_group(backend, rank=rank, world_size=world)
    device = f'cuda:{rank}' if backend == 'nccl' else 'cpu'
    if backend == 'nccl':
        torch.cuda.set_device(rank)
    init_default_scope('mmseg')
    torch.manual_seed(0)
    model = MODELS.build(cfg).to(device)
    ddp = MMDistributedDataParallel(module=model,
                                    device_ids=[rank] if backend == 'nccl' else None)
    wrapper = OptimWrapper(optimizer=torch.optim.AdamW(ddp.parameters(), lr=1e-4))
    ddp.train_step(data, wrapper)
    synchronize(device)
    start = time.perf_counter()
    for _ in range(iters):
        ddp.train_step(data, wrapper)
    synchronize(device)
    seconds = (time.perf_counter() - start) / iters
    dist.barrier()
    if rank == 0:
        with open(out, 'w') as f:
            json.dump(dict(s_per_iter=seconds), f)
    dist.destroy_process_group()


def ddp_row(device: str, size: int, batch: int, iters: int) -> Dict:
    """One DDP step of the plain B0 student in two processes."""
    if device.startswith('cuda'):
        if torch.cuda.device_count() < 2:
            return dict(skipped=f'{torch.cuda.device_count()} GPU here; NCCL needs two')
        backend = 'nccl'
    else:
        backend = 'gloo'
    import torch.multiprocessing as mp
    with tempfile.TemporaryDirectory() as tmp:
        builds, modalities, num_classes = benchmark_train.prepare_builds('b0', size, tmp)
        cfg = next(iter(builds.values()))[0]
        data = benchmark_train.make_batch(batch, size, modalities, num_classes)
        out = osp.join(tmp, 'ddp.json')
        port = 29500 + os.getpid() % 1000
        mp.spawn(_ddp_worker, args=(2, backend, cfg, data, iters, port, out), nprocs=2)
        with open(out) as f:
            result = json.load(f)
    return dict(backend=backend, processes=2, batch_per_process=batch, size=size, **result)


def environment(device: str) -> Dict:
    import mmcv
    import mmengine
    import mmseg
    env = dict(python=platform.python_version(), torch=torch.__version__, mmcv=mmcv.__version__,
               mmengine=mmengine.__version__, mmseg=mmseg.__version__, device=device,
               commit=os.environ.get('ANYSEG_COMMIT', 'unknown'))
    if device.startswith('cuda'):
        env.update(gpu=torch.cuda.get_device_name(), cuda=torch.version.cuda,
                   gpus=torch.cuda.device_count())
    return env


def fmt(value, pattern: str) -> str:
    return 'unmeasured' if value is None else format(value, pattern)


def to_markdown(report: Dict) -> str:
    env = report['environment']
    s = report['settings']
    lines = [f'# GPU check ({"dry run on " + env["device"] if s["dry_run"] else env.get("gpu", env["device"])})',
             '',
             f'torch {env["torch"]} (CUDA {env.get("cuda", "-")}), mmcv {env["mmcv"]}, '
             f'mmengine {env["mmengine"]}, mmseg {env["mmseg"]}, Python {env["python"]}, '
             f'commit {env["commit"]}.', '',
             f'## Training step ({s["batch"]} x {s["size"]}x{s["size"]}, 4 modalities, '
             f'{s["iters"]} timed iterations)', '']
    train = report.get('train')
    if isinstance(train, list):
        lines += ['| model | dtype | s/iter | x plain | peak memory (MB) |', '|---|---|---:|---:|---:|']
        lines += [f'| {r["model"]} | {r["dtype"]} | {r["s_per_iter"]:.3f} | {r["ratio"]:.2f} | '
                  f'{fmt(r["peak_memory_mb"], ".0f")} |' for r in train]
    else:
        lines.append(f'Not measured: {train}')
    for key, title in (('eval', 'Anymodal evaluation (shared pass against one run per subset)'),
                       ('onnx', 'ONNX Runtime against PyTorch'),
                       ('ddp', 'DDP step, two processes')):
        lines += ['', f'## {title}', '']
        section = report.get(key)
        if not isinstance(section, dict):
            lines.append(f'Not measured: {section}')
        elif 'skipped' in section or 'error' in section:
            lines.append(f'Not measured: {section.get("skipped") or section.get("error")}')
        else:
            lines += ['| ' + ' | '.join(section) + ' |', '|' + '---|' * len(section),
                      '| ' + ' | '.join(f'{v:.4g}' if isinstance(v, float) else str(v)
                                        for v in section.values()) + ' |']
    p = report['paper']
    lines += ['', f'Paper (Table 12): {p["gpus"]}, batch {p["batch_per_gpu"]} per GPU, crop '
              f'{p["crop"]}: B0 student {p["student_train_hours"]} h, {p["student_train_memory_gb"]} '
              f'GB in training, {p["student_inference_memory_gb"]} GB in inference.', '']
    return '\n'.join(lines)


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument('--out', required=True, help='folder for gpu_check.json and gpu_check.md')
    parser.add_argument('--dry-run', action='store_true',
                        help='CPU, tiny sizes: the same plumbing, no figures worth quoting')
    parser.add_argument('--device', help='default: cuda (cpu with --dry-run)')
    args = parser.parse_args(argv)
    device = args.device or ('cpu' if args.dry_run else 'cuda')
    if device.startswith('cuda') and not torch.cuda.is_available():
        raise SystemExit('gpu_check: CUDA is not available here; use --dry-run on a CPU machine')
    if args.dry_run:
        settings = dict(size=64, batch=1, iters=1, warmup=1, eval_size=64, eval_frames=1,
                        onnx_size=64)
    else:
        settings = dict(size=PAPER['crop'], batch=PAPER['batch_per_gpu'], iters=20, warmup=5,
                        eval_size=1024, eval_frames=4, onnx_size=1024)
    settings.update(dry_run=args.dry_run, teacher='b2')
    os.makedirs(args.out, exist_ok=True)
    report = dict(environment=environment(device), settings=settings, paper=PAPER)
    amp_modes = [False, True] if device.startswith('cuda') else [False]
    sections = [
        ('train', lambda: train_rows(device, settings['size'], settings['batch'],
                                     settings['iters'], 'b2', amp_modes, settings['warmup'])),
        ('eval', lambda: benchmark_anymodal_eval.measure(settings['eval_size'],
                                                         settings['eval_frames'], None, device)),
        ('onnx', lambda: onnx_row(device, settings['onnx_size'], 5)),
        ('ddp', lambda: ddp_row(device, settings['size'], settings['batch'], 2)),
    ]
    failed = False
    for key, run in sections:
        print(f'[gpu_check] {key} ...', flush=True)
        start = time.perf_counter()
        try:
            report[key] = run()
        except Exception as error:  # recorded, so the other sections still run
            traceback.print_exc()
            report[key] = dict(error=f'{type(error).__name__}: {error}')
            failed = True
        print(f'[gpu_check] {key} done in {time.perf_counter() - start:.0f} s: '
              f'{report[key] if isinstance(report[key], dict) else "see table"}', flush=True)
        with open(osp.join(args.out, 'gpu_check.json'), 'w') as f:
            json.dump(report, f, indent=2)
        with open(osp.join(args.out, 'gpu_check.md'), 'w') as f:
            f.write(to_markdown(report))
    print(to_markdown(report))
    return int(failed)


if __name__ == '__main__':
    sys.exit(main())
