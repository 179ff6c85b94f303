from .cross_modal_distill_loss import CrossModalDistillLoss, pairwise_similarity
from .functional_entropy_loss import FunctionalEntropyRegLoss
from .gated_logit_distill_loss import GatedLogitDistillLoss
from .label_cross_entropy_loss import LabelCrossEntropyLoss
from .modality_agnostic_distill_loss import ModalityAgnosticDistillLoss
from .ohem_cross_entropy_loss import OhemCrossEntropyLoss
from .prototype_distill_loss import PrototypeDistillLoss, class_prototypes
from .unimodal_distill_loss import UnimodalDistillLoss, softmax_kl

__all__ = [
    'CrossModalDistillLoss', 'FunctionalEntropyRegLoss', 'GatedLogitDistillLoss',
    'LabelCrossEntropyLoss', 'ModalityAgnosticDistillLoss',
    'OhemCrossEntropyLoss', 'PrototypeDistillLoss', 'UnimodalDistillLoss',
    'class_prototypes', 'pairwise_similarity', 'softmax_kl'
]
