"""Decode many modality subsets from per-modality features at once.

For :class:`mmseg.models.decode_heads.SegformerHead` the work that is linear in
the fused features is moved before the subset mean, so that it runs once per
modality instead of once per subset:

- each stage's 1x1 projection ``conv_i`` (before its norm and activation):
  ``conv_i(mean_S f) = mean_S conv_i(f)`` as the subset weights sum to one;
- the fusion 1x1 conv over the concatenated, upsampled stages is split into
  its per-stage blocks ``W_i`` and applied at each stage's own resolution
  before upsampling: ``W [up(r_1); ...; up(r_4)] = sum_i up(W_i r_i)``, since
  bilinear upsampling is linear and acts on each channel alone.

Both are exact rewritings of the head (equal up to float rounding).
"""
from typing import List

import torch
import torch.nn.functional as F
from mmcv.cnn import ConvModule
from mmseg.models.decode_heads import SegformerHead
from mmseg.models.utils import resize
from torch import Tensor

from ..decode_heads import SegformerLinearHead


def supports_shared_decoding(head: torch.nn.Module) -> bool:
    """Whether :func:`decode_segformer_subsets` applies to ``head``."""
    if type(head) not in (SegformerHead, SegformerLinearHead):
        return False
    modules = list(head.convs) + [head.fusion_conv]
    return all(m.order[0] == 'conv' and m.conv.kernel_size == (1, 1) for m in modules)


def _after_conv(module: ConvModule, x: Tensor) -> Tensor:
    """The norm and activation of a ConvModule whose conv comes first."""
    for layer in module.order[1:]:
        if layer == 'norm' and module.with_norm:
            x = module.norm(x)
        elif layer == 'act' and module.with_activation:
            x = module.activate(x)
    return x


def decode_segformer_subsets(head: SegformerHead, per_modality: List[Tensor], weights: Tensor,
                             chunk: int = 4) -> Tensor:
    """SegFormer head logits of several weighted modality means.

    Args:
        head: The decode head (eval mode).
        per_modality: Per backbone stage, ``[B, M, C_i, h_i, w_i]`` features.
        weights: ``[S, B, M]`` averaging weights of each subset (rows sum to
            one, zero for modalities outside the subset).
        chunk: Subsets decoded together in one batched pass (bounds memory).

    Returns:
        ``[S, B, K, h_0, w_0]`` logits at the first stage's resolution.
    """
    stages = head._transform_inputs(per_modality)
    fusion = head.fusion_conv.conv
    width = head.channels
    size = stages[0].shape[-2:]
    order = list(getattr(head, 'fusion_stage_order', range(len(stages))))
    projected = []
    for conv, feat in zip(head.convs, stages):
        batch, num_mod = feat.shape[:2]
        proj = F.conv2d(feat.flatten(0, 1), conv.conv.weight, conv.conv.bias)
        projected.append(proj.unflatten(0, (batch, num_mod)))
    logits = []
    for part in weights.split(chunk):
        fused = 0
        for i, (conv, proj) in enumerate(zip(head.convs, projected)):
            mixed = torch.einsum('sbm,bmchw->sbchw', part, proj).flatten(0, 1)
            position = order.index(i)
            block = fusion.weight[:, position * width:(position + 1) * width]
            out = F.conv2d(_after_conv(conv, mixed), block)
            if out.shape[-2:] != size:
                out = resize(out, size=size, mode=head.interpolate_mode,
                             align_corners=head.align_corners)
            fused = fused + out
        if fusion.bias is not None:
            fused = fused + fusion.bias[:, None, None]
        out = head.cls_seg(_after_conv(head.fusion_conv, fused))
        logits.append(out.unflatten(0, part.shape[:2]))
    return torch.cat(logits)
