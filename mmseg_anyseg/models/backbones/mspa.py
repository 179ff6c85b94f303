"""Multi-scale pooling attention block of CMNeXt's auxiliary branch (PPX block).

Written from ``jamycheung/DELIVER``, ``semseg/models/modules/mspa.py``.
"""
import torch
import torch.nn as nn
from mmcv.cnn import build_norm_layer
from mmcv.cnn.bricks.drop import DropPath
from torch import Tensor


class MSPoolAttention(nn.Module):
    """Depth-wise 7x7 conv, then average pools of 3, 7 and 11 summed into a sigmoid gate.

    Shapes:
        - x and output: ``[B, C, H, W]``.
    """

    def __init__(self, dim: int, pool_sizes=(3, 7, 11)) -> None:
        super().__init__()
        self.conv0 = nn.Conv2d(dim, dim, 7, padding=3, groups=dim)
        self.pools = nn.ModuleList(
            nn.AvgPool2d(size, stride=1, padding=size // 2, count_include_pad=False)
            for size in pool_sizes)
        self.conv4 = nn.Conv2d(dim, dim, 1)

    def forward(self, x: Tensor) -> Tensor:
        local = self.conv0(x)
        context = local + sum(pool(local) for pool in self.pools)
        return torch.sigmoid(self.conv4(context)) * x + x


class ConvMlp(nn.Module):
    """1x1 conv, depth-wise 3x3 conv, GELU, 1x1 conv."""

    def __init__(self, dim: int, hidden: int) -> None:
        super().__init__()
        self.fc1 = nn.Conv2d(dim, hidden, 1)
        self.dwconv = nn.Conv2d(hidden, hidden, 3, padding=1, groups=hidden)
        self.act = nn.GELU()
        self.fc2 = nn.Conv2d(hidden, dim, 1)

    def forward(self, x: Tensor) -> Tensor:
        return self.fc2(self.act(self.dwconv(self.fc1(x))))


class MSPABlock(nn.Module):
    """The PPX block: pooling attention, then an ECA-style channel mix plus an MLP.

    ``x = x + s1 * attn(norm1(x))``, then ``x = eca(x) * x + s2 * mlp(norm2(x))``
    (the channel mix replaces the second residual, as in the original).

    Args:
        dim: Channels C.
        mlp_ratio: Hidden width of the MLP over C.
        drop_path: Stochastic depth rate.
        norm_cfg: Norm of the two pre-norms (BN in CMNeXt).
        layer_scale_init: Initial value of the two layer scales.

    Shapes:
        - x and output: ``[B, C, H, W]``.
    """

    def __init__(self, dim: int, mlp_ratio: float = 4., drop_path: float = 0.,
                 norm_cfg: dict = dict(type='BN', requires_grad=True),
                 layer_scale_init: float = 1e-2) -> None:
        super().__init__()
        self.norm1 = build_norm_layer(norm_cfg, dim)[1]
        self.attn = MSPoolAttention(dim)
        self.drop_path = DropPath(drop_path) if drop_path > 0. else nn.Identity()
        self.norm2 = build_norm_layer(norm_cfg, dim)[1]
        self.mlp = ConvMlp(dim, int(dim * mlp_ratio))
        self.layer_scale_1 = nn.Parameter(layer_scale_init * torch.ones(dim))
        self.layer_scale_2 = nn.Parameter(layer_scale_init * torch.ones(dim))
        self.channel_mix = nn.Conv1d(1, 1, kernel_size=3, padding=1, bias=False)

    def forward(self, x: Tensor) -> Tensor:
        x = x + self.drop_path(self.layer_scale_1[:, None, None] * self.attn(self.norm1(x)))
        gate = self.channel_mix(x.mean(dim=(2, 3))[:, None]).sigmoid()[:, 0, :, None, None]
        mlp = self.drop_path(self.layer_scale_2[:, None, None] * self.mlp(self.norm2(x)))
        return gate * x + mlp
