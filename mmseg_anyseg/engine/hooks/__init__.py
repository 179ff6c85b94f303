from .finite_loss_hook import FiniteLossHook
from .load_from_coverage_hook import LoadFromCoverageHook
from .modality_dropout_anneal_hook import ModalityDropoutAnnealHook
from .random_state_hook import RandomStateHook

__all__ = ['FiniteLossHook', 'LoadFromCoverageHook', 'ModalityDropoutAnnealHook', 'RandomStateHook']
