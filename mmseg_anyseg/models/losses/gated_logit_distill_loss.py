"""Pixel KD from a prediction where it is right: distillation gated by correctness."""
from typing import Tuple

import torch
import torch.nn as nn
from mmseg.models.utils import resize
from mmseg.registry import MODELS
from torch import Tensor

from .precision import computes_in_float32
from .unimodal_distill_loss import softmax_kl

GATES = ('correct', 'more_confident', 'none')


def upsample_to(logits: Tensor, size: Tuple[int, int]) -> Tensor:
    """Logits at ``size`` (bilinear, ``align_corners=False``, as the decode heads)."""
    return logits if tuple(logits.shape[-2:]) == tuple(size) else resize(
        logits, size, mode='bilinear', align_corners=False)


@MODELS.register_module()
class GatedLogitDistillLoss(nn.Module):
    """``KL(softmax(z_t / T) || softmax(z_s / T)) T^2`` per pixel, where the source is right.

    The source ``z_t`` is any prediction of the step: the teacher decoded on the student's own
    subset (``TeacherOnSubset``), the teacher on every modality, or the student's own pass on
    every present modality (``StudentOnAllPresent``, self-distillation). The KL is divided by
    the K classes (the per-element scale of MAD at the released weights) and kept at the
    labelled pixels where

    - ``gate='correct'``: the source predicts the ground-truth class;
    - ``gate='more_confident'``: it does, and gives that class more probability than the
      student does;
    - ``gate='none'``: every labelled pixel.

    The sum is divided by the number of labelled pixels, not of kept ones, so that a source
    that is rarely right gives a small term rather than a renormalised one. The source is not
    trained by this loss (its logits are detached).

    Args:
        tau: Temperature T.
        gate: ``'correct'``, ``'more_confident'`` or ``'none'``.
        ignore_index: The label value of unlabelled pixels.
        loss_weight: Weight of the loss.
        loss_name: Name under which the loss is logged.

    Shapes:
        - student_logits: ``[B, K, h, w]``.
        - teacher_logits: ``[B, K, h', w']``.
        - labels: ``[B, H, W]`` long; both predictions are compared at this resolution.
    """

    def __init__(self, tau: float = 1.0, gate: str = 'correct', ignore_index: int = 255,
                 loss_weight: float = 50.0, loss_name: str = 'loss_gated_kd') -> None:
        super().__init__()
        if gate not in GATES:
            raise ValueError(f'GatedLogitDistillLoss: gate={gate!r}; expected one of {GATES}')
        self.tau, self.gate, self.ignore_index = tau, gate, ignore_index
        self.loss_weight = loss_weight
        self._loss_name = loss_name

    @computes_in_float32
    def forward(self, student_logits: Tensor, teacher_logits: Tensor, labels: Tensor) -> Tensor:
        size = tuple(labels.shape[-2:])
        student = upsample_to(student_logits, size)
        teacher = upsample_to(teacher_logits.detach(), size)
        labelled = labels != self.ignore_index
        keep = labelled
        if self.gate != 'none':
            target = torch.where(labelled, labels, torch.zeros_like(labels))[:, None]
            keep = keep & (teacher.argmax(dim=1) == labels)
            if self.gate == 'more_confident':
                p_teacher = teacher.softmax(dim=1).gather(1, target)[:, 0]
                p_student = student.detach().softmax(dim=1).gather(1, target)[:, 0]
                keep = keep & (p_teacher > p_student)
        kl = softmax_kl(student, teacher, self.tau, 'mean')
        return self.loss_weight * (kl * keep).sum() / labelled.sum().clamp(min=1)

    @property
    def loss_name(self) -> str:
        return self._loss_name
