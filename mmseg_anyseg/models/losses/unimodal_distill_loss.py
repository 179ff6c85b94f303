"""Unimodal distillation (UMD), paper eq. 4."""
from typing import Sequence

import torch.nn as nn
import torch.nn.functional as F
from mmseg.registry import MODELS
from torch import Tensor


CHANNEL_REDUCTIONS = ('sum', 'mean')


def check_channel_reduction(value: str) -> str:
    """Validate the ``channel_reduction`` option of the KL losses."""
    if value not in CHANNEL_REDUCTIONS:
        raise ValueError(f'channel_reduction={value!r}; expected one of {CHANNEL_REDUCTIONS}')
    return value


def channel_kl(student: Tensor, teacher: Tensor, tau: float = 1.0,
               channel_reduction: str = 'mean') -> Tensor:
    """KL(softmax_c(teacher/tau) || softmax_c(student/tau)) at every position.

    Args:
        student: ``[N, C, h, w]`` features.
        teacher: ``[N, C, h, w]`` features.
        tau: Softmax temperature.
        channel_reduction: ``'sum'`` gives the KL divergence of the two
            channel distributions; ``'mean'`` divides it by C, so that its
            mean over positions equals ``nn.KLDivLoss(reduction='mean')`` of
            ``log_softmax(student)`` and ``softmax(teacher)``.

    Returns:
        ``[N, h, w]`` KL divergence over channels, scaled by ``tau**2``.
    """
    log_s = F.log_softmax(student / tau, dim=1)
    log_t = F.log_softmax(teacher / tau, dim=1)
    kl = (log_t.exp() * (log_t - log_s)).sum(dim=1) * tau**2
    return kl / student.shape[1] if channel_reduction == 'mean' else kl


MODALITY_REDUCTIONS = ('sum', 'mean')


@MODELS.register_module()
class UnimodalDistillLoss(nn.Module):
    """Multi-scale per-modality feature distillation (UMD, eq. 4).

    For every stage and every modality the student kept, the teacher's and the
    student's features at each position are turned into distributions over
    channels (softmax) and compared with KL(teacher || student), averaged over
    positions. Per stage, the terms of one sample's kept modalities are summed
    (eq. 4 has one term per modality; ``modality_reduction='sum'``) or
    averaged (``'mean'``), then averaged over the samples; the stages are
    summed. Student features must already have the teacher's width (the
    distiller's connectors take care of that).

    Scale over channels. ``channel_reduction='mean'`` (default) divides the KL
    by C_i, so that each (sample, stage, kept modality) term is
    ``nn.KLDivLoss(reduction='mean')`` of that ``[C_i, h_i, w_i]`` map with
    the softmax over channels; with ``modality_reduction='sum'`` the loss is
    then the sum over stages and kept modalities divided by the batch size.
    That is the per-element scale at which the only public code using alpha=5
    (RobustSeg, a third party built on AnySeg's files) computes it
    (``docs/paper_vs_code.md``, "Loss scales"). ``'sum'`` is eq. 4 read literally,
    C_i times larger per stage.

    Args:
        tau: Softmax temperature.
        channel_reduction: ``'sum'`` or ``'mean'`` over channels, see above.
        modality_reduction: ``'sum'`` or ``'mean'`` over a sample's kept
            modalities, see above.
        loss_weight: Weight of the loss (alpha in the paper).
        loss_name: Name under which the loss is logged.

    Shapes:
        - student, teacher: per stage ``[B, M, C_i, h_i, w_i]``.
        - modality_mask: ``[B, M]`` bool, the modalities the student kept.
    """

    def __init__(self, tau: float = 1.0, channel_reduction: str = 'mean',
                 modality_reduction: str = 'sum', loss_weight: float = 5.0,
                 loss_name: str = 'loss_umd') -> None:
        super().__init__()
        if modality_reduction not in MODALITY_REDUCTIONS:
            raise ValueError(f'modality_reduction={modality_reduction!r}; expected one of '
                             f'{MODALITY_REDUCTIONS}')
        self.tau = tau
        self.channel_reduction = check_channel_reduction(channel_reduction)
        self.modality_reduction = modality_reduction
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
            kl = channel_kl(s_feat[mask], t_feat[mask].detach(), self.tau,
                            self.channel_reduction).flatten(1).mean(dim=1)
            if self.modality_reduction == 'sum':
                total = total + kl.sum() / mask.shape[0]
            else:
                total = total + kl.mean()
        return self.loss_weight * total

    @property
    def loss_name(self) -> str:
        return self._loss_name
