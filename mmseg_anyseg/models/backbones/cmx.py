"""CMX (Zhang et al., T-ITS 2023) as ported to more than two modalities in DELIVER.

Written from ``huaaaliu/RGBX_Semantic_Segmentation`` (``models/encoders/
dual_segformer.py``, ``models/net_utils.py``) and its multi-modal port in
``jamycheung/DELIVER`` (``semseg/models/backbones/cmx.py``), which the paper's
CMX rows use.
"""
from typing import List, Optional, Sequence

import torch
import torch.nn as nn
from mmseg.models.backbones import MixVisionTransformer
from mmseg.models.utils import nlc_to_nchw
from mmseg.registry import MODELS
from torch import Tensor

from .rectify_fuse import FeatureFusionModule, FeatureRectifyModule
from .rgbx_branches import RGBXBackbone, run_mit_stage


class TokenScore(nn.Module):
    """The DELIVER port's per-modality token scorer (``PredictorLG``).

    LayerNorm, Linear(C, C/4), GELU, Linear(C/4, 1), then a softmax over that
    last axis of size one: the score is 1 for every token and every input.

    Shapes:
        - x: ``[B, N, C]``; output ``[B, N, 1]``.
    """

    def __init__(self, dim: int) -> None:
        super().__init__()
        self.net = nn.Sequential(
            nn.LayerNorm(dim), nn.Linear(dim, dim // 4), nn.GELU(), nn.Linear(dim // 4, 1),
            nn.Softmax(dim=-1))

    def forward(self, x: Tensor) -> Tensor:
        return self.net(x)


@MODELS.register_module()
class CMX(RGBXBackbone):
    """CMX: an RGB MiT and an auxiliary MiT, rectified and fused at every stage.

    With one auxiliary modality this is the original two-branch CMX. With more,
    the DELIVER port embeds each auxiliary modality with the auxiliary branch's
    patch embedding, scores every token of every modality and keeps, per
    token, the modality with the highest score (hard selection), then runs the
    auxiliary blocks on the selection; each modality's next-stage input is its
    own tokens plus the refined selection.

    **It silently uses only the second modality.** The port's scores end in a
    softmax over an axis of size one, so every score is exactly 1; ``argmax``
    over equal scores returns the first, so every token comes from the first
    auxiliary modality (depth on DELIVER, events on MUSES), at every stage.
    The other auxiliary modalities are embedded and then discarded: they never
    reach the output, and the score nets get no gradient. This class
    reproduces that published behaviour (a test checks that the third and
    later modalities do not change the output); read CMX rows on more than
    two modalities as RGB plus the second modality.

    Args:
        num_modalities: M, RGB first.
        rgb_branch: :class:`MixVisionTransformer` arguments, used for both
            branches (the auxiliary branch takes no pretrained weights).
        fusion_heads: Heads of FFM's cross attention at each stage; by
            default the RGB branch's ``num_heads`` (``[1, 2, 5, 8]`` in the original).

    Shapes:
        - inputs: ``[B, M, C, H, W]`` or ``[B, M*C, H, W]``.
        - output: 4 fused stage features ``[B, C_i, H/s_i, W/s_i]``.
    """

    def __init__(self, num_modalities: int, rgb_branch: dict,
                 fusion_heads: Optional[Sequence[int]] = None) -> None:
        super().__init__(num_modalities, rgb_branch)
        self.num_aux = num_modalities - 1
        if not self.num_aux:
            return
        self.aux = MixVisionTransformer(**dict(rgb_branch, init_cfg=None))
        self.scores = nn.ModuleList(
            nn.ModuleList(TokenScore(c) for _ in range(self.num_aux)) for c in self.widths) \
            if self.num_aux > 1 else None
        self.rectify = nn.ModuleList(FeatureRectifyModule(c) for c in self.widths)
        self.fuse = nn.ModuleList(
            FeatureFusionModule(c, num_heads=h)
            for c, h in zip(self.widths, fusion_heads or self.rgb.num_heads))

    def init_weights(self) -> None:
        self.rgb.init_weights()
        if self.num_aux:
            self.aux.init_weights()

    def _select(self, tokens: List[Tensor], stage: int) -> Tensor:
        """Per token, the modality of highest score (the port's ``tokenselect``)."""
        scores = torch.stack([net(x) for net, x in zip(self.scores[stage], tokens)], dim=-1)
        index = scores.argmax(dim=-1, keepdim=True)
        stacked = torch.stack(tokens, dim=-1)
        return stacked.gather(-1, index.expand(*stacked.shape[:-1], 1))[..., 0]

    def forward(self, inputs: Tensor, modality_mask: Optional[Tensor] = None) -> List[Tensor]:
        rgb, *aux = self.split_inputs(inputs, modality_mask)
        outs = []
        for stage in range(len(self.widths)):
            rgb = run_mit_stage(self.rgb, stage, rgb)
            if not self.num_aux:
                outs.append(rgb)
                continue
            embed, blocks, norm = self.aux.layers[stage]
            embedded = [embed(x) for x in aux]
            hw_shape = embedded[0][1]
            tokens = [t for t, _ in embedded]
            selected = self._select(tokens, stage) if self.scores is not None else tokens[0]
            for block in blocks:
                selected = block(selected, hw_shape)
            selected = nlc_to_nchw(norm(selected), hw_shape)
            rgb, selected = self.rectify[stage](rgb, selected)
            outs.append(self.fuse[stage](rgb, selected))
            aux = [nlc_to_nchw(t, hw_shape) + selected for t in tokens] \
                if self.scores is not None else [selected]
        return outs

