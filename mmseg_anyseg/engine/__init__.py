"""Training-loop components: hooks."""
from .hooks import RandomStateHook

__all__ = ['RandomStateHook']
