"""Feature rectification (FRM) and fusion (FFM) between two feature maps.

The two modules of CMX (Zhang et al., T-ITS 2023) that CMNeXt reuses at every
stage, written from ``huaaaliu/RGBX_Semantic_Segmentation``
(``models/net_utils.py``) and its multi-modal copy in ``jamycheung/DELIVER``
(``semseg/models/modules/ffm.py``), with the same parameters and arithmetic.
"""
import math
from typing import Tuple

import torch
import torch.nn as nn
from mmengine.model.weight_init import trunc_normal_
from torch import Tensor


class ChannelWeights(nn.Module):
    """Channel weights of FRM from the avg- and max-pooled pair.

    Args:
        dim: Channels C of each input.
        reduction: Hidden width divisor of the MLP.

    Shapes:
        - x1, x2: ``[B, C, H, W]``.
        - output: ``[2, B, C, 1, 1]``, the weights applied to x1 (index 0)
          and x2 (index 1).
    """

    def __init__(self, dim: int, reduction: int = 1) -> None:
        super().__init__()
        self.dim = dim
        self.mlp = nn.Sequential(
            nn.Linear(dim * 4, dim * 4 // reduction), nn.ReLU(inplace=True),
            nn.Linear(dim * 4 // reduction, dim * 2), nn.Sigmoid())

    def forward(self, x1: Tensor, x2: Tensor) -> Tensor:
        x = torch.cat((x1, x2), dim=1)
        pooled = torch.cat((x.mean(dim=(2, 3)), x.amax(dim=(2, 3))), dim=1)
        weights = self.mlp(pooled)
        return weights.reshape(x.shape[0], 2, self.dim, 1, 1).transpose(0, 1)


class SpatialWeights(nn.Module):
    """Spatial weights of FRM from the concatenated pair.

    Shapes:
        - x1, x2: ``[B, C, H, W]``.
        - output: ``[2, B, 1, H, W]``.
    """

    def __init__(self, dim: int, reduction: int = 1) -> None:
        super().__init__()
        self.mlp = nn.Sequential(
            nn.Conv2d(dim * 2, dim // reduction, kernel_size=1), nn.ReLU(inplace=True),
            nn.Conv2d(dim // reduction, 2, kernel_size=1), nn.Sigmoid())

    def forward(self, x1: Tensor, x2: Tensor) -> Tensor:
        weights = self.mlp(torch.cat((x1, x2), dim=1))
        batch, _, height, width = weights.shape
        return weights.reshape(batch, 2, 1, height, width).transpose(0, 1)


class FeatureRectifyModule(nn.Module):
    """FRM: each input is corrected by channel- and spatially-weighted copies of the other.

    ``x1' = x1 + lc * wc[1] * x2 + ls * ws[1] * x2`` and symmetrically for x2.

    Args:
        dim: Channels C of each input.
        reduction: Hidden width divisor of the weight MLPs.
        lambda_c: Weight of the channel path.
        lambda_s: Weight of the spatial path.

    Shapes:
        - x1, x2 and both outputs: ``[B, C, H, W]``.
    """

    def __init__(self, dim: int, reduction: int = 1, lambda_c: float = 0.5,
                 lambda_s: float = 0.5) -> None:
        super().__init__()
        self.lambda_c = lambda_c
        self.lambda_s = lambda_s
        self.channel_weights = ChannelWeights(dim, reduction)
        self.spatial_weights = SpatialWeights(dim, reduction)

    def forward(self, x1: Tensor, x2: Tensor) -> Tuple[Tensor, Tensor]:
        channel = self.channel_weights(x1, x2)
        spatial = self.spatial_weights(x1, x2)
        out1 = x1 + self.lambda_c * channel[1] * x2 + self.lambda_s * spatial[1] * x2
        out2 = x2 + self.lambda_c * channel[0] * x1 + self.lambda_s * spatial[0] * x1
        return out1, out2


class CrossAttention(nn.Module):
    """Efficient cross attention of FFM: each path queries the other's global context.

    The context is ``softmax_d(K^T V * scale)``, a ``[d, d]`` matrix per head,
    so the cost is linear in the number of tokens.

    Shapes:
        - x1, x2 and both outputs: ``[B, N, C]``.
    """

    def __init__(self, dim: int, num_heads: int) -> None:
        super().__init__()
        if dim % num_heads:
            raise ValueError(f'dim {dim} is not divisible by num_heads {num_heads}')
        self.num_heads = num_heads
        self.scale = (dim // num_heads)**-0.5
        self.kv1 = nn.Linear(dim, dim * 2, bias=False)
        self.kv2 = nn.Linear(dim, dim * 2, bias=False)

    def _heads(self, x: Tensor) -> Tensor:
        batch, tokens, dim = x.shape
        return x.reshape(batch, tokens, self.num_heads, dim // self.num_heads).transpose(1, 2)

    def _context(self, kv: Tensor) -> Tensor:
        key, value = (self._heads(t) for t in kv.chunk(2, dim=-1))
        return ((key.transpose(-2, -1) @ value) * self.scale).softmax(dim=-2)

    def forward(self, x1: Tensor, x2: Tensor) -> Tuple[Tensor, Tensor]:
        ctx1, ctx2 = self._context(self.kv1(x1)), self._context(self.kv2(x2))
        out1 = (self._heads(x1) @ ctx2).transpose(1, 2).flatten(2)
        out2 = (self._heads(x2) @ ctx1).transpose(1, 2).flatten(2)
        return out1, out2


class CrossPath(nn.Module):
    """FFM stage 1: half of each path's channels go through cross attention.

    Shapes:
        - x1, x2 and both outputs: ``[B, N, C]``.
    """

    def __init__(self, dim: int, num_heads: int, reduction: int = 1) -> None:
        super().__init__()
        hidden = dim // reduction
        self.channel_proj1 = nn.Linear(dim, hidden * 2)
        self.channel_proj2 = nn.Linear(dim, hidden * 2)
        self.act = nn.ReLU(inplace=True)
        self.cross_attn = CrossAttention(hidden, num_heads=num_heads)
        self.end_proj1 = nn.Linear(hidden * 2, dim)
        self.end_proj2 = nn.Linear(hidden * 2, dim)
        self.norm1 = nn.LayerNorm(dim)
        self.norm2 = nn.LayerNorm(dim)

    def forward(self, x1: Tensor, x2: Tensor) -> Tuple[Tensor, Tensor]:
        y1, u1 = self.act(self.channel_proj1(x1)).chunk(2, dim=-1)
        y2, u2 = self.act(self.channel_proj2(x2)).chunk(2, dim=-1)
        v1, v2 = self.cross_attn(u1, u2)
        out1 = self.norm1(x1 + self.end_proj1(torch.cat((y1, v1), dim=-1)))
        out2 = self.norm2(x2 + self.end_proj2(torch.cat((y2, v2), dim=-1)))
        return out1, out2


class ChannelEmbed(nn.Module):
    """FFM stage 2: merge the concatenated paths back to C channels.

    Shapes:
        - x: ``[B, 2C, H, W]``; output ``[B, C, H, W]``.
    """

    def __init__(self, in_channels: int, out_channels: int, reduction: int = 1) -> None:
        super().__init__()
        hidden = out_channels // reduction
        self.residual = nn.Conv2d(in_channels, out_channels, kernel_size=1, bias=False)
        self.channel_embed = nn.Sequential(
            nn.Conv2d(in_channels, hidden, kernel_size=1),
            nn.Conv2d(hidden, hidden, kernel_size=3, padding=1, groups=hidden),
            nn.ReLU(inplace=True),
            nn.Conv2d(hidden, out_channels, kernel_size=1),
            nn.BatchNorm2d(out_channels))
        self.norm = nn.BatchNorm2d(out_channels)

    def forward(self, x: Tensor) -> Tensor:
        return self.norm(self.residual(x) + self.channel_embed(x))


class FeatureFusionModule(nn.Module):
    """FFM: cross-path attention, then a channel embedding of both paths.

    Args:
        dim: Channels C of each input.
        num_heads: Heads of the cross attention.
        reduction: Hidden width divisor.

    Shapes:
        - x1, x2: ``[B, C, H, W]``; output: the fused ``[B, C, H, W]``.
    """

    def __init__(self, dim: int, num_heads: int, reduction: int = 1) -> None:
        super().__init__()
        self.cross = CrossPath(dim, num_heads=num_heads, reduction=reduction)
        self.channel_emb = ChannelEmbed(dim * 2, dim, reduction=reduction)
        self.apply(init_fusion_weights)

    def forward(self, x1: Tensor, x2: Tensor) -> Tensor:
        height, width = x1.shape[-2:]
        t1, t2 = self.cross(x1.flatten(2).transpose(1, 2), x2.flatten(2).transpose(1, 2))
        merged = torch.cat((t1, t2), dim=-1).transpose(1, 2)
        return self.channel_emb(merged.unflatten(2, (height, width)))


def init_fusion_weights(module: nn.Module) -> None:
    """DELIVER's initialisation of the CMNeXt/CMX modules (``ffm.py``, ``BaseModel``)."""
    if isinstance(module, nn.Linear):
        trunc_normal_(module.weight, std=.02)
        if module.bias is not None:
            nn.init.zeros_(module.bias)
    elif isinstance(module, (nn.LayerNorm, nn.BatchNorm2d)):
        nn.init.ones_(module.weight)
        nn.init.zeros_(module.bias)
    elif isinstance(module, nn.Conv2d):
        fan_out = module.kernel_size[0] * module.kernel_size[1] * module.out_channels
        module.weight.data.normal_(0, math.sqrt(2.0 / (fan_out // module.groups)))
        if module.bias is not None:
            nn.init.zeros_(module.bias)
