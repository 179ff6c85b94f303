"""RobustSeg's hybrid prototype distillation (HPDM).

Written from the released code, ``RobustSeg/RobustSeg``: ``mmkd/Prototype.py``
(``PrototypeSegmentation``) and ``mmkd/PCUMD.py``, called by
``tools/train_deliver_mad50_proto_cur*.py`` with weight 100. For every sample,
backbone stage and modality the student kept, the class prototypes of the
student's and of the teacher's features of that modality (the mean feature of
each class, from the label resized to the stage by nearest neighbour; classes
absent from the sample give a zero prototype) are turned into distributions
by a softmax, and the student's is pulled towards the teacher's by
``KLDivLoss(reduction='mean')`` over the ``K x C`` prototype matrix, clamped
at 0. The terms are summed over stages and kept modalities and divided by the
batch size.

Two readings of the released code are options:

- ``prototype_norm``: ``calculate_batch_prototypes`` takes the mean of each
  class' features and then divides it by the class' pixel count again.
  ``'mean'`` (default) is the class mean; ``'released'`` reproduces the
  second division (prototypes shrink with the class' area).
- ``softmax_dim``: the released softmax is over the classes of the ``[K, C]``
  prototype matrix (``dim=0``), ``'class'`` (default); ``'channel'`` takes it
  over the feature channels of each prototype.

Global prototypes: ``PrototypeSegmentation`` also keeps per-class global
prototypes, an exponential average ``0.9 g + 0.1 p`` of batch prototypes, and
an MSE between them (``compute_loss``), which no released training script
calls. Here they are buffers of this loss (one ``[K, C_i]`` per stage, saved
with checkpoints and averaged across processes before each update), used when
``global_loss_weight > 0``: the batch prototypes of the student's kept
features update them and are pulled towards them by that MSE. The default, 0,
is the released training.
"""
from typing import List, Sequence

import torch
import torch.distributed as dist
import torch.nn as nn
import torch.nn.functional as F
from mmseg.registry import MODELS
from torch import Tensor

from .precision import computes_in_float32

PROTOTYPE_NORMS = ('mean', 'released')
PROTOTYPE_SOFTMAX_DIMS = ('class', 'channel')


def class_prototypes(features: Tensor, labels: Tensor, num_classes: int,
                     prototype_norm: str = 'mean') -> Tensor:
    """Per-sample class prototypes.

    Args:
        features: ``[N, C, h, w]`` features.
        labels: ``[N, H, W]`` labels; values outside ``[0, K)`` are ignored.
        num_classes: K.
        prototype_norm: ``'mean'`` or ``'released'`` (module docstring).

    Returns:
        ``[N, K, C]``; zero for a class absent from a sample.
    """
    small = F.interpolate(labels[:, None].float(), size=features.shape[-2:],
                          mode='nearest')[:, 0].long()
    onehot = F.one_hot(small.clamp(0, num_classes).flatten(1), num_classes + 1)[..., :num_classes]
    onehot = onehot.to(features.dtype) * (small.flatten(1) < num_classes)[..., None]
    sums = torch.einsum('npk,ncp->nkc', onehot, features.flatten(2))
    count = onehot.sum(dim=1).clamp(min=1)[..., None]
    prototypes = sums / count
    return prototypes / count if prototype_norm == 'released' else prototypes


@MODELS.register_module()
class PrototypeDistillLoss(nn.Module):
    """HPDM of RobustSeg (module docstring), on per-modality features of every stage.

    Args:
        num_classes: K.
        stage_channels: Channels of each stage's features (for the global
            prototypes).
        loss_weight: Weight of the prototype KL (100 in the released scripts).
        prototype_norm: ``'mean'`` or ``'released'``.
        softmax_dim: ``'class'`` (released) or ``'channel'``.
        global_loss_weight: Weight of the MSE to the global prototypes (0:
            the released training, which never uses them).
        global_momentum: Weight of the old global prototypes in their update.
        loss_name: Name of the loss in the log.

    Shapes:
        - student, teacher: per stage ``[B, M, C_i, h_i, w_i]``.
        - kept: ``[B, M]`` bool, the pairs distilled.
        - labels: ``[B, H, W]``.
    """
    # AnySegDistiller gives these unless the config does: the student's classes, the
    # teacher's stage widths.
    distiller_args = ('num_classes', 'stage_channels')

    def __init__(self, num_classes: int, stage_channels: Sequence[int],
                 loss_weight: float = 100.0, prototype_norm: str = 'mean',
                 softmax_dim: str = 'class', global_loss_weight: float = 0.0,
                 global_momentum: float = 0.9, loss_name: str = 'loss_hpdm') -> None:
        super().__init__()
        if prototype_norm not in PROTOTYPE_NORMS:
            raise ValueError(f'prototype_norm={prototype_norm!r}; expected one of '
                             f'{PROTOTYPE_NORMS}')
        if softmax_dim not in PROTOTYPE_SOFTMAX_DIMS:
            raise ValueError(f'softmax_dim={softmax_dim!r}; expected one of '
                             f'{PROTOTYPE_SOFTMAX_DIMS}')
        self.num_classes = num_classes
        self.loss_weight = loss_weight
        self.prototype_norm = prototype_norm
        self.softmax_dim = 1 if softmax_dim == 'class' else 2
        self.global_loss_weight = global_loss_weight
        self.global_momentum = global_momentum
        self._loss_name = loss_name
        for stage, channels in enumerate(stage_channels):
            self.register_buffer(f'global_prototypes_{stage}', torch.zeros(num_classes, channels))

    @property
    def loss_name(self) -> str:
        return self._loss_name

    def global_prototypes(self) -> List[Tensor]:
        """The per-stage ``[K, C_i]`` global prototypes (buffers)."""
        return [getattr(self, f'global_prototypes_{i}') for i in range(len(self._buffers))]

    @torch.no_grad()
    def update_global(self, stage: int, batch_prototypes: Tensor) -> None:
        """EMA update of a stage's global prototypes, averaged across processes."""
        batch_prototypes = batch_prototypes.detach().clone()
        if dist.is_available() and dist.is_initialized():
            dist.all_reduce(batch_prototypes)
            batch_prototypes /= dist.get_world_size()
        buffer = getattr(self, f'global_prototypes_{stage}')
        buffer.mul_(self.global_momentum).add_((1 - self.global_momentum) * batch_prototypes)

    @computes_in_float32
    def forward(self, student: Sequence[Tensor], teacher: Sequence[Tensor], kept: Tensor,
                labels: Tensor) -> Tensor:
        batch = kept.shape[0]
        rows = kept.nonzero(as_tuple=True)
        pair_labels = labels[rows[0]]
        total = student[0].new_zeros(())
        for stage, (s_feat, t_feat) in enumerate(zip(student, teacher)):
            s_proto = class_prototypes(s_feat[rows], pair_labels, self.num_classes,
                                       self.prototype_norm)
            t_proto = class_prototypes(t_feat[rows], pair_labels, self.num_classes,
                                       self.prototype_norm)
            log_p = F.log_softmax(s_proto, dim=self.softmax_dim)
            target = F.softmax(t_proto, dim=self.softmax_dim)
            kl = F.kl_div(log_p, target, reduction='none').mean(dim=(1, 2)).clamp(min=0)
            total = total + self.loss_weight * kl.sum() / batch
            if self.global_loss_weight:
                total = total + self.global_loss_weight * self._global_term(
                    stage, s_feat[rows], pair_labels)
        return total

    def _global_term(self, stage: int, features: Tensor, labels: Tensor) -> Tensor:
        """``PrototypeSegmentation.compute_loss``: EMA update, then MSE to the global prototypes."""
        batch_prototypes = class_prototypes(features, labels, self.num_classes,
                                            self.prototype_norm).mean(dim=0)
        self.update_global(stage, batch_prototypes)
        return F.mse_loss(batch_prototypes, getattr(self, f'global_prototypes_{stage}'))

