"""The configs shipped inside the package, for use from any mmseg code base.

mmengine's ``package::`` prefix in ``_base_`` only knows OpenMMLab's own
packages (``mmengine.config.utils.MODULE2PACKAGE``), so a config of another
repository inherits ours by absolute path, or from a copy::

    mmseg-anyseg-config path anyseg/anyseg_segb0_deliver.py   # absolute path
    mmseg-anyseg-config export my_configs/anyseg               # copy them all
    mmseg-anyseg-config list

Installed from a wheel, the configs live in ``mmseg_anyseg/.mim/configs``
(OpenMMLab's layout); in an editable install, in the repository's
``configs/``.
"""
import argparse
import glob
import os.path as osp
import shutil
from typing import List, Optional

from ..utils import config_dir


def list_configs() -> List[str]:
    """Every shipped config except the bases, relative to :func:`config_dir`."""
    root = config_dir()
    paths = glob.glob(osp.join(root, '**', '*.py'), recursive=True)
    return sorted(osp.relpath(p, root) for p in paths
                  if '_base_' not in osp.relpath(p, root).split(osp.sep))


def config_path(name: str) -> str:
    """Absolute path of a shipped config, e.g. ``'anyseg/anyseg_segb0_deliver.py'``.

    Raises:
        FileNotFoundError: no such config (the message lists close names).
    """
    path = osp.join(config_dir(), name)
    if not osp.isfile(path):
        stem = osp.basename(name).split('_')[0]
        close = [c for c in list_configs() if stem and stem in c][:10]
        raise FileNotFoundError(f'no shipped config {name!r} in {config_dir()}; '
                                f'for example: {close or list_configs()[:10]}')
    return path


def main(argv: Optional[List[str]] = None) -> None:
    parser = argparse.ArgumentParser(description='The configs shipped with mmseg-anyseg')
    sub = parser.add_subparsers(dest='command', required=True)
    sub.add_parser('list', help='list the shipped configs')
    path = sub.add_parser('path', help='print the absolute path of a shipped config')
    path.add_argument('name', help="e.g. 'anyseg/anyseg_segb0_deliver.py'")
    export = sub.add_parser('export', help='copy every shipped config (bases too) into DIR')
    export.add_argument('dir')
    args = parser.parse_args(argv)
    if args.command == 'list':
        print('\n'.join(list_configs()))
    elif args.command == 'path':
        print(config_path(args.name))
    else:
        shutil.copytree(config_dir(), args.dir, dirs_exist_ok=True,
                        ignore=shutil.ignore_patterns('__pycache__'))
        print(f'copied {len(list_configs())} configs and their bases to {osp.abspath(args.dir)}')


if __name__ == '__main__':
    main()
