from .metrics import AnymodalIoUMetric
from .robustness_aggregates import EXPECTATION_PROBS, expected_miou, robustness_aggregates

__all__ = ['AnymodalIoUMetric', 'EXPECTATION_PROBS', 'expected_miou', 'robustness_aggregates']
