"""MAGIC's backbone (Zheng et al., ECCV 2024): shared MiT plus multi-modal aggregation.

MAGIC has no public code. This module is written from the paper
("Centering the Value of Every Modality: Towards Efficient and Resilient
Modality-agnostic Semantic Segmentation", arXiv 2407.11344) as far as its
public text reached this project, which was the abstract and the AnySeg
paper's description: "a multi-modal aggregation module to efficiently process
features from multi-modal batches and extract complementary scene
information", with the modalities folded into the batch of one shared
backbone. Every other detail is a decision of this project, listed here:

1. Backbone: mmseg's MiT with shared weights over the modalities folded into
   the batch (:class:`MultiModalMiT`), as in the PML teacher, which the
   AnySeg paper says it builds on MAGIC's insight (Sec. 3.1).
2. Multi-modal aggregation module (MAM), one per stage, acting on the mean
   of the present modalities' features ``a``: a depth-wise 3x3 conv ``d``,
   a multi-scale context ``c = d + avg3(d) + avg7(d) + avg11(d)`` (stride-1
   average pools, parameter-free) and a gated residual
   ``a + sigmoid(c) * a``. Acting on the mean keeps MAM defined for any
   number of modalities and makes it a function of the modality set, so a
   missing modality can be dropped or fed as a zero image alike.
3. Size: MAM adds ``10 C_i`` parameters per stage (about 0.01 M at MiT-B2),
   so that MiT-B2, a 256-wide SegFormer head and MAM come to the 24.74 M
   that the AnySeg paper's Table 14 lists for MAGIC (the test checks
   within 2 %).
4. The training-only arbitrary-modal selection module is in
   :class:`MAGICEncoderDecoder`.
"""
from typing import List, Sequence

import torch
import torch.nn as nn
from mmseg.registry import MODELS
from torch import Tensor

from .multimodal_mit import MultiModalMiT


class MultiModalAggregation(nn.Module):
    """MAM of one stage (decision 2 of the module docstring).

    Args:
        dim: Channels C of the stage.
        pool_sizes: Kernel sizes of the stride-1 average pools.

    Shapes:
        - x: ``[B, C, h, w]``, the mean of the present modalities' features;
          output of the same shape.
    """

    def __init__(self, dim: int, pool_sizes: Sequence[int] = (3, 7, 11)) -> None:
        super().__init__()
        self.local = nn.Conv2d(dim, dim, 3, padding=1, groups=dim)
        self.pools = nn.ModuleList(
            nn.AvgPool2d(size, stride=1, padding=size // 2, count_include_pad=False)
            for size in pool_sizes)

    def forward(self, x: Tensor) -> Tensor:
        local = self.local(x)
        context = local + sum(pool(local) for pool in self.pools)
        return x + torch.sigmoid(context) * x


@MODELS.register_module()
class MAGICMiT(MultiModalMiT):
    """Shared-weight MiT over the modalities, aggregated per stage by MAM.

    Arguments are those of :class:`MultiModalMiT`. :meth:`forward_modalities`
    gives the per-modality features (before aggregation) and
    :meth:`aggregate` maps fused means to the features the head decodes, so
    :class:`AnymodalEncoderDecoder` evaluates every subset from one pass per
    modality.

    Shapes:
        - inputs: ``[B, M, C, H, W]`` or ``[B, M*C, H, W]``.
        - modality_mask: ``[B, M]`` bool; None means every modality present.
        - output: 4 aggregated stage features ``[B, C_i, H/s_i, W/s_i]``.
    """

    def __init__(self, num_modalities: int, **kwargs) -> None:
        super().__init__(num_modalities, **kwargs)
        widths = [self.embed_dims * heads for heads in self.num_heads]
        self.aggregation = nn.ModuleList(MultiModalAggregation(c) for c in widths)

    fuses_by_mean = False

    def aggregate(self, fused: Sequence[Tensor]) -> List[Tensor]:
        """MAM on per-stage ``[B, C_i, h_i, w_i]`` modality means."""
        return [mam(x) for mam, x in zip(self.aggregation, fused)]
