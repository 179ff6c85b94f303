"""CMNeXt and CMX: published sizes, stock-MiT equivalence, which modalities reach the output."""
import pytest
import torch
import torch.nn.functional as F
from mmseg.models.backbones import MixVisionTransformer
from mmseg.registry import MODELS

from mmseg_anyseg.models.backbones.rectify_fuse import CrossAttention, FeatureRectifyModule
from mmseg_anyseg.models.decode_heads import SegformerLinearHead
from tests.helpers import TINY_MIT

MIT_B2 = dict(embed_dims=64, num_layers=[3, 4, 6, 3], num_heads=[1, 2, 5, 8])
MIT_B0 = dict(embed_dims=32, num_layers=[2, 2, 2, 2], num_heads=[1, 2, 5, 8])


def count(*modules) -> float:
    return sum(p.numel() for m in modules for p in m.parameters()) / 1e6


def head(widths, channels: int, num_classes: int = 25) -> SegformerLinearHead:
    return SegformerLinearHead(in_channels=widths, in_index=[0, 1, 2, 3], channels=channels,
                               num_classes=num_classes)


@pytest.mark.parametrize('num_modalities,published', [(1, 25.79), (2, 58.69), (3, 58.72),
                                                      (4, 58.73)])
def test_cmnext_b2_size_matches_the_deliver_readme(num_modalities, published):
    """jamycheung/DELIVER README, DELIVER table: CMNeXt-RGB ... RGB-D-E-L, #Params(M)."""
    backbone = MODELS.build(dict(type='CMNeXt', num_modalities=num_modalities,
                                 rgb_branch=MIT_B2))
    total = count(backbone, head([64, 128, 320, 512], 512))
    assert total == pytest.approx(published, abs=0.02)


def test_cmnext_b0_size_matches_anyseg_table14():
    """AnySeg paper, Table 14: CMNeXt 10.30 M (SegFormer-B0 setting, RGB-D-E-L)."""
    backbone = MODELS.build(dict(type='CMNeXt', num_modalities=4, rgb_branch=MIT_B0))
    assert count(backbone, head([32, 64, 160, 256], 256)) == pytest.approx(10.30, rel=0.002)


def test_cmx_size_is_two_stock_mits_plus_the_fusion_modules():
    """With one auxiliary modality CMX is two MiTs, FRM and FFM (no token scorers)."""
    cmx = MODELS.build(dict(type='CMX', num_modalities=2, rgb_branch=MIT_B2))
    cmnext = MODELS.build(dict(type='CMNeXt', num_modalities=2, rgb_branch=MIT_B2))
    stock = MixVisionTransformer(**MIT_B2)
    assert count(cmx) == pytest.approx(2 * count(stock) + count(cmnext.rectify, cmnext.fuse))
    four = MODELS.build(dict(type='CMX', num_modalities=4, rgb_branch=MIT_B2))
    assert count(four) > count(cmx)  # the per-modality token scorers


def tiny(kind: str, num_modalities: int, **kwargs):
    torch.manual_seed(0)
    model = MODELS.build(dict(type=kind, num_modalities=num_modalities, rgb_branch=TINY_MIT,
                              **kwargs))
    model.init_weights()
    return model.eval()


@pytest.mark.parametrize('kind', ['CMNeXt', 'CMX'])
@pytest.mark.parametrize('num_modalities', [1, 2, 4])
def test_shapes(kind, num_modalities):
    model = tiny(kind, num_modalities)
    outs = model(torch.randn(2, num_modalities * 3, 64, 64))
    widths = [TINY_MIT['embed_dims'] * h for h in TINY_MIT['num_heads']]
    assert [tuple(o.shape) for o in outs] == [(2, c, 64 // s, 64 // s)
                                              for c, s in zip(widths, (4, 8, 16, 32))]
    five_d = model(torch.randn(2, num_modalities, 3, 64, 64))
    assert len(five_d) == 4


@pytest.mark.parametrize('kind', ['CMNeXt', 'CMX'])
def test_rgb_only_is_the_stock_mmseg_mit(kind):
    model = tiny(kind, 1)
    stock = MixVisionTransformer(**TINY_MIT).eval()
    stock.load_state_dict(model.rgb.state_dict())
    x = torch.randn(1, 3, 64, 64)
    for ours, ref in zip(model(x), stock(x)):
        torch.testing.assert_close(ours, ref)


def changed_outputs(model, num_modalities: int):
    """For each modality, whether replacing it changes the backbone's output."""
    x = torch.randn(1, num_modalities, 3, 64, 64)
    with torch.no_grad():
        base = model(x)
        changed = []
        for m in range(num_modalities):
            other = x.clone()
            other[:, m] = torch.randn_like(other[:, m])
            changed.append(any(not torch.allclose(a, b) for a, b in zip(base, model(other))))
    return changed


def test_every_modality_reaches_cmnext_output():
    assert changed_outputs(tiny('CMNeXt', 4), 4) == [True, True, True, True]


def test_cmx_port_uses_only_the_second_modality():
    """DELIVER's cmx.py scores tokens with a softmax over one value: argmax always picks
    the first auxiliary modality, so the third and fourth never reach the output."""
    model = tiny('CMX', 4)
    assert changed_outputs(model, 4) == [True, True, False, False]
    model.train()
    sum(o.sum() for o in model(torch.randn(2, 12, 64, 64))).backward()
    for param in model.scores.parameters():
        assert param.grad is None or not param.grad.any()


def test_fixed_branches_refuse_to_drop_a_modality():
    model = tiny('CMNeXt', 3)
    with pytest.raises(ValueError, match="missing='zero'"):
        model(torch.randn(1, 9, 64, 64), torch.tensor([[True, False, True]]))
    with pytest.raises(ValueError, match='aux_residual_layout'):
        tiny('CMNeXt', 3, aux_residual_layout='nhwc')


def test_published_residual_layout_differs_from_nchw_on_the_same_weights():
    published = tiny('CMNeXt', 3)
    nchw = tiny('CMNeXt', 3, aux_residual_layout='nchw')
    nchw.load_state_dict(published.state_dict())
    x = torch.randn(1, 9, 64, 64)
    with torch.no_grad():
        first, *later = zip(published(x), nchw(x))
    torch.testing.assert_close(*first)  # the residual only enters from stage 2 on
    assert not torch.allclose(*later[0])


def test_feature_rectify_module_by_hand():
    torch.manual_seed(0)
    frm = FeatureRectifyModule(dim=4)
    x1, x2 = torch.randn(2, 4, 3, 3), torch.randn(2, 4, 3, 3)
    cat = torch.cat([x1, x2], dim=1)
    pooled = torch.cat([cat.mean(dim=(2, 3)), cat.flatten(2).max(dim=2).values], dim=1)
    channel = frm.channel_weights.mlp(pooled).view(2, 2, 4, 1, 1)
    spatial = frm.spatial_weights.mlp(cat)
    out1, out2 = frm(x1, x2)
    torch.testing.assert_close(
        out1, x1 + 0.5 * channel[:, 1] * x2 + 0.5 * spatial[:, 1:2] * x2)
    torch.testing.assert_close(
        out2, x2 + 0.5 * channel[:, 0] * x1 + 0.5 * spatial[:, 0:1] * x1)


def test_cross_attention_by_hand():
    torch.manual_seed(0)
    attn = CrossAttention(dim=4, num_heads=2)
    x1, x2 = torch.randn(1, 5, 4), torch.randn(1, 5, 4)
    out1, _ = attn(x1, x2)
    k2, v2 = attn.kv2(x2).chunk(2, dim=-1)
    expected = []
    for h in range(2):
        cols = slice(2 * h, 2 * h + 2)
        context = F.softmax(k2[0, :, cols].T @ v2[0, :, cols] * 2**-0.5, dim=0)
        expected.append(x1[0, :, cols] @ context)
    torch.testing.assert_close(out1[0], torch.cat(expected, dim=1))
