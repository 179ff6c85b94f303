"""The benchmark's aggregates against a hand computation on made-up figures."""
import pytest

from mmseg_anyseg.evaluation.robustness_aggregates import expected_miou, robustness_aggregates

# Two modalities R and D: subsets R, D, RD.
PER_SUBSET = {'R': 40.0, 'D': 20.0, 'RD': 60.0}
SIZES = {'R': 1, 'D': 1, 'RD': 2}


def test_expectation_by_hand():
    # p = 0.2: w_RD = 0.8^2 = 0.64, w_R = w_D = 0.2 * 0.8 = 0.16; renormalised over the
    # non-empty subsets (total 0.96, the all-missing case 0.04 left out).
    expected = (60 * 0.64 + 40 * 0.16 + 20 * 0.16) / 0.96
    assert expected_miou(PER_SUBSET, SIZES, 2, 0.2) == pytest.approx(expected)
    assert expected_miou(PER_SUBSET, SIZES, 2, 0.0) == pytest.approx(60.0)
    out = robustness_aggregates(PER_SUBSET, SIZES, 2, probs=(0.2, 0.05))
    assert out['Avg'] == pytest.approx(40.0)
    assert out['E(p=0.2)'] == pytest.approx(expected)
    w_one, w_two = 0.05 * 0.95, 0.95**2
    assert out['E(p=0.05)'] == pytest.approx((60 * w_two + 60 * w_one) / (w_two + 2 * w_one))


def test_no_aggregates_without_every_subset():
    assert robustness_aggregates({'R': 1.0, 'RD': 2.0}, SIZES, 2) == {}
