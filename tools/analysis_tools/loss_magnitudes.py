"""Each logged loss term over the schedule, mean ± std over seeds.

Reads mmengine's ``vis_data/scalars.json`` training logs (one per seed) and
tabulates every ``loss*`` key at chosen iterations::

    python tools/analysis_tools/loss_magnitudes.py \
        --row 'AnySeg=work_dirs/benchmark/AnySeg/seed*/*/vis_data/scalars.json' \
        --iters 20 100 200 400 --out out/loss_magnitudes

writes ``<out>.md`` and ``<out>.json``.
"""
import argparse
import glob
import json
from typing import Dict, List

import numpy as np


def read_scalars(path: str) -> Dict[int, Dict[str, float]]:
    """Training-log records of one run by iteration."""
    records = {}
    with open(path) as f:
        for line in f:
            record = json.loads(line)
            if 'iter' in record and any(k.startswith('loss') or '.loss' in k for k in record):
                records[int(record['iter'])] = record
    if not records:
        raise SystemExit(f'{path}: no training-loss records')
    return records


def tabulate(label: str, paths: List[str], iters: List[int]) -> List[dict]:
    runs = [read_scalars(p) for p in paths]
    rows = []
    for it in iters:
        present = [run[it] for run in runs if it in run]
        if not present:
            raise SystemExit(f'{label}: iteration {it} is not logged in {paths}')
        keys = [k for k in present[0] if k == 'loss' or 'loss_' in k]
        rows.append(dict(iter=it, seeds=len(present), **{
            k: (float(np.mean([r[k] for r in present])), float(np.std([r[k] for r in present])))
            for k in keys}))
    return rows


def markdown(tables: Dict[str, List[dict]]) -> str:
    keys = sorted({k for rows in tables.values() for r in rows for k in r
                   if k not in ('iter', 'seeds')}, key=lambda k: (k != 'decode.loss_ce', k))
    lines = ['| run | iteration | seeds | ' + ' | '.join(keys) + ' |',
             '|---|---:|---:|' + '---:|' * len(keys)]
    for label, rows in tables.items():
        for r in rows:
            cells = [f'{r[k][0]:.3f} ± {r[k][1]:.3f}' if k in r else '—' for k in keys]
            lines.append(f'| {label} | {r["iter"]} | {r["seeds"]} | ' + ' | '.join(cells) + ' |')
    return '\n'.join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument('--row', action='append', required=True,
                        help='NAME=GLOB of the scalars.json files of one configuration')
    parser.add_argument('--iters', type=int, nargs='+', default=[20, 100, 200, 400])
    parser.add_argument('--out', required=True, help='output prefix (.md, .json)')
    args = parser.parse_args()
    tables = {}
    for text in args.row:
        label, sep, pattern = text.partition('=')
        paths = sorted(glob.glob(pattern))
        if not sep or not paths:
            raise SystemExit(f'--row {text!r}: expected NAME=GLOB matching scalars.json files')
        tables[label] = tabulate(label, paths, args.iters)
    table = markdown(tables)
    with open(f'{args.out}.md', 'w') as f:
        f.write(table + '\n')
    with open(f'{args.out}.json', 'w') as f:
        json.dump(tables, f, indent=2)
    print(table)


if __name__ == '__main__':
    main()
