"""Unimodal distillation (UMD): paper eq. 4, or the released loop's ``UMD.py``."""
from typing import Sequence

import torch.nn as nn
import torch.nn.functional as F
from mmseg.registry import MODELS
from torch import Tensor

from .precision import computes_in_float32


CHANNEL_REDUCTIONS = ('sum', 'mean')


def check_channel_reduction(value: str) -> str:
    """Validate the ``channel_reduction`` option of the KL losses."""
    if value not in CHANNEL_REDUCTIONS:
        raise ValueError(f'channel_reduction={value!r}; expected one of {CHANNEL_REDUCTIONS}')
    return value


def softmax_kl(student: Tensor, teacher: Tensor, tau: float = 1.0,
               channel_reduction: str = 'mean', dim: int = 1) -> Tensor:
    """KL(softmax(teacher/tau) || softmax(student/tau)) along ``dim``, at every other position.

    Args:
        student: ``[N, C, h, w]`` features or logits.
        teacher: ``[N, C, h, w]``, the same shape.
        tau: Softmax temperature.
        channel_reduction: ``'sum'`` gives the KL divergence of the two
            distributions along ``dim``; ``'mean'`` divides it by the size of
            ``dim``, so that its mean over the other positions equals
            ``nn.KLDivLoss(reduction='mean')`` of ``log_softmax(student, dim)``
            and ``softmax(teacher, dim)``.
        dim: The softmax axis: 1 (channels, eqs. 4 and 6) or 2 (height, the
            released ``UMD.py``).

    Returns:
        The KL with ``dim`` reduced (``[N, h, w]`` for ``dim=1``), scaled by
        ``tau**2``.
    """
    log_s = F.log_softmax(student / tau, dim=dim)
    log_t = F.log_softmax(teacher / tau, dim=dim)
    kl = (log_t.exp() * (log_t - log_s)).sum(dim=dim) * tau**2
    return kl / student.shape[dim] if channel_reduction == 'mean' else kl


MODALITY_REDUCTIONS = ('sum', 'mean')
# The softmax axis of a kept modality's [C, h, w] map, as an axis of [N, C, h, w].
SOFTMAX_AXES = {'channel': 1, 'height': 2}


@MODELS.register_module()
class UnimodalDistillLoss(nn.Module):
    """Multi-scale per-modality feature distillation (UMD).

    For every stage and every modality the student kept, the teacher's and the
    student's ``[C_i, h_i, w_i]`` maps are turned into distributions along one
    axis (softmax) and compared with KL(teacher || student), averaged over
    the other positions. Each (sample, stage, kept modality) term is clamped
    at 0. Per stage, the terms of one sample's kept modalities are summed
    (one term per modality, ``modality_reduction='sum'``) or averaged
    (``'mean'``), then averaged over the samples; the stages are summed.
    Student features must already have the teacher's width (the distiller's
    connectors take care of that).

    Softmax axis. ``softmax_axis='channel'`` (default) is eq. 4: a
    distribution over the channels at every position. ``'height'`` is the
    released training loop (``RobustSeg/RobustSeg``, led by AnySeg's first
    author, ``semseg/models/segformer/UMD.py``, called as
    ``UMD(index, ms_feat, ms_feat_s) * 5``): it takes
    ``log_softmax(x[i][j][k], dim=1)`` of the ``[C, H, W]`` map of sample i,
    stage j, kept modality k, i.e. a distribution over the **height** axis
    of every (channel, column). With ``channel_reduction='mean'`` and
    ``modality_reduction='sum'`` that is ``UMD.py`` exactly:
    ``nn.KLDivLoss(reduction='mean')`` per term, clamped at 0, summed,
    divided by the batch size. On a map one pixel high the height softmax
    is 1 everywhere and the term is 0.

    Scale. ``channel_reduction='mean'`` (default) divides the KL by the size
    of the softmax axis, so that each term is
    ``nn.KLDivLoss(reduction='mean')`` of that map: the per-element scale at
    which the released loop's alpha=5 was tuned (``docs/paper_vs_code.md``,
    "Loss scales"). ``'sum'`` is eq. 4 read literally, C_i times larger per
    stage.

    Args:
        tau: Softmax temperature.
        channel_reduction: ``'sum'`` or ``'mean'`` along the softmax axis.
        modality_reduction: ``'sum'`` or ``'mean'`` over a sample's kept
            modalities, see above.
        softmax_axis: ``'channel'`` (eq. 4) or ``'height'`` (``UMD.py``).
        loss_weight: Weight of the loss (alpha in the paper).
        loss_name: Name under which the loss is logged.

    Shapes:
        - student, teacher: per stage ``[B, M, C_i, h_i, w_i]``.
        - modality_mask: ``[B, M]`` bool, the modalities the student kept.
    """

    def __init__(self, tau: float = 1.0, channel_reduction: str = 'mean',
                 modality_reduction: str = 'sum', softmax_axis: str = 'channel',
                 loss_weight: float = 5.0, loss_name: str = 'loss_umd') -> None:
        super().__init__()
        if modality_reduction not in MODALITY_REDUCTIONS:
            raise ValueError(f'modality_reduction={modality_reduction!r}; expected one of '
                             f'{MODALITY_REDUCTIONS}')
        if softmax_axis not in SOFTMAX_AXES:
            raise ValueError(f'UnimodalDistillLoss softmax_axis={softmax_axis!r}; expected one '
                             f'of {tuple(SOFTMAX_AXES)}')
        self.tau = tau
        self.channel_reduction = check_channel_reduction(channel_reduction)
        self.modality_reduction = modality_reduction
        self.softmax_axis = softmax_axis
        self.loss_weight = loss_weight
        self._loss_name = loss_name

    @computes_in_float32
    def forward(self, student: Sequence[Tensor], teacher: Sequence[Tensor],
                modality_mask: Tensor) -> Tensor:
        mask = modality_mask.bool()
        dim = SOFTMAX_AXES[self.softmax_axis]
        total = student[0].new_zeros(())
        for s_feat, t_feat in zip(student, teacher, strict=True):
            if s_feat.shape != t_feat.shape:
                raise ValueError(f'UMD: student feature {tuple(s_feat.shape)} and teacher feature '
                                 f'{tuple(t_feat.shape)} differ; add a connector')
            kl = softmax_kl(s_feat[mask], t_feat[mask].detach(), self.tau,
                            self.channel_reduction, dim).flatten(1).mean(dim=1).clamp(min=0)
            if self.modality_reduction == 'sum':
                total = total + kl.sum() / mask.shape[0]
            else:
                total = total + kl.mean()
        return self.loss_weight * total

    @property
    def loss_name(self) -> str:
        return self._loss_name
