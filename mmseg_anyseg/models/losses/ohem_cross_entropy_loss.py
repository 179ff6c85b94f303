"""Cross-entropy averaged over hard pixels only (the authors' OHEM)."""
import math
from typing import Optional

import torch.nn as nn
import torch.nn.functional as F
from mmseg.registry import MODELS
from torch import Tensor

from .precision import computes_in_float32


@MODELS.register_module()
class OhemCrossEntropyLoss(nn.Module):
    """Online hard example mining cross-entropy as in DELIVER's code.

    ``jamycheung/DELIVER``, ``semseg/losses.py``, ``OhemCrossEntropy`` (used by
    the AnySeg configs ``zhengxuJosh/AnySeg/configs/*.yaml``, ``LOSS.NAME``):
    the per-pixel cross-entropy of the whole batch is computed, the pixels
    whose loss exceeds ``-log(thresh)`` (predicted probability of the true
    class below ``thresh``) are kept, and when fewer than
    ``min_kept_ratio`` of the valid pixels are hard, the ``n_min`` largest
    losses are kept instead. The loss is the **mean over the kept pixels
    only**. mmseg's ``OHEMPixelSampler`` with ``CrossEntropyLoss`` instead
    zeroes the weight of easy pixels and still divides by all pixels, which
    makes the supervised loss several times smaller next to distillation
    terms tuned against this one.

    As in the original, ignored pixels count with loss 0 (they are never
    hard, but may be among the top-k when fewer than ``n_min`` pixels have a
    positive loss), and ``n_min = valid_pixels // round(1 / min_kept_ratio)``.

    Args:
        thresh: Probability threshold; pixels with loss above ``-log(thresh)``
            are hard.
        min_kept_ratio: Fraction of the valid pixels kept at least.
        loss_weight: Weight of the loss.
        loss_name: Name under which the loss is logged; must start with
            ``loss_`` to count towards the total.

    Shapes:
        - cls_score: ``[B, K, H, W]`` logits.
        - label: ``[B, H, W]`` class ids, ``ignore_index`` for void.
    """

    def __init__(self, thresh: float = 0.7, min_kept_ratio: float = 1 / 16,
                 loss_weight: float = 1.0, loss_name: str = 'loss_ce') -> None:
        super().__init__()
        if not 0.0 < thresh <= 1.0:
            raise ValueError(f'OhemCrossEntropyLoss: thresh={thresh} must lie in (0, 1]')
        if not 0.0 < min_kept_ratio <= 1.0:
            raise ValueError(f'OhemCrossEntropyLoss: min_kept_ratio={min_kept_ratio} must lie '
                             'in (0, 1]')
        self.thresh = thresh
        self.min_kept_divisor = round(1 / min_kept_ratio)
        self.loss_weight = loss_weight
        self._loss_name = loss_name

    @computes_in_float32
    def forward(self, cls_score: Tensor, label: Tensor, weight: Optional[Tensor] = None,
                ignore_index: int = 255, **kwargs) -> Tensor:
        loss = F.cross_entropy(cls_score, label, reduction='none',
                               ignore_index=ignore_index).flatten()
        n_min = int((label != ignore_index).sum()) // self.min_kept_divisor
        hard = loss[loss > -math.log(self.thresh)]
        if hard.numel() < n_min:
            hard = loss.topk(n_min).values
        if hard.numel() == 0:
            return loss.sum() * 0
        return self.loss_weight * hard.mean()

    @property
    def loss_name(self) -> str:
        return self._loss_name
