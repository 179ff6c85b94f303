"""mmseg-anyseg: AnySeg as an MMSegmentation plugin.

Importing this package registers its datasets, transforms, models, losses and
metrics into mmseg's registries, and allow-lists the types of mmengine's own
checkpoints for ``torch.load(weights_only=True)``.
"""
from .utils import register_checkpoint_safe_globals
from .version import __version__

register_checkpoint_safe_globals()

from . import apis, datasets, evaluation, models, visualization  # noqa: E402,F401

__all__ = ['__version__', 'apis', 'datasets', 'evaluation', 'models', 'visualization']
