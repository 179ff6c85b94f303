"""Every backbone follows the AnymodalBackbone contract; the fusion rule is computed by hand."""
import pytest
import torch
from mmseg.registry import MODELS

from mmseg_anyseg.models import AnymodalBackbone
from tests.helpers import TINY_MIT, anymodal_model

BACKBONES = {
    'MultiModalMiT': (dict(TINY_MIT, type='MultiModalMiT', num_modalities=3), True, True),
    'MAGICMiT': (dict(TINY_MIT, type='MAGICMiT', num_modalities=3), True, False),
    'CMNeXt': (dict(type='CMNeXt', num_modalities=3, rgb_branch=TINY_MIT), False, None),
    'CMX': (dict(type='CMX', num_modalities=3, rgb_branch=TINY_MIT), False, None),
}


@pytest.mark.parametrize('name', list(BACKBONES))
def test_capabilities_and_forward_equals_fused_modalities(name):
    cfg, shared, by_mean = BACKBONES[name]
    torch.manual_seed(0)
    backbone = MODELS.build(cfg).eval()
    assert isinstance(backbone, AnymodalBackbone)
    assert backbone.has_modality_features is shared
    assert backbone.can_drop_modalities is shared
    inputs = torch.randn(2, 3, 3, 32, 32)
    if not shared:
        with pytest.raises(NotImplementedError, match='no per-modality features'):
            backbone.forward_modalities(inputs)
        return
    assert backbone.fuses_by_mean is by_mean
    mask = torch.tensor([[True, False, True], [False, True, False]])
    with torch.no_grad():
        per_modality = backbone.forward_modalities(inputs, mask)
        fused = backbone(inputs, mask)
        weighted = backbone.fuse_weighted(per_modality, torch.tensor([[.5, 0, .5], [0, 1., 0]]))
    # by hand, for a backbone that fuses by the mean: the mean of the kept modalities
    means = [torch.stack([f[0, [0, 2]].mean(0), f[1, 1]]) for f in per_modality]
    for got, other, mean in zip(fused, weighted, means):
        assert torch.allclose(got, other, atol=1e-5)
        assert torch.allclose(got, mean, atol=1e-5) is by_mean


def test_segmentor_refuses_a_backbone_outside_the_contract():
    cfg = anymodal_model()
    cfg['backbone'] = dict(TINY_MIT, type='MixVisionTransformer')
    with pytest.raises(TypeError, match='AnymodalBackbone.*MixVisionTransformer'):
        MODELS.build(cfg)
