"""Training-loop components: hooks, and local files written atomically (checkpoints)."""
from .fileio import AtomicLocalBackend
from .hooks import FiniteLossHook, LoadFromCoverageHook, RandomStateHook

__all__ = ['AtomicLocalBackend', 'FiniteLossHook', 'LoadFromCoverageHook', 'RandomStateHook']
