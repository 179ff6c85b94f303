"""Check a dataset before training on it: every file of every sample decoded once.

Reads every sample of the config's dataset through the config's own loaders (every modality
file decoded, nothing augmented) and reports frames per split and per condition, case or time
against the official release's counts; files missing, unreadable or truncated; modalities whose
size differs from the reference camera (and whether the config resizes them); label values
out of range; empty labels; how each modality is stored and its share of non-empty pixels::

    python tools/analysis_tools/check_dataset.py configs/anyseg/anyseg_segb0_deliver.py \
        --split train val --workers 4 --report work_dirs/check_deliver.json

Exits with 1 when anything would stop or silently break a training (an error), 0 otherwise.
"""
import argparse
import json
import os
import os.path as osp
import sys
import time

from mmengine.config import Config, DictAction
from mmengine.registry import init_default_scope

import mmseg_anyseg  # noqa: F401
from mmseg_anyseg.datasets.dataset_check import check_split, report_markdown


def parse_args(argv=None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument('config', help='a training or test config')
    parser.add_argument('--split', nargs='+', default=['train', 'val', 'test'],
                        choices=['train', 'val', 'test'])
    parser.add_argument('--workers', type=int, default=0,
                        help='processes that decode samples (default: this one)')
    parser.add_argument('--report', help='write every finding and count as JSON here')
    parser.add_argument('--cfg-options', nargs='+', action=DictAction,
                        help='override config settings, e.g. train_dataloader.dataset.'
                        'data_root=/data/DELIVER')
    return parser.parse_args(argv)


def progress_printer(split: str):
    """Prints how far the check of a split is, every tenth of it."""
    state = dict(shown=-1, start=time.time())

    def show(done: int, total: int) -> None:
        tenth = 10 * done // total
        if tenth != state['shown']:
            state['shown'] = tenth
            elapsed = time.time() - state['start']
            left = elapsed / done * (total - done)
            print(f'{split}: {done}/{total} frames checked, ~{left:.0f} s left', flush=True)

    return show


def main(argv=None) -> int:
    args = parse_args(argv)
    if not osp.isfile(args.config):
        print(f'error: config {args.config} not found', file=sys.stderr)
        return 2
    cfg = Config.fromfile(args.config)
    if args.cfg_options:
        cfg.merge_from_dict(args.cfg_options)
    init_default_scope(cfg.get('default_scope', 'mmseg'))
    reports = [check_split(cfg, split, args.workers, progress_printer(split))
               for split in args.split]
    print(report_markdown(reports))
    if args.report:
        os.makedirs(osp.dirname(osp.abspath(args.report)), exist_ok=True)
        with open(args.report, 'w') as f:
            json.dump([r.to_dict() for r in reports], f, indent=2)
        print(f'written: {args.report}')
    errors = sum(len(r.errors) for r in reports)
    print(f'{errors} error(s): ' + ('fix them before training' if errors else 'ready to train'))
    return 1 if errors else 0


if __name__ == '__main__':
    sys.exit(main())
