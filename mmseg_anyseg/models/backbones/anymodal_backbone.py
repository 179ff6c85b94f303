"""The contract of every multi-modal backbone: per-modality features and their fusion."""
from typing import List, Optional, Sequence

import torch
from torch import Tensor


def check_modality_mask(mask: Tensor, batch_size: int, num_modalities: int) -> Tensor:
    """Validate a ``[B, M]`` modality mask and return it as a bool tensor.

    Raises:
        ValueError: wrong shape, or a sample with no modality at all.
    """
    if mask.shape != (batch_size, num_modalities):
        raise ValueError(f'modality mask has shape {tuple(mask.shape)}; expected '
                         f'(batch={batch_size}, modalities={num_modalities})')
    mask = mask.bool()
    empty = (~mask.any(dim=1)).nonzero().flatten().tolist()
    if empty:
        raise ValueError(f'samples {empty} of the batch have no modality present; '
                         'every sample needs at least one modality')
    return mask


def split_modalities(inputs: Tensor, num_modalities: int) -> Tensor:
    """``[B, M, C, H, W]`` view of inputs given as such or as ``[B, M*C, H, W]``."""
    if inputs.dim() == 5:
        if inputs.shape[1] != num_modalities:
            raise ValueError(f'input has {inputs.shape[1]} modalities; the backbone was '
                             f'built for num_modalities={num_modalities}')
        return inputs
    batch, channels, height, width = inputs.shape
    if channels % num_modalities:
        raise ValueError(f'input has {channels} channels, not divisible by '
                         f'num_modalities={num_modalities}')
    return inputs.view(batch, num_modalities, -1, height, width)


def mask_weights(mask: Tensor, dtype: torch.dtype = torch.float32) -> Tensor:
    """Fusion weights of a modality mask: the mean over its slots, zero rows where it is empty.

    The one rule by which a mask becomes fusion weights, for the backbones, MAGIC's
    selection, both subset strategies of the test protocol and the ONNX graph.

    Args:
        mask: ``[..., N]`` bool, or non-negative whole numbers counting how many
            times a slot is used.
        dtype: Floating type of the weights.

    Returns:
        ``[..., N]`` weights whose rows sum to one, or to zero for an empty row.
    """
    weights = mask.to(dtype)
    return weights / weights.sum(dim=-1, keepdim=True).clamp(min=1)


def weighted_modality_sum(features: Sequence[Tensor], weights: Tensor) -> List[Tensor]:
    """Per stage, ``sum_n weights[b, n] * features[b, n]``: ``[B, N]`` weights, ``[B, C, h, w]`` out."""
    return [torch.einsum('bn,bnchw->bchw', weights, feat) for feat in features]


class AnymodalBackbone:
    """Mixin that every backbone of :class:`AnymodalEncoderDecoder` derives from.

    It states what the segmentor, the test protocol, the distiller and the
    analysis tools may ask of a backbone, so that none of them probes for
    methods. The fusion rule of shared-weight backbones lives here, once:
    :meth:`fuse_weighted` maps per-modality features and each sample's
    weights over them (the mean over the kept modalities, or over a subset
    under test) to the features the neck and the head receive: their
    weighted mean here, MAM for :class:`MAGICMiT`.

    Attributes:
        num_modalities: Number of stacked modalities M (set by the subclass).
        can_drop_modalities: Whether a modality can be left out of the fusion.
            False for backbones with a fixed branch per modality, which get a
            missing modality as a zero image instead.
        has_modality_features: Whether :meth:`forward_modalities` gives the
            features of each modality alone (needed by the shared subset pass,
            by UMD and CMD).
        fuses_by_mean: Whether the fused features are exactly the weighted mean
            of the per-modality features (:meth:`fuse_weighted` not
            overridden), which lets a SegFormer head decode many subsets at once.

    Shapes:
        - inputs: ``[B, M, C, H, W]`` or ``[B, M*C, H, W]``.
        - modality_mask: ``[B, M]`` bool; None means every modality present.
        - output of ``forward``: per stage the fused ``[B, C_i, h_i, w_i]``.
    """

    num_modalities: int
    can_drop_modalities: bool = True
    has_modality_features: bool = True
    fuses_by_mean: bool = True

    def forward_modalities(self, inputs: Tensor,
                           modality_mask: Optional[Tensor] = None) -> List[Tensor]:
        """Per stage, ``[B, M, C_i, h_i, w_i]`` features, zero where masked out."""
        raise NotImplementedError(f'{type(self).__name__} fuses its modalities inside and has '
                                  'no per-modality features (has_modality_features=False)')

    def fuse_weighted(self, features: Sequence[Tensor], weights: Tensor) -> List[Tensor]:
        """Fused features of ``[B, N]``-weighted per-slot ``[B, N, C_i, h_i, w_i]`` features.

        ``weights`` rows sum to one (a subset's mean over its slots). Here the
        weighted mean; subclasses with their own aggregation override this.
        """
        return weighted_modality_sum(features, weights)

    def fuse_masked(self, features: Sequence[Tensor],
                    modality_mask: Optional[Tensor] = None) -> List[Tensor]:
        """Fused features of the modalities in ``modality_mask`` (all when None)."""
        batch, num = features[0].shape[:2]
        if modality_mask is None:
            modality_mask = features[0].new_ones((batch, num), dtype=torch.bool)
        return self.fuse_weighted(
            features, mask_weights(modality_mask.to(features[0].device), features[0].dtype))

    def forward(self, inputs: Tensor, modality_mask: Optional[Tensor] = None) -> List[Tensor]:
        """Fused multi-scale features of the kept modalities."""
        return self.fuse_masked(self.forward_modalities(inputs, modality_mask), modality_mask)
