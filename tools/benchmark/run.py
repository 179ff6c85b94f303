"""Run a benchmark spec with the stock tools, then write its leaderboard.

    python tools/benchmark/run.py SPEC --dry-run            # every run, its state, commands, time
    python tools/benchmark/run.py SPEC                      # train and score what is not finished
    python tools/benchmark/run.py SPEC --only AnySeg        # one entry (and its teacher)
    python tools/benchmark/run.py SPEC --launcher dist --gpus 4
    python tools/benchmark/run.py SPEC --collect            # the leaderboard from the raw runs
    python tools/benchmark/run.py SPEC --raw mine/raw --reference-raw docs/results/raw
                                             # runs of this machine against the committed ones

Raw results go to ``docs/results/raw/`` (commit them) and work dirs to ``work_dirs/benchmark/``,
both shared by every spec (a run another spec made is not repeated); the leaderboard goes to
``<spec folder>/leaderboard`` (``.md``, ``.json``, ``.png``), and the tables that pages quote
from it are rewritten (``mmseg_anyseg/benchmark/quotes.py``). Run it from the repository root.
The spec format: ``mmseg_anyseg/benchmark/harness.py``.
"""
import argparse
import os.path as osp
import sys

from mmseg_anyseg.benchmark import (DEFAULT_WORK_ROOT, QuoteError, SpecError, collect, execute,
                                    refresh_pages, reproduction_markdown, write_leaderboard)


def parse_args(argv=None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument('spec', help='the spec file (an mmengine config)')
    parser.add_argument('--dry-run', action='store_true',
                        help='list the runs, their state, commands and estimated time')
    parser.add_argument('--collect', action='store_true',
                        help='only write the leaderboard from the finished runs')
    parser.add_argument('--only', nargs='+', help='entries to run (their teachers run too)')
    parser.add_argument('--launcher', choices=['local', 'dist', 'slurm'], default='local')
    parser.add_argument('--gpus', type=int, default=1, help='processes for --launcher dist')
    parser.add_argument('--partition', help='Slurm partition for --launcher slurm')
    parser.add_argument('--raw', default=osp.join('docs', 'results', 'raw'),
                        help='raw results, shared by the specs (default: docs/results/raw)')
    parser.add_argument('--work-root', default=DEFAULT_WORK_ROOT,
                        help='work dirs, shared by the specs (default: work_dirs/benchmark); '
                        'one outside the repository is recorded as the default')
    parser.add_argument('--out', help='leaderboard prefix (default: <spec folder>/leaderboard)')
    parser.add_argument('--reference-raw',
                        help='committed raw results of the same spec: write <out>_reproduced.md, '
                        'each row beside its reference')
    parser.add_argument('--tolerance', type=float, default=1.0,
                        help='largest difference of the mean mIoU counted as reproduced')
    return parser.parse_args(argv)


def main(argv=None) -> int:
    args = parse_args(argv)
    folder = osp.relpath(osp.dirname(osp.abspath(args.spec)))
    raw = args.raw
    work_root = args.work_root
    try:
        if not args.collect:
            execute(args.spec, raw, work_root, args.launcher, args.gpus, args.partition,
                    dry_run=args.dry_run, only=args.only, log=lambda m: print(m, flush=True))
        if args.dry_run:
            return 0
        board = collect(args.spec, raw, work_root)
        out = args.out or osp.join(folder, 'leaderboard')
        paths = write_leaderboard(board, out)
        print('written: ' + ', '.join(paths))
        changed = refresh_pages(source=osp.relpath(f'{out}.json'))
        if args.reference_raw:
            reference = collect(args.spec, args.reference_raw, work_root)
            table = reproduction_markdown(board, reference, args.tolerance)
            with open(f'{out}_reproduced.md', 'w') as f:
                f.write(table + '\n')
            print(table)
    except (SpecError, QuoteError) as error:
        print(f'error: {error}', file=sys.stderr)
        return 2
    if changed:
        print('quotes rewritten: ' + ', '.join(changed))
    return 0


if __name__ == '__main__':
    sys.exit(main())
