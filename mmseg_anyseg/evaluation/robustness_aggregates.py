"""Aggregates of the sensor-failure robustness benchmark over modality subsets.

``Chenfei-Liao/Multi-Modal-Semantic-Segmentation-Robustness-Benchmark``,
``val_mm_EMM.py``: over the ``2^M - 1`` combinations that keep at least one
modality (at most M - 1 missing or damaged),

- ``mIoU^Avg`` is their plain mean;
- ``mIoU^E(p)`` is their expectation when each modality fails independently
  with probability ``p``, renormalised over those combinations:
  ``sum_S mIoU_S w_S / sum_S w_S`` with ``w_S = p^(M - |S|) (1 - p)^|S|``,
  where S is the set of intact modalities.
"""
from typing import Dict, Sequence

#: The failure probabilities the benchmark reports.
EXPECTATION_PROBS = (0.2, 0.1, 0.05)


def expected_miou(per_subset: Dict[str, float], sizes: Dict[str, int], num_modalities: int,
                  p: float) -> float:
    """``mIoU^E(p)``: the expectation under independent failures, see the module doc.

    Args:
        per_subset: mIoU per subset name.
        sizes: Number of intact modalities per subset name.
        num_modalities: M.
        p: Failure probability of each modality.
    """
    weights = {name: p**(num_modalities - sizes[name]) * (1 - p)**sizes[name]
               for name in per_subset}
    total = sum(weights.values())
    return sum(per_subset[name] * weights[name] for name in per_subset) / total


def robustness_aggregates(per_subset: Dict[str, float], sizes: Dict[str, int],
                          num_modalities: int,
                          probs: Sequence[float] = EXPECTATION_PROBS) -> Dict[str, float]:
    """``Avg`` and ``E(p)`` for each p, when every non-empty subset was evaluated.

    Returns:
        ``{'Avg': ..., 'E(p=0.2)': ..., ...}``, or ``{}`` when subsets are missing.
    """
    if len(per_subset) != 2**num_modalities - 1:
        return {}
    out = {'Avg': sum(per_subset.values()) / len(per_subset)}
    for p in probs:
        out[f'E(p={p:g})'] = expected_miou(per_subset, sizes, num_modalities, p)
    return out
