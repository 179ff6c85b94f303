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
    return time.perf_counter() - start, preds


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument('--size', type=int, default=1024,
                        help='frame size in pixels (DELIVER frames are 1042x1042)')
    parser.add_argument('--frames', type=int, default=2, help='frames evaluated')
    parser.add_argument('--checkpoint', help='trained weights of the config (random when '
                        'omitted; untrained logits are near ties, so a few pixels may differ)')
    parser.add_argument('--device', default='cuda' if torch.cuda.is_available() else 'cpu')
    args = parser.parse_args()
    init_default_scope('mmseg')
    cfg = Config.fromfile(CONFIG)
    with tempfile.TemporaryDirectory() as root:
        loader_cfg = copy.deepcopy(cfg.test_dataloader)
        split = loader_cfg.dataset.split  # 'val', as the paper configs evaluate
        write_synthetic_deliver(root, size=args.size,
                                frames={split: (args.frames // 5 + 1, 0)}, progress=False)
        loader_cfg.update(batch_size=1, num_workers=0, persistent_workers=False)
        loader_cfg.dataset.update(data_root=root, indices=args.frames)
        loader = Runner.build_dataloader(loader_cfg)
        model_cfg = copy.deepcopy(cfg.model)
        model_cfg.data_preprocessor.size = None
        model_cfg.data_preprocessor.size_divisor = 32
        model = MODELS.build(model_cfg)
        if args.checkpoint:
            load_checkpoint(model, args.checkpoint, map_location='cpu', logger='silent')
        model = model.to(args.device).eval()
        modalities = cfg.modalities
        subsets = all_subsets(modalities)

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
    n = len(shared)
    print(f'MiT-B0 PML model, {len(subsets)} subsets of {subset_name(modalities)}, '
          f'{n} frames of {args.size}x{args.size}, device {args.device}')
    print(f'shared pass (backbone once per modality):   {shared_time:8.2f} s '
          f'({shared_time / n:.3f} s/frame)')
    print(f'one evaluation run per subset ({len(subsets)} runs):   {per_subset_time:8.2f} s '
          f'({per_subset_time / n:.3f} s/frame)')
    print(f'speed-up: {per_subset_time / shared_time:.2f}x; identical predicted pixels: '
          f'{100 * agree / total:.4f}%')


if __name__ == '__main__':
    main()
