from .cross_modal_distill_loss import CrossModalDistillLoss, pairwise_similarity
from .modality_agnostic_distill_loss import ModalityAgnosticDistillLoss
from .ohem_cross_entropy_loss import OhemCrossEntropyLoss
from .unimodal_distill_loss import UnimodalDistillLoss, channel_kl

__all__ = [
    'CrossModalDistillLoss', 'ModalityAgnosticDistillLoss', 'OhemCrossEntropyLoss',
    'UnimodalDistillLoss', 'channel_kl', 'pairwise_similarity'
]
