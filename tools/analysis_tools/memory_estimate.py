"""Training memory on paper: the tensors one step keeps for backward, and the parameters.

For the plain B0 student, the AnySeg distiller with its B2 teacher and the B2 PML teacher, one
training forward (every modality kept: the worst case of anymodal dropout) runs on the CPU at
small sizes under ``torch.autograd.graph.saved_tensors_hooks``, which sees every tensor autograd
keeps for the backward pass (counted once per storage). The MiT's memory grows with the pixels
P (convolutions, MLPs) and, through its spatially reduced attention, with P²; a fit of
``c + a P + b P²`` to three sizes is checked on a fourth and extrapolated to the paper's crop. The
parameters add weights, gradients and AdamW's two moments (4x) for what trains, weights alone
for the frozen teacher. fp32 and bf16 autocast::

    python tools/analysis_tools/memory_estimate.py --crop 1024 --batch 2

No GPU is needed; on one, ``tools/benchmark/gpu_check.sh`` measures the peaks themselves (they
also hold transient buffers, so they exceed these estimates).
"""
import argparse
import sys
import tempfile
from contextlib import nullcontext
from typing import Dict

import numpy as np
import torch
from mmengine.registry import init_default_scope
from mmseg.registry import MODELS

import mmseg_anyseg  # noqa: F401

sys.path.insert(0, __file__.rsplit('/', 1)[0])
import benchmark_train  # noqa: E402

PAPER_TRAIN_GB = 14.5  # AnySeg paper, Table 12: the B0 student's training memory per GPU
GiB = 2**30


def kept_bytes(model, data: dict, amp: bool) -> int:
    """Bytes of the distinct storages autograd keeps in one training forward."""
    storages: Dict[int, int] = {}

    def pack(tensor):
        storage = tensor.untyped_storage()
        storages[storage.data_ptr()] = max(storages.get(storage.data_ptr(), 0),
                                           storage.nbytes())
        return tensor

    batch = model.data_preprocessor(data, True)
    autocast = torch.autocast('cpu', dtype=torch.bfloat16) if amp else nullcontext()
    with torch.autograd.graph.saved_tensors_hooks(pack, lambda t: t), autocast:
        losses = model.loss(batch['inputs'], batch['data_samples'])
    del losses
    return sum(storages.values())


def parameter_bytes(model) -> int:
    """Weights, gradients and AdamW's two moments of what trains; weights of what is frozen."""
    total = 0
    for module in [model] + ([model.teacher] if getattr(model, 'teacher', None) is not None
                             else []):
        for p in module.parameters():
            total += p.numel() * p.element_size() * (4 if p.requires_grad else 1)
    return total


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument('--crop', type=int, default=1024, help='the paper\'s training crop')
    parser.add_argument('--batch', type=int, default=2, help='samples per GPU (the paper: 2)')
    parser.add_argument('--sizes', type=int, nargs=4, default=[64, 128, 192, 256],
                        help='three sizes to fit c + a P + b P^2 and a fourth to check it')
    args = parser.parse_args(argv)
    init_default_scope('mmseg')
    torch.manual_seed(0)
    rows = []
    with tempfile.TemporaryDirectory() as tmp:
        builds, modalities, num_classes = benchmark_train.prepare_builds('b2', args.sizes[0], tmp)
        for name, (cfg, teacher_only) in builds.items():
            if teacher_only:
                continue
            for amp in (False, True):
                measured = {}
                for size in args.sizes:
                    model_cfg = dict(cfg, data_preprocessor=dict(
                        cfg['data_preprocessor'], size=(size, size), modality_dropout=None))
                    model = MODELS.build(model_cfg).train()
                    data = benchmark_train.make_batch(args.batch, size, modalities, num_classes)
                    measured[size * size] = kept_bytes(model, data, amp)
                *fit, held_out = sorted(measured)
                coefficients = np.linalg.solve([[1.0, p, p * p] for p in fit],
                                               [float(measured[p]) for p in fit])

                def predict(pixels: float) -> float:
                    return float(coefficients @ np.array([1.0, pixels, pixels * pixels]))

                check = abs(predict(held_out) - measured[held_out]) / measured[held_out]
                activations = predict(args.crop * args.crop)
                params = parameter_bytes(model)
                rows.append((name.strip(), 'bf16 autocast' if amp else 'fp32', activations, params,
                             check))
    print(f'One training step at {args.crop}x{args.crop}, batch {args.batch}, 4 modalities kept:')
    width = max(len(row[0]) for row in rows)
    print(f'{"model":{width}s} {"dtype":13s} {"kept tensors":>12s} {"parameters":>11s} {"total":>8s}'
          f' {"fit error":>9s}  24 GB card')
    for name, dtype, activations, params, check in rows:
        total = activations + params
        print(f'{name:{width}s} {dtype:13s} {activations / GiB:9.1f} GiB {params / GiB:8.2f} GiB '
              f'{total / GiB:5.1f} GiB {100 * check:8.1f}%  '
              f'{"fits" if total < 24e9 else "does not fit"}')
    print(f'\nThe paper (Table 12) gives {PAPER_TRAIN_GB} GB for training the B0 student per GPU.')
    return 0


if __name__ == '__main__':
    sys.exit(main())
