"""The benchmark's corruptions on tiny tensors: rates, noise statistics, seeding."""
import math

import pytest
import torch

from mmseg_anyseg.models.test_protocol.corruptions import (NOISE_LEVELS, check_corruption, corrupt_batch,
                                                 gaussian_noise, random_missing, salt_and_pepper,
                                                 sample_generator)

NAMES = ('rgb', 'depth', 'event', 'lidar')


@pytest.mark.parametrize('rate', [0.25, 0.5, 0.75])
def test_random_missing_zeroes_elements_at_the_rate(rate):
    image = torch.rand(3, 64, 64) + 1  # no zero before
    out = random_missing(image, rate, sample_generator(0, 'a.png'))
    zeroed = (out == 0).float().mean().item()
    assert zeroed == pytest.approx(rate, abs=0.02)
    kept = out != 0
    assert torch.equal(out[kept], image[kept])
    channels_differ = not torch.equal(out[0] == 0, out[1] == 0)
    assert channels_differ  # drawn per element, channels included, as the benchmark does


def test_salt_and_pepper_counts_and_values():
    image = torch.linspace(-2, 3, 3 * 20 * 20).view(3, 20, 20)
    out = salt_and_pepper(image, 0.1, sample_generator(0, 'a.png'))
    count = math.ceil(0.5 * 0.1 * image.numel())  # 60
    salt, pepper = (out == 3.0).sum().item() - 1, (out == -2.0).sum().item() - 1
    assert 0 < salt <= count and 0 < pepper <= count  # drawn with replacement
    assert salt + pepper >= count  # few collisions among 1200 elements
    changed = out != image
    assert changed.sum() <= 2 * count and set(out[changed].unique().tolist()) <= {3.0, -2.0}


def test_gaussian_noise_std_and_seeding():
    image = torch.zeros(3, 100, 100)
    noisy = gaussian_noise(image, 0.5, sample_generator(1, 'a.png'))
    assert noisy.std().item() == pytest.approx(0.5, rel=0.03)
    assert noisy.mean().item() == pytest.approx(0.0, abs=0.02)
    again = gaussian_noise(image, 0.5, sample_generator(1, 'a.png'))
    other = gaussian_noise(image, 0.5, sample_generator(1, 'b.png'))
    assert torch.equal(noisy, again) and not torch.equal(noisy, other)


def test_noise_levels_and_batch_independence():
    torch.manual_seed(0)
    inputs = torch.randn(3, 4, 3, 16, 16)
    cfg = check_corruption(dict(type='noise', level='high', seed=2))
    assert cfg['density'] == NOISE_LEVELS['high']['density'] == 0.2 and cfg['std'] == 0.5
    keys = ['a.png', 'b.png', 'c.png']
    whole = corrupt_batch(inputs, cfg, keys, NAMES)
    alone = corrupt_batch(inputs[1:2], cfg, keys[1:2], NAMES)
    assert torch.equal(whole[1:2], alone)  # a sample's corruption ignores the batch
    event = whole[:, 2] - inputs[:, 2]  # salt and pepper only: unchanged or extreme
    assert (event == 0).float().mean() > 0.75
    depth = whole[:, 1] - inputs[:, 1]
    assert (depth != 0).float().mean() > 0.99  # Gaussian noise everywhere
    damaged = torch.tensor([[True, False, False, False]] * 3)
    rmm = corrupt_batch(inputs, check_corruption(dict(type='random_missing', rate=0.5)), keys,
                        NAMES, damaged)
    assert torch.equal(rmm[:, 1:], inputs[:, 1:]) and (rmm[:, 0] == 0).any()


def test_bad_corruption_configs():
    with pytest.raises(ValueError, match='rate'):
        check_corruption(dict(type='random_missing', rate=1.5))
    with pytest.raises(ValueError, match='level'):
        check_corruption(dict(type='noise', level='extreme'))
    with pytest.raises(ValueError, match='type'):
        check_corruption(dict(type='fog'))
