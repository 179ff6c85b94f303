"""Where the configs shipped with the package are."""
import os.path as osp

PACKAGE_ROOT = osp.dirname(osp.dirname(osp.abspath(__file__)))


def config_dir() -> str:
    """Directory of the shipped configs.

    Raises:
        FileNotFoundError: neither the packaged nor the repository copy exists.
    """
    candidates = [osp.join(PACKAGE_ROOT, '.mim', 'configs'),
                  osp.join(osp.dirname(PACKAGE_ROOT), 'configs')]
    for candidate in candidates:
        if osp.isdir(osp.join(candidate, '_base_')):
            return candidate
    raise FileNotFoundError(f'no mmseg-anyseg configs in {candidates}; reinstall the package')
