"""The authors' OHEM cross-entropy against the formula on tiny tensors."""
import math

import pytest
import torch
from mmseg.registry import MODELS

from mmseg_anyseg.models import OhemCrossEntropyLoss


def logits_for(probs_true):
    """``[1, 2, 1, N]`` logits whose true class (0) has the given probabilities."""
    p = torch.tensor(probs_true)
    return torch.stack([p.log(), (1 - p).log()])[None, :, None, :]


def test_mean_over_hard_pixels_only():
    # -log(0.7) = 0.357: pixels with p_true < 0.7 are hard.
    probs = [0.9, 0.8, 0.6, 0.3, 0.95, 0.5, 0.99, 0.2]
    label = torch.zeros(1, 1, 8, dtype=torch.long)
    loss = OhemCrossEntropyLoss()(logits_for(probs), label)
    hard = [-math.log(p) for p in probs if p < 0.7]
    assert loss.item() == pytest.approx(sum(hard) / len(hard), rel=1e-5)
    mmseg_style = sum(hard) / len(probs)  # OHEMPixelSampler + CE: all pixels in the mean
    assert loss.item() > 2 * mmseg_style


def test_top_k_when_too_few_hard_pixels_and_ignored_pixels():
    # 32 pixels, 2 ignored: n_min = 30 // 16 = 1; no hard pixel -> the largest loss.
    probs = [0.9] * 29 + [0.8, 0.1, 0.1]
    label = torch.zeros(1, 1, 32, dtype=torch.long)
    label[0, 0, 30:] = 255  # the two very wrong pixels are void
    loss = OhemCrossEntropyLoss()(logits_for(probs), label)
    assert loss.item() == pytest.approx(-math.log(0.8), rel=1e-5)
    # min_kept_ratio 1/4: n_min = 7 -> mean of the 7 largest valid losses
    loss = OhemCrossEntropyLoss(min_kept_ratio=0.25)(logits_for(probs), label)
    assert loss.item() == pytest.approx((-math.log(0.8) - 6 * math.log(0.9)) / 7, rel=1e-5)


def test_all_ignored_gives_zero_and_weight_and_registry():
    label = torch.full((1, 1, 4), 255, dtype=torch.long)
    logits = torch.randn(1, 3, 1, 4, requires_grad=True)
    loss = MODELS.build(dict(type='OhemCrossEntropyLoss', loss_weight=2.0))
    value = loss(logits, label)
    assert value.item() == 0.0
    value.backward()
    label = torch.zeros(1, 1, 8, dtype=torch.long)
    probs = logits_for([0.3] * 8)
    assert loss(probs, label).item() == pytest.approx(-2 * math.log(0.3), rel=1e-5)
    assert loss.loss_name == 'loss_ce'
    with pytest.raises(ValueError, match='thresh'):
        OhemCrossEntropyLoss(thresh=1.5)
