"""Per-modality, per-channel mean and std of a dataset, for the configs' normalisation.

Reads the samples of a config's dataset (the training split by default) with the loading
transform alone (no augmentation), at the precision the loader gives (float projections of
MUSES included), and prints per modality and channel the mean and std over all pixels, or
over the non-empty ones (``--nonzero-only``: pixels where every channel of the modality is 0
are left out, for sparse projections), with the ``mean=`` / ``std=`` lines for the config.

    python tools/analysis_tools/modality_stats.py configs/pml/pml_segb0_muses.py [--split train]
        [--data-root data/muses] [--max-samples 500] [--nonzero-only] [--out stats.json]
"""
import argparse
import json
import sys

import numpy as np
from mmengine.config import Config
from mmengine.registry import init_default_scope
from mmseg.registry import DATASETS, TRANSFORMS
from tqdm import tqdm

import mmseg_anyseg  # noqa: F401


def parse_args(argv=None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument('config')
    parser.add_argument('--split', choices=('train', 'val', 'test'), default='train',
                        help='the dataloader whose dataset is read')
    parser.add_argument('--data-root', help="the dataset's data_root (default: the config's)")
    parser.add_argument('--max-samples', type=int, help='read at most this many samples')
    parser.add_argument('--nonzero-only', action='store_true',
                        help='leave out pixels where every channel of the modality is 0')
    parser.add_argument('--out', help='JSON file for the figures')
    return parser.parse_args(argv)


def channel_statistics(images, num_modalities: int, nonzero_only: bool) -> dict:
    """Per modality ``mean``, ``std`` (``[3]`` lists) and ``pixels`` of ``H x W x 3M`` images."""
    sums = np.zeros((num_modalities, 3))
    squares = np.zeros((num_modalities, 3))
    counts = np.zeros(num_modalities)
    for image in images:
        stack = np.asarray(image, dtype=np.float64).reshape(-1, num_modalities, 3)
        for m in range(num_modalities):
            values = stack[:, m]
            if nonzero_only:
                values = values[(values != 0).any(axis=1)]
            sums[m] += values.sum(axis=0)
            squares[m] += (values ** 2).sum(axis=0)
            counts[m] += len(values)
    out = []
    for m in range(num_modalities):
        n = max(counts[m], 1)
        mean = sums[m] / n
        std = np.sqrt(np.maximum(squares[m] / n - mean ** 2, 0))
        out.append(dict(mean=mean.tolist(), std=std.tolist(), pixels=int(counts[m])))
    return out


def main(argv=None) -> int:
    args = parse_args(argv)
    cfg = Config.fromfile(args.config)
    init_default_scope(cfg.get('default_scope', 'mmseg'))
    dataset_cfg = dict(cfg[f'{args.split}_dataloader'].dataset)
    if args.data_root:
        dataset_cfg['data_root'] = args.data_root
    load = next((step for step in dataset_cfg.get('pipeline', [])
                 if step['type'] == 'LoadMultiModalImages'), dict(type='LoadMultiModalImages'))
    dataset = DATASETS.build(dict(dataset_cfg, pipeline=[]))
    loader = TRANSFORMS.build(load)
    modalities = tuple(dataset.modalities)
    total = len(dataset) if args.max_samples is None else min(args.max_samples, len(dataset))
    images = (loader.transform(dataset.get_data_info(i))['img'] for i in
              tqdm(range(total), desc=f'{args.split} samples', unit='sample'))
    stats = channel_statistics(images, len(modalities), args.nonzero_only)
    report = {m: s for m, s in zip(modalities, stats)}
    scope = 'non-empty pixels' if args.nonzero_only else 'all pixels'
    print(f'{total} {args.split} samples of {args.config}, {scope}:')
    for modality, s in report.items():
        print(f'  {modality:8s} mean {np.round(s["mean"], 6).tolist()}  std '
              f'{np.round(s["std"], 6).tolist()}  ({s["pixels"]} pixels)')
    print('mean=dict(' + ', '.join(f'{m}={np.round(s["mean"], 6).tolist()}'
                                   for m, s in report.items()) + ')')
    print('std=dict(' + ', '.join(f'{m}={np.round(s["std"], 6).tolist()}'
                                  for m, s in report.items()) + ')')
    if args.out:
        with open(args.out, 'w') as f:
            json.dump(dict(config=args.config, split=args.split, samples=total,
                           nonzero_only=args.nonzero_only, statistics=report), f, indent=2)
    return 0


if __name__ == '__main__':
    sys.exit(main())
