"""Shared parts of the RGB-X backbones (CMNeXt, CMX): an RGB MiT run stage by stage."""
from typing import List, Optional

import torch.nn as nn
from mmseg.models.backbones import MixVisionTransformer
from mmseg.models.utils import nlc_to_nchw
from torch import Tensor

from .anymodal_backbone import AnymodalBackbone, check_modality_mask, split_modalities


def mit_stage_widths(mit: MixVisionTransformer) -> List[int]:
    """Channels of each stage of an mmseg MiT (``embed_dims * num_heads[i]``)."""
    return [layer[0].projection.out_channels for layer in mit.layers]


def run_mit_stage(mit: MixVisionTransformer, index: int, x: Tensor) -> Tensor:
    """One stage of mmseg's MiT (patch embedding, blocks, norm), ``NCHW`` in and out."""
    embed, blocks, norm = mit.layers[index]
    x, hw_shape = embed(x)
    for block in blocks:
        x = block(x, hw_shape)
    return nlc_to_nchw(norm(x), hw_shape)


class RGBXBackbone(AnymodalBackbone, nn.Module):
    """Base of backbones with a fixed RGB branch and an auxiliary branch.

    The first modality of the data (``rgb`` on DELIVER, ``frame`` on MUSES)
    goes through an mmseg :class:`MixVisionTransformer`; the others through
    the subclass' auxiliary branch. Such a backbone cannot leave a modality
    out: :class:`AnymodalEncoderDecoder` zero-fills a missing one
    (``can_drop_modalities = False``).

    Args:
        num_modalities: Number of stacked modalities M (the first is RGB).
        rgb_branch: Arguments of :class:`MixVisionTransformer` for the RGB
            branch (``embed_dims``, ``num_layers``, ``num_heads``, ...,
            ``init_cfg`` for ImageNet weights).
    """

    can_drop_modalities = False
    has_modality_features = False

    def __init__(self, num_modalities: int, rgb_branch: dict) -> None:
        super().__init__()
        if num_modalities < 1:
            raise ValueError(f'num_modalities must be >= 1, got {num_modalities}')
        self.num_modalities = num_modalities
        self.rgb = MixVisionTransformer(**rgb_branch)
        self.widths = mit_stage_widths(self.rgb)

    def split_inputs(self, inputs: Tensor, modality_mask: Optional[Tensor]) -> List[Tensor]:
        """The per-modality ``[B, C, H, W]`` images, refusing a mask that drops any."""
        split = split_modalities(inputs, self.num_modalities)
        if modality_mask is not None:
            mask = check_modality_mask(modality_mask.to(split.device), *split.shape[:2])
            if not bool(mask.all()):
                raise ValueError(
                    f'{type(self).__name__} has a fixed branch per modality and cannot leave '
                    'one out; feed a missing modality as a zero image (test_cfg.missing='
                    "'zero', which AnymodalEncoderDecoder applies before the backbone)")
        return list(split.unbind(dim=1))
