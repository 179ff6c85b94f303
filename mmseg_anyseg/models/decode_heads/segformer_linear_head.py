"""SegFormer's All-MLP decoder exactly as in the official release."""
from typing import List, Sequence

import torch
import torch.nn as nn
from mmcv.cnn import ConvModule
from mmseg.models.decode_heads import SegformerHead
from mmseg.models.utils import resize
from mmseg.registry import MODELS
from torch import Tensor


@MODELS.register_module()
class SegformerLinearHead(SegformerHead):
    """The official SegFormer decoder, as the authors' AnySeg code uses it.

    It differs from mmseg's :class:`SegformerHead` in two ways: each stage is
    projected by a plain linear layer (a 1x1 conv with bias, no norm and no
    activation), and the upsampled stages are concatenated from the deepest to
    the shallowest before the fusion conv. Use it to run checkpoints converted
    by ``tools/model_converters/anyseg2mmseg.py``.

    Args:
        **kwargs: Arguments of :class:`mmseg.models.decode_heads.SegformerHead`.
    """

    def __init__(self, **kwargs) -> None:
        super().__init__(**kwargs)
        self.convs = nn.ModuleList(
            ConvModule(width, self.channels, kernel_size=1, norm_cfg=None, act_cfg=None)
            for width in self.in_channels)

    @property
    def fusion_stage_order(self) -> Sequence[int]:
        """Stages in the order they are concatenated for the fusion conv."""
        return tuple(reversed(range(len(self.in_channels))))

    def forward(self, inputs: List[Tensor]) -> Tensor:
        inputs = self._transform_inputs(inputs)
        size = inputs[0].shape[2:]
        outs = [
            resize(conv(x), size=size, mode=self.interpolate_mode,
                   align_corners=self.align_corners) for conv, x in zip(self.convs, inputs)
        ]
        fused = torch.cat([outs[i] for i in self.fusion_stage_order], dim=1)
        return self.cls_seg(self.fusion_conv(fused))
