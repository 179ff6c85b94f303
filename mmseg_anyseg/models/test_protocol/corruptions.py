"""Sensor corruptions of the robustness benchmark, on normalised inputs.

Follows ``Chenfei-Liao/Multi-Modal-Semantic-Segmentation-Robustness-Benchmark``
(``val_mm_RMM.py``, ``val_mm_NM.py``), which corrupts the images after the
dataset's normalisation:

- **random missing** (RMM): every element of a damaged modality is zeroed with
  probability ``rate``, drawn independently per element (channel included),
  ``mask = rand(shape) < r; image[mask] = 0``;
- **noise** (NM): salt-and-pepper on every modality, ``ceil(0.5 * density *
  numel)`` random elements set to the maximum and as many to the minimum, then
  additive Gaussian noise ``N(0, std)`` on every modality but the event camera.
  Levels low, mid and high are ``density = 0.05, 0.1, 0.2`` and
  ``std = 0.1, 0.2, 0.5``.

Differences, on purpose: each sample is corrupted with its own generator,
seeded by ``seed`` and its image path, so that results do not depend on the
batch size, the order or the number of processes, and two runs agree; and the
salt and pepper values are the maximum and minimum of that sample's modality,
not of the whole batch (the benchmark's batch-wide values change with the
batch size).
"""
import math
import zlib
from typing import Dict, Optional, Sequence

import torch
from torch import Tensor

NOISE_LEVELS: Dict[str, Dict[str, float]] = {
    'low': dict(density=0.05, std=0.1),
    'mid': dict(density=0.1, std=0.2),
    'high': dict(density=0.2, std=0.5),
}
CORRUPTIONS = ('random_missing', 'noise')


def sample_generator(seed: int, key: str, device=None) -> torch.Generator:
    """A generator seeded by ``seed`` and a stable hash of ``key`` (an image path)."""
    generator = torch.Generator(device=device or 'cpu')
    generator.manual_seed((int(seed) * 1_000_003 + zlib.crc32(key.encode())) % 2**63)
    return generator


def random_missing(image: Tensor, rate: float, generator: torch.Generator) -> Tensor:
    """Zero every element with probability ``rate`` (RMM)."""
    keep = torch.rand(image.shape, generator=generator, device=image.device) >= rate
    return image * keep


def salt_and_pepper(image: Tensor, density: float, generator: torch.Generator) -> Tensor:
    """Set ``ceil(0.5 * density * numel)`` random elements to the max, as many to the min."""
    out = image.clone()
    count = math.ceil(0.5 * density * image.numel())
    high, low = image.max(), image.min()
    flat = out.view(-1)
    for value in (high, low):
        index = torch.randint(0, image.numel(), (count, ), generator=generator,
                              device=image.device)
        flat[index] = value
    return out


def gaussian_noise(image: Tensor, std: float, generator: torch.Generator) -> Tensor:
    """Add ``N(0, std)`` noise to every element."""
    return image + std * torch.randn(image.shape, generator=generator, device=image.device)


def check_corruption(cfg: Optional[dict]) -> Optional[dict]:
    """Validate a ``test_cfg.corruption`` dict and fill its defaults.

    Raises:
        ValueError: unknown type or out-of-range values.
    """
    if cfg is None:
        return None
    cfg = dict(cfg)
    kind = cfg.get('type')
    cfg.setdefault('seed', 0)
    if kind == 'random_missing':
        rate = float(cfg.get('rate', -1))
        if not 0.0 <= rate <= 1.0:
            raise ValueError('corruption random_missing needs a rate in [0, 1], got '
                             f"{cfg.get('rate')}")
        cfg['rate'] = rate
        return cfg
    if kind == 'noise':
        level = cfg.get('level', 'mid')
        if level not in NOISE_LEVELS:
            raise ValueError(f'corruption noise level={level!r}; expected one of '
                             f'{tuple(NOISE_LEVELS)}')
        cfg = {**NOISE_LEVELS[level], 'gaussian_skip': ('event', ), **cfg}
        return cfg
    raise ValueError(f'corruption type {kind!r}; expected one of {CORRUPTIONS}')


def corrupt_batch(inputs: Tensor, cfg: dict, keys: Sequence[str],
                  modalities: Sequence[str], damaged: Optional[Tensor] = None) -> Tensor:
    """Corrupt normalised ``[B, M, C, H, W]`` inputs, each sample with its own generator.

    Args:
        inputs: The normalised inputs.
        cfg: A checked corruption config (:func:`check_corruption`).
        keys: Per sample, the key of its generator (the image path).
        modalities: Modality names in the stacked order.
        damaged: ``[B, M]`` bool, the modalities to corrupt (all when None).

    Returns:
        The corrupted inputs; modalities not damaged are unchanged.
    """
    out = inputs.clone()
    for b, key in enumerate(keys):
        generator = sample_generator(cfg['seed'], key, inputs.device)
        for m, name in enumerate(modalities):
            if damaged is not None and not bool(damaged[b, m]):
                continue
            image = inputs[b, m]
            if cfg['type'] == 'random_missing':
                image = random_missing(image, cfg['rate'], generator)
            else:
                image = salt_and_pepper(image, cfg['density'], generator)
                if name not in cfg['gaussian_skip']:
                    image = gaussian_noise(image, cfg['std'], generator)
            out[b, m] = image
    return out
