"""Modality-agnostic semantic distillation (MAD), paper eq. 6."""
import torch.nn as nn
from mmseg.models.utils import resize
from mmseg.registry import MODELS
from torch import Tensor

from .unimodal_distill_loss import channel_kl, check_channel_reduction


@MODELS.register_module()
class ModalityAgnosticDistillLoss(nn.Module):
    """Pixel-wise KL from the teacher's prediction on all modalities (eq. 6).

    ``KL(softmax(z_t / T) || softmax(z_s / T)) * T**2`` averaged over pixels,
    where ``z_t`` are the teacher's logits on every present modality and
    ``z_s`` the student's logits on its kept subset.

    Scale of the loss. Eq. 6 sums the KL over the K classes. The authors'
    released distillation code computes it with
    ``nn.KLDivLoss(reduction='mean')``, which divides by K, and the paper's
    lambda = 50 was tuned at that scale. ``channel_reduction='mean'``
    (default) reproduces it; ``'sum'`` follows eq. 6 as written and is K (25
    for DELIVER) times larger.

    Args:
        tau: Temperature T.
        channel_reduction: ``'mean'`` or ``'sum'`` over classes, see above.
        loss_weight: Weight of the loss (lambda in the paper).
        loss_name: Name under which the loss is logged.

    Shapes:
        - student_logits: ``[B, K, h, w]``.
        - teacher_logits: ``[B, K, h', w']`` (resized to the student's size).
    """

    def __init__(self, tau: float = 1.0, channel_reduction: str = 'mean',
                 loss_weight: float = 50.0, loss_name: str = 'loss_mad') -> None:
        super().__init__()
        self.tau = tau
        self.channel_reduction = check_channel_reduction(channel_reduction)
        self.loss_weight = loss_weight
        self._loss_name = loss_name

    def forward(self, student_logits: Tensor, teacher_logits: Tensor) -> Tensor:
        if teacher_logits.shape[-2:] != student_logits.shape[-2:]:
            teacher_logits = resize(teacher_logits, student_logits.shape[-2:], mode='bilinear',
                                    align_corners=False)
        kl = channel_kl(student_logits, teacher_logits.detach(), self.tau, self.channel_reduction)
        return self.loss_weight * kl.mean()

    @property
    def loss_name(self) -> str:
        return self._loss_name
