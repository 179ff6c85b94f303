"""MAGIC's backbone (Zheng et al., ECCV 2024): shared MiT plus the multi-modal aggregation module.

MAGIC ("Centering the Value of Every Modality: Towards Efficient and Resilient
Modality-agnostic Semantic Segmentation", arXiv 2407.11344) has no public code.
Sources, by how much they say:

- [A] the MAGIC abstract: a multi-modal aggregation module (MAM) that
  "efficiently process[es] features from multi-modal batches and extract[s]
  complementary scene information"; 24.73 M parameters for MAGIC-B2;
- [S] a public summary of the paper with its equations (a secondary source,
  in Korean): the MAM's layers as listed below;
- [T] the AnySeg paper: MAGIC's rows in Tables 1 and 2, 24.74 M in Table 14.

What [S] says of the MAM, followed here: the features of each modality go
through a conv and parallel pooling layers (3x3, 7x7, 11x11); the pooled
features are aggregated and pass a conv with a sigmoid; parallel MLP layers
then aggregate these multi-modal features with the original features into the
semantic feature ``f_se``, which the segmentation head decodes. Decisions of
this project where [S] is silent:

1. Encoder: mmseg's MiT with weights shared over the modalities folded into
   the batch (:class:`MultiModalMiT`; "weight-sharing encoders" in [S]).
2. One MAM per backbone stage, so that the SegFormer head gets four
   aggregated scales.
3. The conv is a 1x1 conv ``C -> C``; the pools are stride-1 average pools;
   their aggregation is the sum ``d + avg3(d) + avg7(d) + avg11(d)``; the
   gate conv is a 1x1 conv ``C -> C`` with a sigmoid, and it multiplies the
   modality's own feature: ``g_m = x_m * sigmoid(conv_g(agg(conv(x_m))))``.
   All of this acts on each modality alone, with weights shared over them.
4. The parallel MLPs are two 1x1 convs ``C -> C`` (linear layers on each
   pixel, as SegFormer calls its head's projections MLPs), one on the mean of
   the gated features and one on the mean of the original features of the
   present modalities, summed: ``f_se = mlp_g(mean_m g_m) + mlp_x(mean_m x_m)``.
   The means make MAM defined for any number of modalities, so a missing
   modality can be dropped or fed as a zero image alike.
5. Size: this MAM costs ``4 C^2 + 4 C`` parameters per stage, 1.54 M at
   MiT-B2 (0.39 M at B0). MiT-B2 with a 256-wide SegFormer head alone counts
   24.73 M, the figure of [A] and [T], so the published count can hold no
   MAM of the form [S] describes (nor the ASM's second MAM, see
   :class:`MAGICEncoderDecoder`): it reads as backbone plus head. The modules
   are not resized to meet it.

The training-only arbitrary-modal selection module (ASM) is in
:class:`MAGICEncoderDecoder`.
"""
from typing import List, Sequence

import torch
import torch.nn as nn
from mmseg.registry import MODELS
from torch import Tensor

from .anymodal_backbone import weighted_modality_sum
from .multimodal_mit import MultiModalMiT


class MultiModalAggregation(nn.Module):
    """MAM of one stage (decisions 3 and 4 of the module docstring).

    Args:
        dim: Channels C of the stage.
        pool_sizes: Kernel sizes of the stride-1 average pools.

    Shapes:
        - features: ``[B, N, C, h, w]`` per-modality features.
        - weights: ``[B, N]``, each sample's averaging weights over them.
        - output: ``[B, C, h, w]``, the semantic feature ``f_se``.
    """

    def __init__(self, dim: int, pool_sizes: Sequence[int] = (3, 7, 11)) -> None:
        super().__init__()
        self.conv = nn.Conv2d(dim, dim, 1)
        self.pools = nn.ModuleList(
            nn.AvgPool2d(size, stride=1, padding=size // 2, count_include_pad=False)
            for size in pool_sizes)
        self.gate = nn.Conv2d(dim, dim, 1)
        self.mlp_gated = nn.Conv2d(dim, dim, 1)
        self.mlp_original = nn.Conv2d(dim, dim, 1)

    def gated(self, x: Tensor) -> Tensor:
        """``g = x * sigmoid(gate(d + sum_k pool_k(d)))`` with ``d = conv(x)``; ``[N, C, h, w]``."""
        local = self.conv(x)
        context = local + sum(pool(local) for pool in self.pools)
        return x * torch.sigmoid(self.gate(context))

    def forward(self, features: Tensor, weights: Tensor) -> Tensor:
        batch, num = features.shape[:2]
        gated = self.gated(features.flatten(0, 1)).unflatten(0, (batch, num))
        gated_mean, original_mean = weighted_modality_sum([gated, features], weights)
        return self.mlp_gated(gated_mean) + self.mlp_original(original_mean)


def build_aggregation(widths: Sequence[int]) -> nn.ModuleList:
    """One :class:`MultiModalAggregation` per stage width."""
    return nn.ModuleList(MultiModalAggregation(c) for c in widths)


def aggregate_stages(aggregation: nn.ModuleList, features: Sequence[Tensor],
                     weights: Tensor) -> List[Tensor]:
    """Per stage, ``f_se`` of ``[B, N, C_i, h_i, w_i]`` features under ``[B, N]`` weights."""
    return [mam(feat, weights) for mam, feat in zip(aggregation, features)]


@MODELS.register_module()
class MAGICMiT(MultiModalMiT):
    """Shared-weight MiT over the modalities, aggregated per stage by MAM.

    Arguments are those of :class:`MultiModalMiT`. :meth:`forward_modalities`
    gives the per-modality features (before aggregation), and the fusion of
    any weighting of them is MAM's (:meth:`fuse_weighted`), so
    :class:`AnymodalEncoderDecoder` evaluates every subset from one pass per
    modality.

    Shapes:
        - inputs: ``[B, M, C, H, W]`` or ``[B, M*C, H, W]``.
        - modality_mask: ``[B, M]`` bool; None means every modality present.
        - output: 4 aggregated stage features ``[B, C_i, H/s_i, W/s_i]``.
    """

    fuses_by_mean = False

    def __init__(self, num_modalities: int, **kwargs) -> None:
        super().__init__(num_modalities, **kwargs)
        self.widths = [self.embed_dims * heads for heads in self.num_heads]
        self.aggregation = build_aggregation(self.widths)

    def fuse_weighted(self, features: Sequence[Tensor], weights: Tensor) -> List[Tensor]:
        """MAM's ``f_se`` per stage (module docstring, decisions 3 and 4)."""
        return aggregate_stages(self.aggregation, features, weights)
