"""Unimodal distillation (UMD), paper eq. 4."""
from typing import Sequence

import torch.nn as nn
import torch.nn.functional as F
from mmseg.registry import MODELS
from torch import Tensor


def channel_kl(student: Tensor, teacher: Tensor, tau: float = 1.0) -> Tensor:
    """KL(softmax_c(teacher/tau) || softmax_c(student/tau)) at every position.

    Args:
        student: ``[N, C, h, w]`` features.
        teacher: ``[N, C, h, w]`` features.
        tau: Softmax temperature.

    Returns:
        ``[N, h, w]`` KL divergence over channels, scaled by ``tau**2``.
    """
    log_s = F.log_softmax(student / tau, dim=1)
    log_t = F.log_softmax(teacher / tau, dim=1)
    return (log_t.exp() * (log_t - log_s)).sum(dim=1) * tau**2


@MODELS.register_module()
class UnimodalDistillLoss(nn.Module):
    """Multi-scale per-modality feature distillation (UMD, eq. 4).

    For every stage and every modality the student kept, the teacher's and the
    student's features at each position are turned into distributions over
    channels (softmax) and compared with KL(teacher || student). The KL is
    averaged over positions and kept (sample, modality) pairs, then summed
    over stages. Student features must already have the teacher's width
    (the distiller's connectors take care of that).

    Args:
        tau: Softmax temperature.
        loss_weight: Weight of the loss (alpha in the paper).
        loss_name: Name under which the loss is logged.

    Shapes:
        - student, teacher: per stage ``[B, M, C_i, h_i, w_i]``.
        - modality_mask: ``[B, M]`` bool, the modalities the student kept.
    """

    def __init__(self, tau: float = 1.0, loss_weight: float = 5.0,
                 loss_name: str = 'loss_umd') -> None:
        super().__init__()
        self.tau = tau
        self.loss_weight = loss_weight
        self._loss_name = loss_name

    def forward(self, student: Sequence[Tensor], teacher: Sequence[Tensor],
                modality_mask: Tensor) -> Tensor:
        mask = modality_mask.bool()
        total = student[0].new_zeros(())
        for s_feat, t_feat in zip(student, teacher, strict=True):
            if s_feat.shape != t_feat.shape:
                raise ValueError(f'UMD: student feature {tuple(s_feat.shape)} and teacher feature '
                                 f'{tuple(t_feat.shape)} differ; add a connector')
            total = total + channel_kl(s_feat[mask], t_feat[mask].detach(), self.tau).mean()
        return self.loss_weight * total

    @property
    def loss_name(self) -> str:
        return self._loss_name
