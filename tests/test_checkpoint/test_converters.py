"""Converters from the official SegFormer / AnySeg key layouts."""
import subprocess
import sys

import pytest
import torch
import torch.nn.functional as F
from mmseg.models.backbones import MixVisionTransformer
from mmseg.registry import MODELS

from mmseg_anyseg.checkpoint.converters import convert_official_mit
from tests.conftest import REPO_ROOT
from tests.helpers import TINY_MIT, anymodal_model


def as_linear(tensor: torch.Tensor) -> torch.Tensor:
    """A 1x1 conv weight ``[out, in, 1, 1]`` as a linear weight ``[out, in]``."""
    return tensor.flatten(1) if tensor.dim() == 4 else tensor


def official_mit_state(mit: MixVisionTransformer) -> dict:
    """The same weights under the official SegFormer key names."""
    state, out = mit.state_dict(), {}
    for i in range(4):
        s = f'layers.{i}'
        out[f'patch_embed{i + 1}.proj.weight'] = state[f'{s}.0.projection.weight']
        out[f'patch_embed{i + 1}.proj.bias'] = state[f'{s}.0.projection.bias']
        out[f'patch_embed{i + 1}.norm.weight'] = state[f'{s}.0.norm.weight']
        out[f'patch_embed{i + 1}.norm.bias'] = state[f'{s}.0.norm.bias']
        for j in range(len(mit.layers[i][1])):
            b, o = f'{s}.1.{j}', f'block{i + 1}.{j}'
            dim = state[f'{b}.norm1.weight'].numel()
            for p in ('weight', 'bias'):
                out[f'{o}.norm1.{p}'] = state[f'{b}.norm1.{p}']
                out[f'{o}.norm2.{p}'] = state[f'{b}.norm2.{p}']
                out[f'{o}.attn.q.{p}'] = state[f'{b}.attn.attn.in_proj_{p}'][:dim]
                out[f'{o}.attn.kv.{p}'] = state[f'{b}.attn.attn.in_proj_{p}'][dim:]
                out[f'{o}.attn.proj.{p}'] = state[f'{b}.attn.attn.out_proj.{p}']
                out[f'{o}.mlp.fc1.{p}'] = as_linear(state[f'{b}.ffn.layers.0.{p}'])
                out[f'{o}.mlp.dwconv.dwconv.{p}'] = state[f'{b}.ffn.layers.1.{p}']
                out[f'{o}.mlp.fc2.{p}'] = as_linear(state[f'{b}.ffn.layers.4.{p}'])
                if f'{b}.attn.sr.{p}' in state:
                    out[f'{o}.attn.sr.{p}'] = state[f'{b}.attn.sr.{p}']
                    out[f'{o}.attn.norm.{p}'] = state[f'{b}.attn.norm.{p}']
        out[f'norm{i + 1}.weight'] = state[f'{s}.2.weight']
        out[f'norm{i + 1}.bias'] = state[f'{s}.2.bias']
    out['head.weight'] = torch.zeros(1000, 16)
    return out


def official_attention(official: dict, prefix: str, x: torch.Tensor, hw, heads: int, sr: int):
    """SegFormer's efficient self-attention, written from the paper's formulas."""
    b, n, c = x.shape
    q = F.linear(x, official[f'{prefix}.q.weight'], official[f'{prefix}.q.bias'])
    q = q.reshape(b, n, heads, c // heads).transpose(1, 2)
    kv_in = x
    if sr > 1:
        grid = x.transpose(1, 2).reshape(b, c, *hw)
        grid = F.conv2d(grid, official[f'{prefix}.sr.weight'], official[f'{prefix}.sr.bias'],
                        stride=sr)
        kv_in = F.layer_norm(grid.flatten(2).transpose(1, 2), (c, ),
                             official[f'{prefix}.norm.weight'], official[f'{prefix}.norm.bias'])
    kv = F.linear(kv_in, official[f'{prefix}.kv.weight'], official[f'{prefix}.kv.bias'])
    k, v = kv.reshape(b, -1, 2, heads, c // heads).permute(2, 0, 3, 1, 4)
    attn = (q @ k.transpose(-2, -1) * (c // heads)**-0.5).softmax(-1)
    out = (attn @ v).transpose(1, 2).reshape(b, n, c)
    return F.linear(out, official[f'{prefix}.proj.weight'], official[f'{prefix}.proj.bias'])


def test_official_mit_converts_and_matches_reference_attention():
    torch.manual_seed(0)
    cfg = dict(TINY_MIT, num_heads=[1, 2, 2, 2])
    mit = MixVisionTransformer(**cfg).eval()
    official = official_mit_state(mit)
    converted, unmapped = convert_official_mit(official)
    assert unmapped == []
    fresh = MixVisionTransformer(**cfg).eval()
    fresh.load_state_dict(converted, strict=True)
    for key, value in mit.state_dict().items():
        torch.testing.assert_close(fresh.state_dict()[key], value)
    x = torch.randn(2, 64, 16)  # stage 2 tokens (8x8, 16 channels, 2 heads, sr 4)
    with torch.no_grad():
        ours = fresh.layers[1][1][0].attn(x, (8, 8), identity=torch.zeros_like(x))
        ref = official_attention(official, 'block2.0.attn', x, (8, 8), heads=2, sr=4)
    torch.testing.assert_close(ours, ref, atol=1e-5, rtol=1e-4)


@pytest.mark.slow
def test_anyseg_checkpoint_converts_to_linear_head_model(tmp_path):
    torch.manual_seed(0)
    cfg = anymodal_model(size=(32, 32))
    cfg['decode_head'] = dict(cfg['decode_head'], type='SegformerLinearHead')
    reference = MODELS.build(cfg).eval()
    for module in reference.modules():
        if isinstance(module, torch.nn.BatchNorm2d):
            module.running_mean.uniform_(-1, 1)
            module.running_var.uniform_(0.5, 2)
    head = reference.decode_head
    original = {f'encoder.{k}': v for k, v in official_mit_state(reference.backbone).items()}
    for i, conv in enumerate(head.convs):
        original[f'decoder.linear_c{i + 1}.proj.weight'] = conv.conv.weight.flatten(1)
        original[f'decoder.linear_c{i + 1}.proj.bias'] = conv.conv.bias
    original['decoder.linear_fuse.conv.weight'] = head.fusion_conv.conv.weight
    for name, value in head.fusion_conv.bn.state_dict().items():
        original[f'decoder.linear_fuse.bn.{name}'] = value
    original['decoder.linear_pred.weight'] = head.conv_seg.weight
    original['decoder.linear_pred.bias'] = head.conv_seg.bias
    original['decoder.extra_unused'] = torch.zeros(1)
    original = {f'module.{k}': v for k, v in original.items()}

    src, dst = tmp_path / 'anyseg.pth', tmp_path / 'mmseg.pth'
    torch.save(dict(state_dict=original), src)
    result = subprocess.run([sys.executable, 'tools/model_converters/anyseg2mmseg.py', str(src),
                             str(dst)], cwd=REPO_ROOT, capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    assert 'decoder.extra_unused' in result.stdout
    converted = torch.load(dst)['state_dict']
    model = MODELS.build(cfg).eval()
    model.load_state_dict(converted, strict=True)

    # Reference: the official head on the backbone features, from the original weights.
    x = torch.randn(1, 4, 3, 32, 32)
    with torch.no_grad():
        feats = model.backbone(x)
        size = feats[0].shape[-2:]
        outs = []
        for i, f in enumerate(feats):
            w = original[f'module.decoder.linear_c{i + 1}.proj.weight']
            bias = original[f'module.decoder.linear_c{i + 1}.proj.bias']
            tokens = F.linear(f.flatten(2).transpose(1, 2), w, bias)
            proj = tokens.transpose(1, 2).reshape(1, -1, *f.shape[-2:])
            outs.append(F.interpolate(proj, size=size, mode='bilinear', align_corners=False))
        fused = F.conv2d(torch.cat(outs[::-1], dim=1),
                         original['module.decoder.linear_fuse.conv.weight'])
        bn = {k: original[f'module.decoder.linear_fuse.bn.{k}']
              for k in ('running_mean', 'running_var', 'weight', 'bias')}
        fused = F.relu(F.batch_norm(fused, bn['running_mean'], bn['running_var'], bn['weight'],
                                    bn['bias'], eps=1e-5))
        expected = F.conv2d(fused, original['module.decoder.linear_pred.weight'],
                            original['module.decoder.linear_pred.bias'])
        got = model.decode_head.forward(feats)
    torch.testing.assert_close(got, expected, atol=1e-5, rtol=1e-4)


@pytest.mark.slow
def test_converted_imagenet_weights_load_through_init_cfg(tmp_path):
    torch.manual_seed(0)
    mit = MixVisionTransformer(**TINY_MIT)
    src, dst = tmp_path / 'mit_official.pth', tmp_path / 'mit_mmseg.pth'
    torch.save(official_mit_state(mit), src)
    subprocess.run([sys.executable, 'tools/model_converters/mit2anyseg.py', str(src), str(dst)],
                   cwd=REPO_ROOT, check=True, capture_output=True)
    backbone = MODELS.build(dict(TINY_MIT, type='MultiModalMiT', num_modalities=2,
                                 init_cfg=dict(type='Pretrained', checkpoint=str(dst))))
    backbone.init_weights()
    for key, value in mit.state_dict().items():
        torch.testing.assert_close(backbone.state_dict()[key], value)


# Our CMNeXt keys -> the module names of jamycheung/DELIVER's semseg/models/backbones/cmnext.py
# (extra_block{i} and extra_norm{i} count stages from 1).
DELIVER_CMNEXT_NAMES = [
    (r'aux_embeds\.(\d)\.proj\.(.+)', lambda m: f'extra_downsample_layers.{m[1]}.proj.module.{m[2]}'),
    (r'aux_embeds\.(\d)\.norms\.(\d)\.norm\.(.+)',
     lambda m: f'extra_downsample_layers.{m[1]}.norm.ln_{m[2]}.{m[3]}'),
    (r'hubs\.(.+)', lambda m: f'extra_score_predictor.{m[1]}'),
    (r'aux_blocks\.(\d)\.(\d+)\.mlp\.dwconv\.(.+)',
     lambda m: f'extra_block{int(m[1]) + 1}.{m[2]}.mlp.dwconv.dwconv.{m[3]}'),
    (r'aux_blocks\.(\d)\.(\d+)\.channel_mix\.weight',
     lambda m: f'extra_block{int(m[1]) + 1}.{m[2]}.c_nets.0.weight'),
    (r'aux_blocks\.(\d)\.(.+)', lambda m: f'extra_block{int(m[1]) + 1}.{m[2]}'),
    (r'aux_norms\.(\d)\.norm\.(.+)', lambda m: f'extra_norm{int(m[1]) + 1}.{m[2]}'),
    (r'rectify\.(.+)', lambda m: f'FRMs.{m[1]}'),
    (r'fuse\.(.+)', lambda m: f'FFMs.{m[1]}'),
]


def deliver_cmnext_state(model) -> dict:
    """A tiny CMNeXt segmentor's weights under DELIVER's key names."""
    import re
    out = {f'backbone.{k}': v for k, v in official_mit_state(model.backbone.rgb).items()}
    for key, value in model.backbone.state_dict().items():
        if key.startswith('rgb.'):
            continue
        name = next(rename(re.fullmatch(pattern, key))
                    for pattern, rename in DELIVER_CMNEXT_NAMES if re.fullmatch(pattern, key))
        out[f'backbone.{name}'] = value
    head = model.decode_head
    for i, conv in enumerate(head.convs):
        out[f'decode_head.linear_c{i + 1}.proj.weight'] = conv.conv.weight.flatten(1)
        out[f'decode_head.linear_c{i + 1}.proj.bias'] = conv.conv.bias
    out['decode_head.linear_fuse.conv.weight'] = head.fusion_conv.conv.weight
    for name, value in head.fusion_conv.bn.state_dict().items():
        out[f'decode_head.linear_fuse.bn.{name}'] = value
    out['decode_head.linear_pred.weight'] = head.conv_seg.weight
    out['decode_head.linear_pred.bias'] = head.conv_seg.bias
    return out


@pytest.mark.slow
def test_deliver_cmnext_checkpoint_converts_to_the_cmnext_segmentor(tmp_path):
    torch.manual_seed(0)
    cfg = anymodal_model(size=(32, 32))
    cfg['backbone'] = dict(type='CMNeXt', num_modalities=4, rgb_branch=TINY_MIT)
    cfg['decode_head'] = dict(cfg['decode_head'], type='SegformerLinearHead')
    reference = MODELS.build(cfg).eval()
    for module in reference.modules():
        if isinstance(module, torch.nn.BatchNorm2d):
            module.running_mean.uniform_(-1, 1)
            module.running_var.uniform_(0.5, 2)
    original = {f'module.{k}': v for k, v in deliver_cmnext_state(reference).items()}
    assert 'module.backbone.extra_block2.0.c_nets.0.weight' in original
    assert 'module.backbone.extra_downsample_layers.3.norm.ln_2.weight' in original
    src, dst = tmp_path / 'cmnext.pth', tmp_path / 'mmseg.pth'
    torch.save(dict(state_dict=original), src)
    result = subprocess.run([sys.executable, 'tools/model_converters/anyseg2mmseg.py', str(src),
                             str(dst), '--source', 'deliver-cmnext', '--strict'],
                            cwd=REPO_ROOT, capture_output=True, text=True)
    assert result.returncode == 0, result.stdout + result.stderr
    model = MODELS.build(cfg).eval()
    model.load_state_dict(torch.load(dst)['state_dict'], strict=True)
    x = torch.randn(1, 4, 3, 64, 64)
    with torch.no_grad():
        torch.testing.assert_close(model._forward(x), reference._forward(x))
