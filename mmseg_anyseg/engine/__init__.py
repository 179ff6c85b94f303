"""Training-loop components: hooks, and local files written atomically (checkpoints)."""
from .fileio import AtomicLocalBackend
from .hooks import (FiniteLossHook, LoadFromCoverageHook, ModalityDropoutAnnealHook,
                    RandomStateHook)

__all__ = ['AtomicLocalBackend', 'FiniteLossHook', 'LoadFromCoverageHook',
           'ModalityDropoutAnnealHook', 'RandomStateHook']
