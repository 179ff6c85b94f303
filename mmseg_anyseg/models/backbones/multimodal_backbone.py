"""The PML treatment around any multi-scale backbone."""
from typing import List, Optional

import torch.nn as nn
from mmseg.registry import MODELS
from torch import Tensor

from .anymodal_backbone import AnymodalBackbone
from .multimodal_mit import fold_modalities


@MODELS.register_module()
class MultiModalBackbone(AnymodalBackbone, nn.Module):
    """Shared weights over M modalities for any registered backbone.

    The wrapped backbone (mmseg's ResNet, mmpretrain's ConvNeXt, ...) must map
    ``[N, C, H, W]`` images to a tuple of multi-scale features. As in
    :class:`MultiModalMiT`, the present modalities are folded into the batch
    and run in one pass, and each stage's fused feature is the mean over the
    modalities present in each sample.

    Batch normalisation in training mode mixes the samples of a batch, so the
    per-modality features are independent (and fused-equals-mean exact) in
    eval mode, or with backbones normalised per sample (LayerNorm, GroupNorm,
    frozen BN).

    Args:
        backbone: Config of the wrapped backbone, e.g.
            ``dict(type='mmpretrain.ConvNeXt', arch='atto', out_indices=(0, 1, 2, 3))``.
        num_modalities: Number of stacked modalities M.
        init_cfg: Initialisation config of the wrapper; use the wrapped
            backbone's own ``init_cfg`` for pretrained weights.

    Shapes:
        - inputs: ``[B, M, C, H, W]`` or ``[B, M*C, H, W]``.
        - modality_mask: ``[B, M]`` bool; None means every modality present.
    """

    def __init__(self, backbone: dict, num_modalities: int,
                 init_cfg: Optional[dict] = None) -> None:
        super().__init__()
        if num_modalities < 1:
            raise ValueError(f'num_modalities must be >= 1, got {num_modalities}')
        self.backbone = MODELS.build(backbone)
        self.num_modalities = num_modalities

    def init_weights(self) -> None:
        if hasattr(self.backbone, 'init_weights'):
            self.backbone.init_weights()

    def forward_modalities(self, inputs: Tensor,
                           modality_mask: Optional[Tensor] = None) -> List[Tensor]:
        """Per stage, ``[B, M, C_i, h_i, w_i]`` features (zero where masked out)."""
        return fold_modalities(inputs, modality_mask, self.num_modalities, self.backbone)
