"""Training-loop components: hooks."""
from .hooks import FiniteLossHook, RandomStateHook

__all__ = ['FiniteLossHook', 'RandomStateHook']
