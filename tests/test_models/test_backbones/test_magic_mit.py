"""MAGIC's backbone: MAM by hand, the fusion of the kept modalities, what the size can hold."""
import pytest
import torch
import torch.nn.functional as F
from mmseg.models.backbones import MixVisionTransformer
from mmseg.models.decode_heads import SegformerHead

from mmseg_anyseg.models.backbones import MAGICMiT
from mmseg_anyseg.models.backbones.magic_mit import MultiModalAggregation
from tests.helpers import TINY_MIT

MIT_B2 = dict(embed_dims=64, num_layers=[3, 4, 6, 3], num_heads=[1, 2, 5, 8])


def count(*modules) -> float:
    return sum(p.numel() for m in modules for p in m.parameters()) / 1e6


def test_mam_cost_and_what_the_published_size_can_hold():
    """MAGIC abstract 24.73 M, AnySeg Table 14 24.74 M (MiT-B2, 256-wide SegFormer head)."""
    backbone = MAGICMiT(num_modalities=4, **MIT_B2)
    head = SegformerHead(in_channels=[64, 128, 320, 512], in_index=[0, 1, 2, 3],
                         channels=256, num_classes=25, norm_cfg=dict(type='BN'))
    widths = [64, 128, 320, 512]
    assert count(backbone.aggregation) * 1e6 == sum(4 * c * c + 4 * c for c in widths)
    assert count(backbone.aggregation) == pytest.approx(1.54, abs=0.005)
    # Backbone and head alone already make the published figure: it holds no MAM.
    assert count(MixVisionTransformer(**MIT_B2), head) == pytest.approx(24.73, abs=0.01)
    assert count(backbone, head) == pytest.approx(26.27, abs=0.01)


def test_aggregation_by_hand():
    torch.manual_seed(0)
    mam = MultiModalAggregation(dim=2)
    features = torch.randn(1, 3, 2, 12, 12)
    weights = torch.tensor([[0.5, 0.0, 0.5]])

    def conv(layer, x):
        return F.conv2d(x, layer.weight, layer.bias)

    gated = []
    for m in range(3):
        x = features[:, m]
        local = conv(mam.conv, x)
        context = local.clone()
        for size in (3, 7, 11):
            context += F.avg_pool2d(local, size, stride=1, padding=size // 2,
                                    count_include_pad=False)
        gated.append(x * torch.sigmoid(conv(mam.gate, context)))
    gated_mean = 0.5 * (gated[0] + gated[2])
    original_mean = 0.5 * (features[:, 0] + features[:, 2])
    expected = conv(mam.mlp_gated, gated_mean) + conv(mam.mlp_original, original_mean)
    torch.testing.assert_close(mam(features, weights), expected)


def test_forward_fuses_the_kept_modalities_only():
    torch.manual_seed(0)
    model = MAGICMiT(num_modalities=3, **TINY_MIT).eval()
    x = torch.randn(2, 3, 3, 64, 64)
    mask = torch.tensor([[True, False, True], [False, True, False]])
    weights = torch.tensor([[0.5, 0.0, 0.5], [0.0, 1.0, 0.0]])
    with torch.no_grad():
        expected = model.fuse_weighted(model.forward_modalities(x), weights)
        for ours, ref in zip(model(x, mask), expected):
            torch.testing.assert_close(ours, ref)
        # A dropped modality does not matter; its features are not computed.
        y = x.clone()
        y[0, 1] = 100.0
        for a, b in zip(model(x, mask), model(y, mask)):
            torch.testing.assert_close(a, b)
