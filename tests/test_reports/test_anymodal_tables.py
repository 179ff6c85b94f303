"""Mean ± std over seeds, by hand on made-up per-subset figures."""
import json
import subprocess
import sys

import pytest

from mmseg_anyseg.reports import seed_statistics, seeds_markdown
from tests.conftest import REPO_ROOT


def run(model, r, d, rd):
    return dict(model=model, subsets={'R': dict(IoU=r), 'D': dict(IoU=d), 'RD': dict(IoU=rd)})


def test_seed_statistics_by_hand():
    stats = seed_statistics([run('a', 10, 20, 30), run('a', 20, 20, 60)])
    assert stats['names'] == ['R', 'D', 'RD', 'Mean']
    assert stats['mean'] == pytest.approx([15, 20, 45, 26.6666667])
    # sample std (n - 1): R: |10 - 20| / sqrt(2); subset means 20 and 33.33
    assert stats['std'] == pytest.approx([7.0710678, 0, 21.2132034, 9.4280904])
    assert '| a | 2 | 15.00 ± 7.07 | 20.00 ± 0.00 | 45.00 ± 21.21 | 26.67 ± 9.43 |' in \
        seeds_markdown([('a', stats)])
    assert seed_statistics([run('a', 1, 2, 3)])['std'] == [0, 0, 0, 0]
    other = dict(model='b', subsets={'R': dict(IoU=1)})
    with pytest.raises(ValueError, match='different subsets'):
        seed_statistics([run('a', 1, 2, 3), other])


@pytest.mark.slow
def test_seeds_tool_writes_table_json_and_chart(tmp_path):
    for seed, values in enumerate([(10, 20, 30), (20, 20, 60)]):
        (tmp_path / f'seed{seed}').mkdir()
        (tmp_path / f'seed{seed}' / 'anymodal.json').write_text(json.dumps(run('a', *values)))
    out = tmp_path / 'table'
    result = subprocess.run([sys.executable, 'tools/analysis_tools/anymodal_seeds.py', '--row',
                             f'L_sup={tmp_path}/seed*/anymodal.json', '--out', str(out)],
                            cwd=REPO_ROOT, capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    assert '15.00 ± 7.07' in (tmp_path / 'table.md').read_text()
    assert json.loads((tmp_path / 'table.json').read_text())['L_sup']['seeds'] == 2
    assert (tmp_path / 'table.png').stat().st_size > 0
    bad = subprocess.run([sys.executable, 'tools/analysis_tools/anymodal_seeds.py', '--row',
                          f'x={tmp_path}/none*/a.json', '--out', str(out)],
                         cwd=REPO_ROOT, capture_output=True, text=True)
    assert bad.returncode != 0 and 'no file matches' in bad.stderr
