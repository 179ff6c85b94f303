from .finite_loss_hook import FiniteLossHook
from .load_from_coverage_hook import LoadFromCoverageHook
from .random_state_hook import RandomStateHook

__all__ = ['FiniteLossHook', 'LoadFromCoverageHook', 'RandomStateHook']
