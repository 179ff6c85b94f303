"""The sensor-failure scenarios of the robustness benchmark (configs/_base_/robustness/)."""
from .scenarios import apply_test_scenario, scenario_path, shipped_scenarios

__all__ = [
    'apply_test_scenario', 'scenario_path',
    'shipped_scenarios'
]
