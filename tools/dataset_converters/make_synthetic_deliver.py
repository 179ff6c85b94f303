"""Write the synthetic multi-sensor dataset in DELIVER's on-disk layout.

Example::

    python tools/dataset_converters/make_synthetic_deliver.py data/synthetic_deliver
"""
import argparse
import os.path as osp
import time

from mmseg_anyseg.datasets.synthetic import DEFAULT_FRAMES, write_synthetic_deliver


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument('out_dir', help='dataset root to write')
    parser.add_argument('--size', type=int, default=128, help='image size in pixels')
    parser.add_argument('--seed', type=int, default=0)
    for split, (normal, per_case) in DEFAULT_FRAMES.items():
        parser.add_argument(f'--{split}', type=int, nargs=2, default=[normal, per_case],
                            metavar=('NORMAL', 'PER_CASE'),
                            help=f'{split} frames per weather: normal, and per failure case')
    return parser.parse_args()


def main() -> None:
    args = parse_args()
    start = time.time()
    frames = {split: getattr(args, split) for split in DEFAULT_FRAMES}
    count = write_synthetic_deliver(args.out_dir, args.size, args.seed, frames)
    print(f'\nwrote {count} frames to {osp.abspath(args.out_dir)} '
          f'in {time.time() - start:.1f} s')


if __name__ == '__main__':
    main()
