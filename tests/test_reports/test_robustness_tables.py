import json
import os.path as osp
import subprocess
import sys

import pytest

from mmseg_anyseg.reports import robustness_markdown, scenario_statistics
from tests.conftest import REPO_ROOT


def scenario(avg: float, full: float) -> dict:
    return dict(subsets={'R': dict(IoU=avg), 'RD': dict(IoU=full)},
                robustness={'Avg': avg, 'E(p=0.1)': avg + 1})


def test_scenario_statistics_by_hand():
    stats = scenario_statistics([scenario(10.0, 20.0), scenario(14.0, 20.0)])
    assert stats['Avg'] == pytest.approx((12.0, 2.8284271))  # sample std of 10, 14
    assert stats['Full'] == (20.0, 0.0)
    assert scenario_statistics([scenario(10.0, 20.0)])['Avg'] == (10.0, 0.0)


@pytest.mark.slow
def test_seeds_of_one_model_give_mean_and_std(tmp_path):
    models = {'A': [{'rmm_r050': scenario(10.0, 20.0)}, {'rmm_r050': scenario(14.0, 22.0)}],
              'B': [{'rmm_r050': scenario(5.0, 6.0)}]}
    table = robustness_markdown(models)
    assert '| A | 2 | RMM, rate 0.50 | 12.00 ± 2.83 | 13.00 ± 2.83 | 21.00 ± 1.41 |' in table
    assert '| B | 1 | RMM, rate 0.50 | 5.00 | 6.00 | 6.00 |' in table
    files = []
    for i, (name, seed) in enumerate([('A', 0), ('A', 1), ('B', 0)]):
        files.append(str(tmp_path / f'{i}.json'))
        with open(files[-1], 'w') as f:
            json.dump({name: models[name][seed]}, f)
    out = str(tmp_path / 'cmp')
    subprocess.run([sys.executable, osp.join(REPO_ROOT, 'tools/analysis_tools/'
                                             'robustness_benchmark.py'), '--compare', *files,
                    '--out', out], check=True, capture_output=True)
    assert open(out + '.md').read().strip() == table
    assert osp.getsize(out + '.png') > 0
