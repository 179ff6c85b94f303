from .cross_modal_distill_loss import CrossModalDistillLoss, pairwise_similarity
from .modality_agnostic_distill_loss import ModalityAgnosticDistillLoss
from .unimodal_distill_loss import UnimodalDistillLoss, channel_kl

__all__ = [
    'CrossModalDistillLoss', 'ModalityAgnosticDistillLoss', 'UnimodalDistillLoss',
    'channel_kl', 'pairwise_similarity'
]
