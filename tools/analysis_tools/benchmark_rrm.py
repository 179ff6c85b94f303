"""RobustSeg's RRM term: the released per-pair loop against one batched ``autograd.grad``.

On the same random features of every stage (a B0 student at the teacher's
widths, every modality kept), times forward and backward of
``FunctionalEntropyRegLoss`` (a) pair by pair, one ``autograd.grad`` each, as
``mmkd/RUMD.py`` does, and (b) batched over the pairs of a stage, as the loss
now computes it, with the same fixed noise so that both give the same value,
and prints seconds, the ratio and the largest difference::

    python tools/analysis_tools/benchmark_rrm.py --size 128 --batch 2 --repeats 5
"""
import argparse
import time
from typing import Callable, List
from unittest import mock

import torch

from mmseg_anyseg.models.losses import FunctionalEntropyRegLoss


def timed(fn: Callable[[], torch.Tensor], repeats: int) -> float:
    fn()  # warm-up
    start = time.perf_counter()
    for _ in range(repeats):
        fn()
    return (time.perf_counter() - start) / repeats


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument('--size', type=int, default=128, help='input side (pixels)')
    parser.add_argument('--batch', type=int, default=2)
    parser.add_argument('--modalities', type=int, default=4)
    parser.add_argument('--widths', type=int, nargs=4, default=[32, 64, 160, 256])
    parser.add_argument('--repeats', type=int, default=5)
    args = parser.parse_args()
    torch.manual_seed(0)
    shape = (args.batch, args.modalities)
    student: List[torch.Tensor] = [
        torch.randn(*shape, c, args.size // s, args.size // s, requires_grad=True)
        for c, s in zip(args.widths, (4, 8, 16, 32))]
    teacher = [torch.randn_like(f) for f in student]
    kept = torch.ones(shape, dtype=torch.bool)
    loss = FunctionalEntropyRegLoss()

    def looped() -> torch.Tensor:
        total = sum(loss.pair_terms(s[i, m][None], t[i, m][None])[0]
                    for s, t in zip(student, teacher) for i, m in kept.nonzero().tolist())
        value = loss.loss_weight * total / args.batch
        value.backward()
        return value

    def batched() -> torch.Tensor:
        value = loss(student, teacher, kept)
        value.backward()
        return value

    pairs = int(kept.sum()) * len(student)
    with mock.patch('torch.randn_like', lambda x: torch.full_like(x, 0.3)):  # same noise
        a, b = timed(looped, args.repeats), timed(batched, args.repeats)
        reference = looped().item()
        difference = abs(reference - batched().item()) / abs(reference)
    print(f'{pairs} pairs over {len(student)} stages, input {args.size}x{args.size}, '
          f'batch {args.batch}, {torch.get_num_threads()} threads')
    print(f'(a) per-pair loop (released): {a:.3f} s')
    print(f'(b) batched per stage:        {b:.3f} s')
    print(f'speed-up: {a / b:.2f}x; relative difference of the values: {difference:.1e}')


if __name__ == '__main__':
    main()
