"""mmseg-anyseg: AnySeg as an MMSegmentation plugin.

Importing this package registers its datasets, transforms, models, losses and
metrics into mmseg's registries, allow-lists the types of mmengine's own checkpoints for
``torch.load(weights_only=True)``, and makes local checkpoint writes atomic
(:mod:`mmseg_anyseg.engine.fileio`).
"""
from .checkpoint import register_checkpoint_safe_globals
from .version import __version__

register_checkpoint_safe_globals()

from . import (apis, cli, datasets, engine, evaluation, models, reports, robustness,  # noqa: E402,F401,E501
               visualization)

__all__ = [
    '__version__', 'apis', 'cli', 'datasets', 'engine', 'evaluation', 'models', 'reports',
    'robustness', 'visualization'
]
