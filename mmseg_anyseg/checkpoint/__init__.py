"""Checkpoints: loading them safely, and converting other code bases' keys."""
from .loading import (MMENGINE_CHECKPOINT_SAFE_GLOBALS, CorruptCheckpointError,
                      UntrustedCheckpointError, load_local_checkpoint,
                      register_checkpoint_safe_globals)

__all__ = [
    'MMENGINE_CHECKPOINT_SAFE_GLOBALS', 'CorruptCheckpointError', 'UntrustedCheckpointError',
    'load_local_checkpoint', 'register_checkpoint_safe_globals'
]
