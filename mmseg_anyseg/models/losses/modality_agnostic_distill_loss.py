"""Modality-agnostic semantic distillation (MAD), paper eq. 6."""
from typing import Optional, Tuple

import torch.nn as nn
from mmseg.models.utils import resize
from mmseg.registry import MODELS
from torch import Tensor

from .unimodal_distill_loss import check_channel_reduction, softmax_kl

from .precision import computes_in_float32


RESOLUTIONS = ('input', 'head')


@MODELS.register_module()
class ModalityAgnosticDistillLoss(nn.Module):
    """Pixel-wise KL from the teacher's prediction on all modalities (eq. 6).

    ``KL(softmax(z_t / T) || softmax(z_s / T)) * T**2`` averaged over pixels,
    where ``z_t`` are the teacher's logits on every present modality and
    ``z_s`` the student's logits on its kept subset.

    Resolution. The authors' model upsamples its logits to the input size
    before any loss (``zhengxuJosh/AnySeg``,
    ``semseg/models/segformer/seg_block_select_UMD.py``, ``Seg.forward``);
    ``resolution='input'`` (default) compares both predictions there
    (bilinear, ``align_corners=False``). ``'head'`` compares them at the
    decode head's 1/4 resolution, 16 times fewer pixels.

    Scale over classes. ``channel_reduction='mean'`` (default) divides the KL
    by the K classes, so that the loss is exactly
    ``nn.KLDivLoss(reduction='mean')(log_softmax(z_s), softmax(z_t))``: the
    per-element scale at which the only public code using lambda=50
    (the released loop, RobustSeg, led by AnySeg's first author) computes it
    (``docs/paper_vs_code.md``, "Loss scales"). ``'sum'`` is eq. 6 read literally,
    K times larger.

    Args:
        tau: Temperature T.
        channel_reduction: ``'sum'`` or ``'mean'`` over classes.
        resolution: ``'input'`` or ``'head'``, see above.
        loss_weight: Weight of the loss (lambda in the paper).
        loss_name: Name under which the loss is logged.

    Shapes:
        - student_logits: ``[B, K, h, w]``.
        - teacher_logits: ``[B, K, h', w']``.
        - input_size: ``(H, W)`` of the network input; required with
          ``resolution='input'``.
    """

    def __init__(self, tau: float = 1.0, channel_reduction: str = 'mean',
                 resolution: str = 'input', loss_weight: float = 50.0,
                 loss_name: str = 'loss_mad') -> None:
        super().__init__()
        if resolution not in RESOLUTIONS:
            raise ValueError(f'resolution={resolution!r}; expected one of {RESOLUTIONS}')
        self.tau = tau
        self.channel_reduction = check_channel_reduction(channel_reduction)
        self.resolution = resolution
        self.loss_weight = loss_weight
        self._loss_name = loss_name

    @computes_in_float32
    def forward(self, student_logits: Tensor, teacher_logits: Tensor,
                input_size: Optional[Tuple[int, int]] = None) -> Tensor:
        if self.resolution == 'input':
            if input_size is None:
                raise ValueError("ModalityAgnosticDistillLoss(resolution='input') needs the "
                                 'input_size')
            size = tuple(input_size)
        else:
            size = tuple(student_logits.shape[-2:])
        student_logits, teacher_logits = (
            z if tuple(z.shape[-2:]) == size else
            resize(z, size, mode='bilinear', align_corners=False)
            for z in (student_logits, teacher_logits))
        kl = softmax_kl(student_logits, teacher_logits.detach(), self.tau,
                        self.channel_reduction)
        return self.loss_weight * kl.mean()

    @property
    def loss_name(self) -> str:
        return self._loss_name
