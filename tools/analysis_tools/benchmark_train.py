"""Cost of one training iteration: plain student, AnySeg distiller, PML teacher.

In one run, on the same random batch: (a) the B0 student with anymodal
dropout (L_sup only), (a') the same with its MiT stages checkpointed
(mmseg's ``with_cp``: activations recomputed in the backward pass, for less
memory), (b) the AnySeg distiller (teacher forward without
autograd, features computed once and shared by the three losses), (c) the PML
teacher trained on all modalities. Prints seconds per iteration, peak memory
and the ratios to (a). It also times the distiller's teacher forward alone,
the part of (b) that no implementation of the losses can remove, so the lowest
reachable ratio of (b) is visible in the same run. On CUDA it also reports
bf16 autocast figures::

    python tools/analysis_tools/benchmark_train.py --teacher b2 --size 256 --batch 4
"""
import argparse
import resource
import tempfile
import time
from concurrent.futures import ProcessPoolExecutor
from functools import partial
from multiprocessing import get_context
from typing import Callable

import torch
from mmengine.config import Config
from mmengine.optim import AmpOptimWrapper, OptimWrapper
from mmengine.registry import init_default_scope
from mmengine.runner import save_checkpoint
from mmengine.structures import PixelData
from mmseg.registry import MODELS
from mmseg.structures import SegDataSample

import mmseg_anyseg  # noqa: F401
from mmseg_anyseg.models.predicting_model import without_init_weights
from mmseg_anyseg.utils import batch_modality_mask

TEACHERS = dict(b0='configs/pml/pml_segb0_deliver.py', b2='configs/pml/pml_segb2_deliver.py')
STUDENT = 'configs/anyseg/anyseg_segb0_deliver.py'


def make_batch(batch: int, size: int, modalities, num_classes: int) -> dict:
    inputs, samples = [], []
    for _ in range(batch):
        inputs.append(torch.randint(0, 255, (3 * len(modalities), size, size), dtype=torch.uint8))
        sample = SegDataSample(metainfo=dict(modalities=modalities,
                                             modality_present=(True, ) * len(modalities),
                                             img_shape=(size, size), ori_shape=(size, size)))
        sample.gt_sem_seg = PixelData(data=torch.randint(0, num_classes, (1, size, size)))
        samples.append(sample)
    return dict(inputs=inputs, data_samples=samples)


def clean(model_cfg):
    without_init_weights(model_cfg)
    model_cfg.decode_head.norm_cfg = dict(type='BN', requires_grad=True)
    model_cfg.decode_head.pop('sampler', None)
    return model_cfg


def rss_mb() -> float:
    with open('/proc/self/statm') as f:
        return int(f.read().split()[1]) * resource.getpagesize() / 2**20


def teacher_step(model, data: dict, amp: bool) -> Callable[[], object]:
    """The distiller's teacher forward on the pre-processed batch."""
    batch = model.data_preprocessor(data, True)
    present = batch_modality_mask([s.metainfo for s in batch['data_samples']], kept=False, device=batch['inputs'].device)
    autocast = torch.autocast(batch['inputs'].device.type, dtype=torch.bfloat16, enabled=amp)

    def step():
        with autocast:
            return model.teacher_forward(batch['inputs'], present)

    return step


def time_model(cfg: dict, data: dict, device: str, iters: int, amp: bool,
               teacher_only: bool = False, warmup: int = 1) -> tuple:
    """Seconds per training iteration and peak training memory (MB).

    Runs in a fresh process (see ``main``): on CUDA the peak is
    ``max_memory_allocated``; on CPU it is the peak resident memory above the
    resident memory after building the model and the batch. With
    ``teacher_only``, ``cfg`` is a distiller and only its teacher forward is
    timed.
    """
    init_default_scope('mmseg')
    torch.manual_seed(0)
    model = MODELS.build(cfg).to(device).train()
    baseline = rss_mb()
    if teacher_only:
        step = teacher_step(model, data, amp)
    else:
        params = [p for p in model.parameters() if p.requires_grad]
        optim = torch.optim.AdamW(params, lr=1e-4)
        wrapper = (AmpOptimWrapper(optimizer=optim, dtype='bfloat16') if amp else
                   OptimWrapper(optimizer=optim))
        step = partial(model.train_step, data, wrapper)
    for _ in range(warmup):  # lazy CUDA initialisation and the first shapes' allocations
        step()
    if device == 'cuda':
        torch.cuda.synchronize()
        torch.cuda.reset_peak_memory_stats()
    start = time.perf_counter()
    for _ in range(iters):
        step()
    if device == 'cuda':
        torch.cuda.synchronize()
        peak = torch.cuda.max_memory_allocated() / 2**20
    else:
        peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024 - baseline
    return (time.perf_counter() - start) / iters, peak


def prepare_builds(teacher: str, size: int, tmp: str) -> tuple:
    """The five timed models of one run and the modality names and classes.

    The teacher of the distiller is written to ``tmp`` (its config and freshly
    initialised weights), so the distiller builds it as a training would.

    Args:
        teacher: key of ``TEACHERS`` (``'b0'`` or ``'b2'``).
        size: square crop in pixels.
        tmp: a folder for the teacher's config and checkpoint.

    Returns:
        ``(builds, modalities, num_classes)``: ``builds`` maps a row name to
        ``(model config, teacher_only)``, the plain student first, the teacher
        forward alone fourth.
    """
    teacher_cfg = Config.fromfile(TEACHERS[teacher])
    student_cfg = Config.fromfile(STUDENT)
    pre = dict(student_cfg.model.data_preprocessor, size=(size, size))
    teacher_model = clean(teacher_cfg.model)
    teacher_model.data_preprocessor = dict(pre, modality_dropout=None)
    Config(dict(model=teacher_model, default_scope='mmseg')).dump(f'{tmp}/teacher.py')
    save_checkpoint(dict(state_dict=MODELS.build(teacher_model).state_dict()), f'{tmp}/teacher.pth')
    student = clean(student_cfg.model.student)
    distiller = dict(student_cfg.model, data_preprocessor=pre, student=student,
                     teacher=dict(config=f'{tmp}/teacher.py', checkpoint=f'{tmp}/teacher.pth'))
    checkpointed = dict(student, backbone=dict(student.backbone, with_cp=True))
    builds = {
        '(a) student + anymodal dropout': (dict(student, data_preprocessor=pre), False),
        "(a') (a), MiT stages checkpointed (with_cp)": (
            dict(checkpointed, data_preprocessor=pre), False),
        f'(b) AnySeg distiller, {teacher.upper()} teacher': (distiller, False),
        '    of which: teacher forward alone': (distiller, True),
        f'(c) PML teacher {teacher.upper()}, all modalities': (teacher_model, False),
    }
    return builds, tuple(student_cfg.modalities), student_cfg.num_classes


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument('--teacher', choices=sorted(TEACHERS), default='b0')
    parser.add_argument('--size', type=int, default=256)
    parser.add_argument('--batch', type=int, default=2)
    parser.add_argument('--iters', type=int, default=5)
    parser.add_argument('--device', default='cuda' if torch.cuda.is_available() else 'cpu')
    args = parser.parse_args()
    init_default_scope('mmseg')
    torch.manual_seed(0)
    with tempfile.TemporaryDirectory() as tmp:
        builds, modalities, num_classes = prepare_builds(args.teacher, args.size, tmp)
        data = make_batch(args.batch, args.size, modalities, num_classes)
        modes = [False, True] if args.device == 'cuda' else [False]
        print(f'{args.batch} x {len(modalities)} modalities of {args.size}x{args.size}, '
              f'device {args.device}, {args.iters} timed iterations')
        for amp in modes:
            rows = []
            for name, (cfg, teacher_only) in builds.items():
                # A fresh process per model, so that peak memory is its own.
                with ProcessPoolExecutor(1, mp_context=get_context('spawn')) as pool:
                    seconds, memory = pool.submit(time_model, cfg, data, args.device,
                                                  args.iters, amp, teacher_only).result()
                rows.append((name, seconds, memory))
            base_s, base_m = rows[0][1], rows[0][2]
            print(f'\n{"bf16 autocast" if amp else "fp32"}:')
            for name, seconds, memory in rows:
                print(f'  {name:42s} {seconds:7.3f} s/iter ({seconds / base_s:4.2f}x)   '
                      f'peak {memory:8.0f} MB ({memory / base_m:4.2f}x)')
            teacher_s = rows[3][1]
            print(f'  lowest reachable ratio of (b): (a + teacher forward) / a = '
                  f'{(base_s + teacher_s) / base_s:4.2f}x')
        if args.device == 'cpu':
            print('\n(CPU memory: peak resident memory of training above that of the built '
                  'model and batch)')


if __name__ == '__main__':
    main()
