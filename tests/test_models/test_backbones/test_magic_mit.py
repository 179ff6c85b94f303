"""MAGIC's backbone: MAM by hand, aggregation of the masked mean, Table 14 size."""
import pytest
import torch
import torch.nn.functional as F
from mmseg.models.decode_heads import SegformerHead

from mmseg_anyseg.models.backbones import MAGICMiT, masked_modality_mean
from mmseg_anyseg.models.backbones.magic_mit import MultiModalAggregation
from tests.helpers import TINY_MIT


def test_size_matches_anyseg_table14():
    """AnySeg paper, Table 14: MAGIC 24.74 M (MiT-B2, 256-wide SegFormer head)."""
    backbone = MAGICMiT(num_modalities=4, embed_dims=64, num_layers=[3, 4, 6, 3],
                        num_heads=[1, 2, 5, 8])
    head = SegformerHead(in_channels=[64, 128, 320, 512], in_index=[0, 1, 2, 3],
                         channels=256, num_classes=25, norm_cfg=dict(type='BN'))
    total = sum(p.numel() for m in (backbone, head) for p in m.parameters()) / 1e6
    assert total == pytest.approx(24.74, rel=0.02)


def test_aggregation_by_hand():
    torch.manual_seed(0)
    mam = MultiModalAggregation(dim=2)
    x = torch.randn(1, 2, 12, 12)
    local = F.conv2d(x, mam.local.weight, mam.local.bias, padding=1, groups=2)
    context = local.clone()
    for size in (3, 7, 11):
        context += F.avg_pool2d(local, size, stride=1, padding=size // 2,
                                count_include_pad=False)
    torch.testing.assert_close(mam(x), x + torch.sigmoid(context) * x)


def test_forward_aggregates_the_mean_of_the_kept_modalities():
    torch.manual_seed(0)
    model = MAGICMiT(num_modalities=3, **TINY_MIT).eval()
    x = torch.randn(2, 3, 3, 64, 64)
    mask = torch.tensor([[True, False, True], [False, True, False]])
    with torch.no_grad():
        expected = model.aggregate(masked_modality_mean(model.forward_modalities(x), mask))
        for ours, ref in zip(model(x, mask), expected):
            torch.testing.assert_close(ours, ref)
        # A dropped modality does not matter; its features are not computed.
        y = x.clone()
        y[0, 1] = 100.0
        for a, b in zip(model(x, mask), model(y, mask)):
            torch.testing.assert_close(a, b)
