"""MultiModalBackbone around several registered backbones: fused == mean of passes."""
import pytest
import torch
from mmseg.registry import MODELS

from tests.helpers import TINY_MIT

BACKBONES = {
    'mmseg MiT': dict(TINY_MIT, type='MixVisionTransformer'),
    'mmseg ResNetV1c': dict(type='ResNetV1c', depth=18, num_stages=4, out_indices=(0, 1, 2, 3),
                            base_channels=8, stem_channels=8),
    'mmpretrain ConvNeXt': dict(type='mmpretrain.ConvNeXt', arch='atto', out_indices=(0, 1, 2, 3),
                                gap_before_final_norm=False),
}


@pytest.mark.parametrize('name', sorted(BACKBONES))
def test_fused_equals_mean_of_single_modality_passes(name):
    cfg = BACKBONES[name]
    if cfg['type'].startswith('mmpretrain'):
        pytest.importorskip('mmpretrain', reason='mmpretrain is an optional extra')
    torch.manual_seed(0)
    model = MODELS.build(dict(type='MultiModalBackbone', backbone=cfg, num_modalities=3)).eval()
    x = torch.randn(2, 3, 3, 64, 64)
    mask = torch.tensor([[True, False, True], [True, True, True]])
    with torch.no_grad():
        fused = model(x, mask)
        single = [model.backbone(x[:, m]) for m in range(3)]
        noisy = x.clone()
        noisy[~mask] = 50.0
        fused_noisy = model(noisy, mask)
    assert len(fused) == 4
    for stage, out in enumerate(fused):
        sample0 = (single[0][stage][0] + single[2][stage][0]) / 2
        sample1 = torch.stack([s[stage][1] for s in single]).mean(0)
        torch.testing.assert_close(out[0], sample0, atol=1e-5, rtol=1e-4)
        torch.testing.assert_close(out[1], sample1, atol=1e-5, rtol=1e-4)
        torch.testing.assert_close(fused_noisy[stage], out)
