import pytest
import torch
from mmengine.config import Config
from mmseg.models.backbones import MixVisionTransformer
from mmseg.registry import MODELS

from mmseg_anyseg.models import MultiModalMiT
from tests.conftest import REPO_ROOT
from tests.helpers import TINY_MIT


def pair(num_modalities: int):
    torch.manual_seed(0)
    stock = MixVisionTransformer(**TINY_MIT).eval()
    multi = MultiModalMiT(num_modalities=num_modalities, **TINY_MIT).eval()
    multi.load_state_dict(stock.state_dict())
    return stock, multi


def test_single_modality_equals_stock_mit():
    stock, multi = pair(1)
    x = torch.randn(2, 3, 64, 48)
    with torch.no_grad():
        expected = stock(x)
        fused = multi(x[:, None])
    for a, b in zip(expected, fused, strict=True):
        torch.testing.assert_close(b, a, atol=1e-5, rtol=0)


def test_fused_is_mean_of_separate_modality_passes():
    stock, multi = pair(3)
    x = torch.randn(2, 3, 3, 32, 32)
    with torch.no_grad():
        separate = [stock(x[:, m]) for m in range(3)]
        fused = multi(x)
        flat = multi(x.flatten(1, 2))
        per_modality = multi.forward_modalities(x)
    for stage, out in enumerate(fused):
        mean = torch.stack([s[stage] for s in separate]).mean(0)
        torch.testing.assert_close(out, mean, atol=1e-5, rtol=0)
        torch.testing.assert_close(flat[stage], out)
        torch.testing.assert_close(per_modality[stage][:, 1], separate[1][stage], atol=1e-5,
                                   rtol=0)


def test_checkpointed_stages_give_the_same_gradients():
    """``with_cp=True`` (mmseg's gradient checkpointing) recomputes, it does not change."""
    torch.manual_seed(0)
    plain = MultiModalMiT(num_modalities=2, **TINY_MIT).train()
    checkpointed = MultiModalMiT(num_modalities=2, with_cp=True, **TINY_MIT).train()
    checkpointed.load_state_dict(plain.state_dict())
    x = torch.randn(2, 2, 3, 32, 32)
    mask = torch.tensor([[True, False], [True, True]])
    grads, calls = [], []
    for model in (plain, checkpointed):
        count = []
        attention = model.layers[0][1][0].attn  # stage 1, first encoder layer
        handle = attention.register_forward_hook(lambda *_: count.append(1))
        model.zero_grad()
        sum(f.square().mean() for f in model(x, mask)).backward()
        handle.remove()
        grads.append({n: p.grad.clone() for n, p in model.named_parameters()
                      if p.grad is not None})
        calls.append(len(count))
    assert calls == [1, 2]  # checkpointed: the layer runs again in the backward pass
    assert grads[0].keys() == grads[1].keys() and len(grads[0]) > 10
    for name in grads[0]:
        torch.testing.assert_close(grads[1][name], grads[0][name], atol=1e-6, rtol=1e-5)


def test_masked_modalities_change_nothing():
    stock, multi = pair(4)
    x = torch.randn(2, 4, 3, 32, 32)
    mask = torch.tensor([[True, False, True, False], [False, False, False, True]])
    with torch.no_grad():
        out = multi(x, mask)
        noisy = x.clone()
        noisy[~mask] = torch.randn_like(noisy[~mask]) * 100
        out_noisy = multi(noisy, mask)
        sample0 = [(a + b) / 2 for a, b in zip(stock(x[:1, 0]), stock(x[:1, 2]))]
        sample1 = stock(x[1:, 3])
        per_modality = multi.forward_modalities(x, mask)
    for stage in range(4):
        torch.testing.assert_close(out[stage], out_noisy[stage])
        torch.testing.assert_close(out[stage][:1], sample0[stage], atol=1e-5, rtol=0)
        torch.testing.assert_close(out[stage][1:], sample1[stage], atol=1e-5, rtol=0)
        assert per_modality[stage][~mask].abs().sum() == 0


def test_sample_without_modality_is_an_error():
    _, multi = pair(2)
    mask = torch.tensor([[True, False], [False, False]])
    with pytest.raises(ValueError, match=r'samples \[1\]'):
        multi(torch.randn(2, 2, 3, 32, 32), mask)
    with pytest.raises(ValueError, match='num_modalities=2'):
        multi(torch.randn(2, 3, 3, 32, 32))


def test_b0_student_parameter_count_matches_paper_table_14():
    cfg = Config.fromfile(f'{REPO_ROOT}/configs/pml/pml_segb0_deliver.py')
    cfg.model.backbone.init_cfg = None
    cfg.model.decode_head.norm_cfg = dict(type='BN', requires_grad=True)
    model = MODELS.build(cfg.model)
    params = sum(p.numel() for p in model.parameters())
    print(f'AnySeg B0 student (MiT-B0 + SegFormer head, embedding 256): {params / 1e6:.2f} M')
    assert round(params / 1e6, 2) == 3.72
