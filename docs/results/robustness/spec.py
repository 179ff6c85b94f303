# The sensor-failure benchmark (EMM with missing modalities dropped and zero-filled, RMM at
# three rates, NM at three noise levels) of every leaderboard row, on synthetic data: the
# leaderboard's runs are imported and scored under the eight scenarios.
#   python tools/benchmark/run.py docs/results/robustness/spec.py [--dry-run | --collect]
_base_ = ['../leaderboard/spec.py']
protocol = dict(robustness=True)
entries = [_base_.teacher] + _base_.methods
