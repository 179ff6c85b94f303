"""Checkpoints: loading them safely, naming their weights, converting other code bases' keys."""
from .fingerprint import state_fingerprint, weights_fingerprint
from .loading import (ALLOW_NON_FINITE_ENV, MMENGINE_CHECKPOINT_SAFE_GLOBALS,
                      CorruptCheckpointError, NonFiniteCheckpointError, UntrustedCheckpointError,
                      load_local_checkpoint, register_checkpoint_safe_globals)

__all__ = [
    'ALLOW_NON_FINITE_ENV', 'MMENGINE_CHECKPOINT_SAFE_GLOBALS', 'CorruptCheckpointError',
    'NonFiniteCheckpointError', 'UntrustedCheckpointError', 'load_local_checkpoint',
    'register_checkpoint_safe_globals', 'state_fingerprint', 'weights_fingerprint'
]
