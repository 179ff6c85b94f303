"""Connectors: map a student's per-stage features to another model's widths."""
from typing import List, Sequence

import torch.nn as nn
from mmseg.registry import MODELS
from torch import Tensor


@MODELS.register_module()
class StageConnectors(nn.Module):
    """One 1x1 convolution per stage, identity where the widths already agree.

    Applied to per-modality features (``[B, M, C_i, h_i, w_i]`` per stage) with
    the modalities folded into the batch. :class:`AnySegDistiller` fills
    ``in_channels`` and ``out_channels`` with the student's and the teacher's
    stage widths where a connector config leaves them out.

    Args:
        in_channels: Width of each stage of the source.
        out_channels: Width of each stage of the target.
    """

    def __init__(self, in_channels: Sequence[int], out_channels: Sequence[int]) -> None:
        super().__init__()
        if len(in_channels) != len(out_channels):
            raise ValueError(f'StageConnectors: {len(in_channels)} input stages '
                             f'({list(in_channels)}) against {len(out_channels)} output stages '
                             f'({list(out_channels)})')
        self.convs = nn.ModuleList(
            nn.Identity() if s == t else nn.Conv2d(s, t, kernel_size=1)
            for s, t in zip(in_channels, out_channels))

    def forward(self, features: Sequence[Tensor]) -> List[Tensor]:
        """Per stage ``[B, M, C_in, h, w]`` to ``[B, M, C_out, h, w]``."""
        return [c(f.flatten(0, 1)).unflatten(0, f.shape[:2]) for c, f in zip(self.convs, features)]
