"""Cross-entropy of any prediction of a distillation step against the ground truth."""
import torch.nn as nn
import torch.nn.functional as F
from mmseg.registry import MODELS
from torch import Tensor

from .gated_logit_distill_loss import upsample_to
from .precision import computes_in_float32


@MODELS.register_module()
class LabelCrossEntropyLoss(nn.Module):
    """Pixel cross-entropy of a logits field at the labels' resolution.

    Supervises a prediction other than the one the student's head already trains on: the
    student's own pass on every present modality (``StudentOnAllPresent``), a full-modality
    supervised path beside the dropped one in every step.

    Args:
        ignore_index: The label value of unlabelled pixels.
        loss_weight: Weight of the loss.
        loss_name: Name under which the loss is logged.

    Shapes:
        - logits: ``[B, K, h, w]``, upsampled bilinearly to the labels.
        - labels: ``[B, H, W]`` long.
    """

    def __init__(self, ignore_index: int = 255, loss_weight: float = 1.0,
                 loss_name: str = 'loss_label_ce') -> None:
        super().__init__()
        self.ignore_index = ignore_index
        self.loss_weight = loss_weight
        self._loss_name = loss_name

    @computes_in_float32
    def forward(self, logits: Tensor, labels: Tensor) -> Tensor:
        logits = upsample_to(logits, tuple(labels.shape[-2:]))
        if not (labels != self.ignore_index).any():
            return logits.sum() * 0
        return self.loss_weight * F.cross_entropy(logits, labels.long(),
                                                  ignore_index=self.ignore_index)

    @property
    def loss_name(self) -> str:
        return self._loss_name
