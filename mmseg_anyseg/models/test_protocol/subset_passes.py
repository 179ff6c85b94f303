"""The two ways of predicting many modality subsets of one batch.

- :func:`shared_subset_logits`: one backbone pass per modality (and per damaged
  copy, and one zero image), then each subset's fused features are a weighted
  mean of those per-modality features. For backbones with
  ``has_modality_features`` (PML, MAGIC).
- :func:`per_subset_logits`: one full forward per subset on inputs where the
  modalities outside it are zero images or their damaged copies. For
  backbones with a fixed branch per modality (CMNeXt, CMX).

Both return the decode head's raw logits ``[S, B, K, h, w]``.
"""
from typing import List, Optional, Tuple

import torch
from torch import Tensor

from ..backbones.anymodal_backbone import mask_weights
from ..missing_modality import zero_fill
from .subset_decoding import decode_segformer_subsets, supports_shared_decoding


def _slots(model, clean: Tensor, damaged: Optional[Tensor], masks: Tensor,
           missing: str) -> Tuple[List[Tensor], Tensor]:
    """Features of every slot a subset may use, and each subset's weights over them.

    Slots: the M modalities; under random missing, their M damaged copies;
    under ``missing='zero'``, one zero image.

    Returns:
        Per stage ``[B, N, C_i, h_i, w_i]`` features and ``[S, B, N]`` weights
        (rows sum to one, or are zero for a subset with no modality in a sample).
    """
    backbone = model.backbone
    available = masks.any(dim=0)
    slots = [backbone.forward_modalities(clean, available)]
    weights = [masks]
    absent = ~masks
    if damaged is not None:
        damaged_used = available[None] & ~masks
        if bool(damaged_used.any()):
            needed = damaged_used.any(dim=0)
            needed[~needed.any(dim=1), 0] = True  # unused; keeps every sample non-empty
            slots.append(backbone.forward_modalities(damaged, needed))
            weights.append(damaged_used)
        absent = absent & ~damaged_used
    if missing == 'zero' and bool(absent.any()):
        only_first = torch.zeros_like(available)
        only_first[:, 0] = True
        zero = backbone.forward_modalities(torch.zeros_like(clean), only_first)
        slots.append([feat[:, :1] for feat in zero])
        weights.append(absent.sum(dim=-1, keepdim=True))
    features = [torch.cat(parts, dim=1) for parts in zip(*slots)]
    uses = torch.cat([w.long() for w in weights], dim=-1) * masks.any(dim=-1, keepdim=True)
    return features, mask_weights(uses, features[0].dtype)


def decode_weighted(model, features: List[Tensor], weights: Tensor) -> Tensor:
    """Decode-head logits of weighted means of per-slot features.

    With a backbone that fuses by the plain mean, a SegFormer head and no
    neck, the head's linear parts run once per slot (see ``subset_decoding``);
    otherwise the backbone fuses each weighting and the head runs on it.

    Args:
        model: An :class:`AnymodalEncoderDecoder`.
        features: Per stage, ``[B, N, C_i, h_i, w_i]`` features of N slots.
        weights: ``[S, B, N]`` weights of each subset (rows sum to one, or zero).

    Returns:
        ``[S, B, K, h, w]`` logits at the head's resolution.
    """
    if (model.backbone.fuses_by_mean and not model.with_neck
            and supports_shared_decoding(model.decode_head)):
        return decode_segformer_subsets(model.decode_head, features, weights)
    raw = []
    for weight in weights:
        fused = model.backbone.fuse_weighted(features, weight)
        raw.append(model.decode_head.forward(model.neck(fused) if model.with_neck else fused))
    return torch.stack(raw)


def shared_subset_logits(model, clean: Tensor, damaged: Optional[Tensor], masks: Tensor,
                         missing: str) -> Tensor:
    """Raw logits of every subset from one backbone pass per modality.

    Args:
        model: An :class:`AnymodalEncoderDecoder` whose backbone has
            per-modality features.
        clean: ``[B, M, C, H, W]`` inputs (noisy ones under noise).
        damaged: ``[B, M, C, H, W]`` damaged copies under random missing, or None.
        masks: ``[S, B, M]`` bool, the intact modalities of each subset.
        missing: ``'drop'`` or ``'zero'``, how a modality outside a subset enters.

    Returns:
        ``[S, B, K, h, w]`` logits at the head's resolution.
    """
    features, weights = _slots(model, clean, damaged, masks, missing)
    return decode_weighted(model, features, weights)


def per_subset_logits(model, clean: Tensor, damaged: Optional[Tensor], masks: Tensor,
                      missing: str = 'zero') -> Tensor:
    """Raw logits of every subset from one full forward per subset.

    The modalities outside a subset are zero images, or their damaged copies
    under random missing when the sample has them. Arguments as in
    :func:`shared_subset_logits`; ``missing`` is always ``'zero'`` here.
    """
    available = masks.any(dim=0)
    num_mod = clean.shape[1]
    raw = []
    for mask in masks:
        subset_inputs = zero_fill(clean, mask, num_mod)
        if damaged is not None:  # the two fills are disjoint
            subset_inputs = subset_inputs + zero_fill(damaged, available & ~mask, num_mod)
        raw.append(model.decode_head.forward(model.extract_feat(subset_inputs.flatten(1, 2))))
    return torch.stack(raw)
