import json

import pytest
from mmengine.config import Config

from mmseg_anyseg.benchmark.harness import Run
from mmseg_anyseg.benchmark.leaderboard import reproduced_weights, row_of


def finished_run(tmp_path, seed: int, scores: dict, reproductions=(), weights='w') -> Run:
    raw = tmp_path / f'seed{seed}'
    raw.mkdir()
    (raw / 'anymodal.json').write_text(json.dumps(dict(
        subsets={name: dict(IoU=value) for name, value in scores.items()})))
    record = dict(key='k', weights=weights, reproductions=[])
    for weights, reproduced in reproductions:
        record['reproductions'].append(dict(weights=weights, result=f'anymodal_{weights}.json'))
        (raw / f'anymodal_{weights}.json').write_text(json.dumps(dict(
            subsets={name: dict(IoU=value) for name, value in reproduced.items()})))
    record['reproductions'].append(dict(weights='old'))  # recorded before scores were kept
    (raw / 'run.json').write_text(json.dumps(record))
    return Run(entry=dict(name='teacher'), seed=seed, iters=2, config=Config(), key='k',
               raw_dir=str(raw), work_dir=str(tmp_path / 'work'))


def test_a_reproductions_kept_scores_are_a_row_of_their_own(tmp_path):
    runs = [finished_run(tmp_path, 0, dict(R=40.0, D=30.0), [('abc', dict(R=45.0, D=20.0))]),
            finished_run(tmp_path, 1, dict(R=42.0, D=32.0))]
    assert reproduced_weights(runs) == ['abc']
    recorded, reproduced = row_of(runs, 'IoU'), row_of(runs, 'IoU', weights='abc')
    assert recorded['seeds'] == [0, 1] and recorded['subsets']['R'][0] == pytest.approx(41.0)
    assert reproduced['seeds'] == [0]  # only seed 0 was trained again
    assert reproduced['subsets'] == dict(R=[45.0, 0.0], D=[20.0, 0.0])
    assert reproduced['mean'] == [32.5, 0.0]
    assert row_of(runs, 'IoU', weights='old') is None  # no scores kept


def test_a_reproduction_with_its_records_weights_adds_no_row(tmp_path):
    runs = [finished_run(tmp_path, 0, dict(R=40.0), [('w', dict(R=40.0)), ('abc', dict(R=45.0))])]
    assert reproduced_weights(runs) == ['abc']
