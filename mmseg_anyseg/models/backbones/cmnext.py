"""CMNeXt (Zhang et al., CVPR 2023), the DELIVER benchmark's arbitrary-modal model.

Written from ``jamycheung/DELIVER``: ``semseg/models/backbones/cmnext.py``,
``semseg/models/modules/{ffm,mspa}.py`` and ``semseg/models/cmnext.py``.
"""
import functools
from typing import List, Optional, Sequence

import torch
import torch.nn as nn
from mmseg.registry import MODELS
from torch import Tensor

from .mspa import MSPABlock
from .rectify_fuse import FeatureFusionModule, FeatureRectifyModule, init_fusion_weights
from .rgbx_branches import RGBXBackbone, run_mit_stage


class ChannelLayerNorm(nn.Module):
    """LayerNorm over the channels of an ``NCHW`` map (CMNeXt's ``ConvLayerNorm``)."""

    def __init__(self, dim: int, eps: float = 1e-6) -> None:
        super().__init__()
        self.norm = nn.LayerNorm(dim, eps=eps)

    def forward(self, x: Tensor) -> Tensor:
        return self.norm(x.permute(0, 2, 3, 1)).permute(0, 3, 1, 2)


class ParallelPatchEmbed(nn.Module):
    """One patch-embedding conv shared by the auxiliary modalities, one norm each.

    Shapes:
        - inputs: list of ``[B, C_in, H, W]``; outputs: list of ``[B, C, H/s, W/s]``.
    """

    def __init__(self, in_channels: int, out_channels: int, patch_size: int, stride: int,
                 num_modalities: int) -> None:
        super().__init__()
        self.proj = nn.Conv2d(in_channels, out_channels, patch_size, stride, patch_size // 2)
        self.norms = nn.ModuleList(ChannelLayerNorm(out_channels) for _ in range(num_modalities))

    def forward(self, inputs: List[Tensor]) -> List[Tensor]:
        return [norm(self.proj(x)) for norm, x in zip(self.norms, inputs)]


class SelfQueryHub(nn.Module):
    """CMNeXt's hub: score each auxiliary feature, re-weight it, merge by the maximum.

    ``x_i' = s_i * x_i + x_i`` with ``s_i = sigmoid(conv1x1(dwconv3x3(x_i)))``,
    one score net per modality; the merged feature is the element-wise max of
    the ``x_i'``.

    Shapes:
        - inputs: list of M' ``[B, C, h, w]``.
        - outputs: the merged ``[B, C, h, w]`` and the re-weighted inputs.
    """

    def __init__(self, dim: int, num_modalities: int) -> None:
        super().__init__()
        self.score_nets = nn.ModuleList(
            nn.Sequential(nn.Conv2d(dim, dim, 3, padding=1, groups=dim), nn.Conv2d(dim, 1, 1),
                          nn.Sigmoid()) for _ in range(num_modalities))

    def forward(self, inputs: List[Tensor]):
        weighted = [score(x) * x + x for score, x in zip(self.score_nets, inputs)]
        return functools.reduce(torch.max, weighted), weighted


@MODELS.register_module()
class CMNeXt(RGBXBackbone):
    """CMNeXt: an RGB MiT branch plus one auxiliary branch for all other modalities.

    At each stage the auxiliary modalities are embedded by one shared
    conv with per-modality LayerNorms, merged by the self-query hub (with more
    than one auxiliary modality), refined by PPX blocks (:class:`MSPABlock`)
    and fused with the RGB stage by FRM (rectification, whose RGB output
    feeds the next RGB stage) and FFM (fusion, the stage output for the
    head). Each auxiliary modality's next-stage input is its re-weighted
    feature plus the refined merged one.

    Published behaviour kept (``jamycheung/DELIVER``, ``cmnext.py``): that
    residual reads the ``NCHW`` re-weighted feature as if it were ``NHWC``
    tokens (``x.reshape(B, H, W, -1).permute(0, 3, 1, 2)``, a fixed shuffle of
    its elements; the CMX code it was copied from holds ``NLC`` tokens there).
    ``aux_residual_layout='published'`` reproduces it, so that DELIVER's
    checkpoints (``tools/model_converters/anyseg2mmseg.py --source
    deliver-cmnext``) compute what they computed there; ``'nchw'`` adds the
    feature as laid out.

    The RGB branch is mmseg's :class:`MixVisionTransformer` (its LayerNorm eps
    is mmseg's 1e-6 where the original uses 1e-5); ImageNet weights go to it
    through ``rgb_branch.init_cfg``, and the auxiliary branch starts from
    scratch, as in the authors' ``load_dualpath_model``.

    Args:
        num_modalities: M, RGB first.
        rgb_branch: :class:`MixVisionTransformer` arguments of the RGB branch.
        aux_mlp_ratios: MLP ratio of the PPX blocks of each stage.
        fusion_heads: Heads of FFM's cross attention at each stage; by
            default the RGB branch's ``num_heads`` (``[1, 2, 5, 8]`` in the original).
        aux_residual_layout: ``'published'`` or ``'nchw'`` (see above).

    Shapes:
        - inputs: ``[B, M, C, H, W]`` or ``[B, M*C, H, W]``.
        - output: 4 fused stage features ``[B, C_i, H/s_i, W/s_i]``.
    """

    def __init__(self,
                 num_modalities: int,
                 rgb_branch: dict,
                 aux_mlp_ratios=(8, 8, 4, 4),
                 fusion_heads: Optional[Sequence[int]] = None,
                 aux_residual_layout: str = 'published') -> None:
        super().__init__(num_modalities, rgb_branch)
        if aux_residual_layout not in ('published', 'nchw'):
            raise ValueError(f"aux_residual_layout={aux_residual_layout!r}; expected "
                             "'published' or 'nchw'")
        self.aux_residual_layout = aux_residual_layout
        num_aux = num_modalities - 1
        self.num_aux = num_aux
        if num_aux == 0:
            return
        widths = self.widths
        depths = list(rgb_branch.get('num_layers', self.rgb.num_layers))
        in_channels = [rgb_branch.get('in_channels', 3)] + widths[:-1]
        patch_sizes = rgb_branch.get('patch_sizes', [7, 3, 3, 3])
        strides = rgb_branch.get('strides', [4, 2, 2, 2])
        rates = torch.linspace(0, rgb_branch.get('drop_path_rate', 0.1), sum(depths)).tolist()
        self.aux_embeds = nn.ModuleList(
            ParallelPatchEmbed(c_in, c, k, s, num_aux)
            for c_in, c, k, s in zip(in_channels, widths, patch_sizes, strides))
        self.hubs = nn.ModuleList(SelfQueryHub(c, num_aux) for c in widths) if num_aux > 1 \
            else None
        self.aux_blocks = nn.ModuleList()
        start = 0
        for width, depth, ratio in zip(widths, depths, aux_mlp_ratios):
            self.aux_blocks.append(nn.ModuleList(
                MSPABlock(width, mlp_ratio=ratio, drop_path=rates[start + j])
                for j in range(depth)))
            start += depth
        self.aux_norms = nn.ModuleList(ChannelLayerNorm(c) for c in widths)
        self.rectify = nn.ModuleList(FeatureRectifyModule(c) for c in widths)
        self.fuse = nn.ModuleList(
            FeatureFusionModule(c, num_heads=h)
            for c, h in zip(widths, fusion_heads or self.rgb.num_heads))

    def init_weights(self) -> None:
        self.rgb.init_weights()
        for name, child in self.named_children():
            if name != 'rgb':
                child.apply(init_fusion_weights)

    def _aux_residual(self, x: Tensor) -> Tensor:
        if self.aux_residual_layout == 'nchw':
            return x
        batch, channels, height, width = x.shape
        return x.reshape(batch, height, width, channels).permute(0, 3, 1, 2)

    def forward(self, inputs: Tensor, modality_mask: Optional[Tensor] = None) -> List[Tensor]:
        rgb, *aux = self.split_inputs(inputs, modality_mask)
        outs = []
        for stage in range(len(self.widths)):
            rgb = run_mit_stage(self.rgb, stage, rgb)
            if not self.num_aux:
                outs.append(rgb)
                continue
            aux = self.aux_embeds[stage](aux)
            if self.hubs is not None:
                merged, aux = self.hubs[stage](aux)
            else:
                merged = aux[0]
            for block in self.aux_blocks[stage]:
                merged = block(merged)
            merged = self.aux_norms[stage](merged)
            rgb, merged = self.rectify[stage](rgb, merged)
            outs.append(self.fuse[stage](rgb, merged))
            aux = [self._aux_residual(x) + merged for x in aux] if self.hubs is not None \
                else [merged]
        return outs

