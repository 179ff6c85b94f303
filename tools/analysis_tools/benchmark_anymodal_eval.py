"""Time shared-pass anymodal evaluation against one evaluation run per subset.

Both ways run in this one process, on the same model and the same frames:

- shared: one pass over the data; per frame the backbone runs once per
  modality and the decode head once per subset (``test_cfg.subsets='all'``);
- per subset: one full evaluation run per subset (what ``tools/test.py`` with
  ``test_cfg.modalities=...`` would do 15 times for DELIVER), data loading
  included.

The predictions of both ways are compared, and the script prints the times
and their ratio::

    python tools/analysis_tools/benchmark_anymodal_eval.py --checkpoint CKPT
"""
import argparse
import copy
import tempfile
import time

import torch
from mmengine.config import Config, ConfigDict
from mmengine.registry import init_default_scope
from mmengine.runner import Runner, load_checkpoint
from mmseg.registry import MODELS

import mmseg_anyseg  # noqa: F401
from mmseg_anyseg.datasets.synthetic import write_synthetic_deliver
from mmseg_anyseg.utils import all_subsets, subset_name

CONFIG = 'configs/synthetic/pml_segb0_synthetic.py'


def evaluate(model, loader, test_cfg: dict) -> tuple:
    """Seconds for one pass over ``loader``; the predictions, per frame."""
    model.test_cfg = ConfigDict(test_cfg)
    preds = []
    start = time.perf_counter()
    with torch.no_grad():
        for data in loader:
            preds += model.test_step(data)
    if torch.cuda.is_available():
        torch.cuda.synchronize()
    return time.perf_counter() - start, preds


def measure(size: int, frames: int, checkpoint=None, device: str = 'cpu') -> dict:
    """Time both ways on ``frames`` synthetic frames of ``size`` pixels.

    Returns:
        dict with ``shared_s``, ``per_subset_s``, ``speedup``, ``identical_pct``,
        ``frames``, ``size``, ``subsets`` and ``device``.
    """
    init_default_scope('mmseg')
    cfg = Config.fromfile(CONFIG)
    with tempfile.TemporaryDirectory() as root:
        loader_cfg = copy.deepcopy(cfg.test_dataloader)
        split = loader_cfg.dataset.split  # 'val', as the paper configs evaluate
        write_synthetic_deliver(root, size=size, frames={split: (frames // 5 + 1, 0)},
                                progress=False)
        loader_cfg.update(batch_size=1, num_workers=0, persistent_workers=False)
        loader_cfg.dataset.update(data_root=root, indices=frames)
        loader = Runner.build_dataloader(loader_cfg)
        model_cfg = copy.deepcopy(cfg.model)
        model_cfg.data_preprocessor.size = None
        model_cfg.data_preprocessor.size_divisor = 32
        model = MODELS.build(model_cfg)
        if checkpoint:
            load_checkpoint(model, checkpoint, map_location='cpu', logger='silent')
        model = model.to(device).eval()
        subsets = all_subsets(cfg.modalities)

        evaluate(model, [next(iter(loader))], dict(mode='whole', subsets='all'))  # warm-up
        shared_time, shared = evaluate(model, loader, dict(mode='whole', subsets='all'))
        per_subset_time = 0.0
        agree = total = 0
        for index, subset in enumerate(subsets):
            seconds, preds = evaluate(model, loader, dict(mode='whole', modalities=subset))
            per_subset_time += seconds
            for s, p in zip(shared, preds):
                same = s.subset_pred_sem_seg.data[index].long() == p.pred_sem_seg.data[0].long()
                agree += int(same.sum())
                total += same.numel()
    return dict(modalities=subset_name(cfg.modalities), subsets=len(subsets), frames=len(shared),
                size=size, device=str(device), shared_s=shared_time, per_subset_s=per_subset_time,
                speedup=per_subset_time / shared_time, identical_pct=100 * agree / total)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument('--size', type=int, default=1024,
                        help='frame size in pixels (DELIVER frames are 1042x1042)')
    parser.add_argument('--frames', type=int, default=2, help='frames evaluated')
    parser.add_argument('--checkpoint', help='trained weights of the config (random when '
                        'omitted; untrained logits are near ties, so a few pixels may differ)')
    parser.add_argument('--device', default='cuda' if torch.cuda.is_available() else 'cpu')
    args = parser.parse_args()
    r = measure(args.size, args.frames, args.checkpoint, args.device)
    n = r['frames']
    print(f'MiT-B0 PML model, {r["subsets"]} subsets of {r["modalities"]}, '
          f'{n} frames of {args.size}x{args.size}, device {args.device}')
    print(f'shared pass (backbone once per modality):   {r["shared_s"]:8.2f} s '
          f'({r["shared_s"] / n:.3f} s/frame)')
    print(f'one evaluation run per subset ({r["subsets"]} runs):   {r["per_subset_s"]:8.2f} s '
          f'({r["per_subset_s"] / n:.3f} s/frame)')
    print(f'speed-up: {r["speedup"]:.2f}x; identical predicted pixels: '
          f'{r["identical_pct"]:.4f}%')


if __name__ == '__main__':
    main()
