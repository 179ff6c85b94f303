"""Mean ± std over seeds of several models over every modality subset.

Each ``--row`` names a model and the ``AnymodalIoUMetric`` JSON files of its
seeds (a glob)::

    python tools/analysis_tools/anymodal_seeds.py \
        --row 'L_sup=work_dirs/protocol/seed*/sup/anymodal/anymodal.json' \
        --row 'AnySeg=work_dirs/protocol/seed*/full/anymodal/anymodal.json' --out table3

writes ``table3.md`` (rows of ``mean ± std`` per subset and for the subset mean),
``table3.json`` and ``table3.png`` (bars with error bars).
"""
import argparse
import glob
import json
import os
import os.path as osp

from mmseg_anyseg.reports import load_anymodal_results, seed_statistics, seeds_markdown
from mmseg_anyseg.visualization import plot_seed_statistics


def parse_row(text: str):
    label, sep, pattern = text.partition('=')
    if not sep or not label or not pattern:
        raise argparse.ArgumentTypeError(f'--row {text!r}: expected NAME=GLOB')
    paths = sorted(glob.glob(pattern))
    if not paths:
        raise argparse.ArgumentTypeError(f'--row {label!r}: no file matches {pattern!r}')
    return label, paths


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument('--row', type=parse_row, action='append', required=True,
                        help='NAME=GLOB of the anymodal JSON files of one model, one per seed')
    parser.add_argument('--out', required=True, help='output prefix (.md, .json, .png)')
    parser.add_argument('--metric', default='IoU', choices=['IoU', 'Acc', 'Fscore'])
    args = parser.parse_args()
    rows = [(label, seed_statistics(load_anymodal_results(paths), args.metric))
            for label, paths in args.row]
    os.makedirs(osp.dirname(osp.abspath(args.out)), exist_ok=True)
    table = seeds_markdown(rows)
    with open(f'{args.out}.md', 'w') as f:
        f.write(table + '\n')
    with open(f'{args.out}.json', 'w') as f:
        json.dump({label: dict(stats, files=paths) for (label, stats), (_, paths)
                   in zip(rows, args.row)}, f, indent=2)
    plot_seed_statistics(rows, f'{args.out}.png', args.metric)
    print(table)
    print(f'\nwritten: {args.out}.md, {args.out}.json, {args.out}.png')


if __name__ == '__main__':
    main()
