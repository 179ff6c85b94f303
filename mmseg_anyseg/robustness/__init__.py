"""The sensor-failure robustness benchmark: corruptions, scenarios and aggregates."""
from .aggregates import EXPECTATION_PROBS, expected_miou, robustness_aggregates
from .corruptions import CORRUPTIONS, NOISE_LEVELS, check_corruption, corrupt_batch
from .scenarios import apply_test_scenario, scenario_path, shipped_scenarios

__all__ = [
    'EXPECTATION_PROBS', 'expected_miou', 'robustness_aggregates', 'CORRUPTIONS', 'NOISE_LEVELS',
    'check_corruption', 'corrupt_batch', 'apply_test_scenario', 'scenario_path',
    'shipped_scenarios'
]
