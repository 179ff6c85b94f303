"""Parallel multimodal learning (PML) on a shared-weight Mix Transformer."""
from typing import Callable, List, Optional, Sequence

import torch
from mmseg.models.backbones import MixVisionTransformer
from mmseg.registry import MODELS
from torch import Tensor

from .anymodal_backbone import AnymodalBackbone, check_modality_mask, split_modalities


def fold_modalities(inputs: Tensor, modality_mask: Optional[Tensor], num_modalities: int,
                    backbone: Callable[[Tensor], Sequence[Tensor]]) -> List[Tensor]:
    """Run ``backbone`` once over the present modalities folded into the batch.

    Args:
        inputs: ``[B, M, C, H, W]`` or ``[B, M*C, H, W]``.
        modality_mask: ``[B, M]``; only True entries are computed (all when None).
        num_modalities: M.
        backbone: Maps ``[N, C, H, W]`` images to a sequence of stage features.

    Returns:
        Per stage, ``[B, M, C_i, h_i, w_i]``; masked-out entries are zero.
    """
    inputs = split_modalities(inputs, num_modalities)
    batch, num_mod = inputs.shape[:2]
    if modality_mask is None:
        mask = inputs.new_ones(batch, num_mod, dtype=torch.bool)
    else:
        mask = check_modality_mask(modality_mask.to(inputs.device), batch, num_mod)
    if bool(mask.all()):
        return [out.unflatten(0, (batch, num_mod)) for out in backbone(inputs.flatten(0, 1))]
    features = []
    for out in backbone(inputs[mask]):
        full = out.new_zeros((batch, num_mod) + out.shape[1:])
        full[mask] = out
        features.append(full)
    return features


@MODELS.register_module()
class MultiModalMiT(AnymodalBackbone, MixVisionTransformer):
    """One Mix Transformer with shared weights over M modalities (paper Fig. 2).

    The present modalities of every sample are folded into the batch and run
    through mmseg's :class:`MixVisionTransformer` in a single pass. At each
    stage the fused feature is the mean of the per-modality features over the
    modalities present in that sample (:class:`AnymodalBackbone`). Because modalities stay independent
    until that mean, the features of any subset follow from the per-modality
    features, which :meth:`forward_modalities` exposes for distillation and
    subset evaluation.

    Arguments are those of :class:`MixVisionTransformer` (so mmseg's ``mit-b0``
    to ``mit-b5`` settings and checkpoints apply unchanged) plus:

    Args:
        num_modalities: Number of stacked modalities M.
        **kwargs: Passed to :class:`MixVisionTransformer`.

    Shapes:
        - inputs: ``[B, M, C, H, W]``, or ``[B, M*C, H, W]`` with the
          modalities stacked along channels.
        - modality_mask: ``[B, M]`` bool; None means every modality present.
        - output: tuple of 4 fused stage features ``[B, C_i, H/s_i, W/s_i]``.
    """

    def __init__(self, num_modalities: int, **kwargs) -> None:
        super().__init__(**kwargs)
        if num_modalities < 1:
            raise ValueError(f'num_modalities must be >= 1, got {num_modalities}')
        self.num_modalities = num_modalities

    def forward_modalities(self,
                           inputs: Tensor,
                           modality_mask: Optional[Tensor] = None) -> List[Tensor]:
        """Per-modality features of each stage, in one backbone pass.

        Args:
            inputs: ``[B, M, C, H, W]`` or ``[B, M*C, H, W]``.
            modality_mask: ``[B, M]``; only True entries are computed.

        Returns:
            Per stage, ``[B, M, C_i, h_i, w_i]``; entries of masked-out
            modalities are zero.
        """
        return fold_modalities(inputs, modality_mask, self.num_modalities,
                               lambda x: MixVisionTransformer.forward(self, x))
