"""One leaderboard from a spec's raw runs: mean ± std over seeds, paired differences."""
import json
import os
import os.path as osp
from typing import Dict, List, Optional, Sequence

import numpy as np

from .harness import Run, load_spec, plan


def _subset_means(result: dict, metric: str) -> Dict[str, float]:
    return {name: values[metric] for name, values in result['subsets'].items()}


def _mean_std(values: Sequence[float]) -> List[float]:
    values = np.asarray(values, dtype=float)
    return [float(values.mean()), float(values.std(ddof=1)) if len(values) > 1 else 0.0]


def total_iterations(run: Run) -> int:
    """The run's iterations plus those of the runs it started from or distilled."""
    return run.iters + (total_iterations(run.depends) if run.depends is not None else 0)


def row_of(runs: Sequence[Run], metric: str, weights: Optional[str] = None) -> Optional[dict]:
    """Statistics of one entry over its finished seeds (None before any has finished).

    Args:
        runs: The entry's runs, one per seed.
        metric: The per-subset metric of ``anymodal.json`` (``'IoU'``).
        weights: None for the recorded scores; a weights fingerprint for the scores of
            the seeds trained again with those weights (:func:`reproduce`).
    """
    results = {run.seed: run for run in runs if run.record() is not None
               and (weights is None or osp.isfile(run.reproduction_file(weights)))}
    if not results:
        return None
    per_seed = {}
    for seed, run in results.items():
        with open(run.result_file if weights is None else run.reproduction_file(weights)) as f:
            result = json.load(f)
        subsets = _subset_means(result, metric)
        sizes: Dict[int, List[float]] = {}
        for name, value in subsets.items():
            sizes.setdefault(len(name), []).append(value)
        splits = {split: float(np.nanmean([v[metric] for v in part.values()]))
                  for split, part in result.get('splits', {}).items()}
        robustness = {}
        if weights is None and osp.isfile(run.robustness_file):
            with open(run.robustness_file) as f:
                scenarios = next(iter(json.load(f).values()))
            robustness = {name: float(s['robustness']['Avg']) for name, s in scenarios.items()}
        per_seed[seed] = dict(subsets=subsets, mean=float(np.mean(list(subsets.values()))),
                              sizes={k: float(np.mean(v)) for k, v in sorted(sizes.items())},
                              splits=splits, robustness=robustness)
    seeds = sorted(per_seed)
    first = per_seed[seeds[0]]
    teacher_weights = {seed: (results[seed].record().get('teacher') or {}).get('weights')
                       for seed in seeds}
    curve_file = osp.join(results[seeds[0]].raw_dir, 'curve.json')
    curve = None
    if osp.isfile(curve_file):
        with open(curve_file) as f:
            curve = json.load(f)
    return dict(curve=curve,
        seeds=seeds, planned_seeds=sorted(run.seed for run in runs),
        iterations=runs[0].iters, total_iterations=total_iterations(runs[0]),
        mean=_mean_std([per_seed[s]['mean'] for s in seeds]),
        subsets={n: _mean_std([per_seed[s]['subsets'][n] for s in seeds])
                 for n in first['subsets']},
        sizes={k: _mean_std([per_seed[s]['sizes'][k] for s in seeds]) for k in first['sizes']},
        splits={k: _mean_std([per_seed[s]['splits'][k] for s in seeds]) for k in first['splits']},
        robustness={k: _mean_std([per_seed[s]['robustness'][k] for s in seeds])
                    for k in first['robustness']
                    if all(k in per_seed[s]['robustness'] for s in seeds)},
        per_seed=per_seed,
        teacher_weights=teacher_weights if runs[0].depends is not None else None)


def paired_difference(row: dict, reference: dict) -> Optional[dict]:
    """Row minus reference on the seeds both have: mean ± std of the per-seed differences."""
    seeds = sorted(set(row['seeds']) & set(reference['seeds']))
    if not seeds:
        return None
    a, b = row['per_seed'], reference['per_seed']
    starts = [(row.get('teacher_weights') or {}).get(s) for s in seeds]
    reference_starts = [(reference.get('teacher_weights') or {}).get(s) for s in seeds]
    return dict(seeds=seeds, teachers_differ=any(
        x is not None and y is not None and x != y for x, y in zip(starts, reference_starts)),
        mean=_mean_std([a[s]['mean'] - b[s]['mean'] for s in seeds]),
                subsets={n: _mean_std([a[s]['subsets'][n] - b[s]['subsets'][n] for s in seeds])
                         for n in a[seeds[0]]['subsets']})


def reproduced_weights(runs: Sequence[Run]) -> List[str]:
    """The weights of the runs' reproductions whose scores were kept, in order.

    A reproduction that came back with its record's weights has its record's scores, so
    it adds no row.
    """
    found = []
    for run in runs:
        record = run.record() or {}
        for reproduction in record.get('reproductions', []):
            weights = reproduction.get('weights')
            if (reproduction.get('result') and weights != record.get('weights')
                    and weights not in found):
                found.append(weights)
    return found


def collect(spec_path: str, raw_root: str, work_root: str, metric: str = 'IoU') -> dict:
    """The leaderboard of a spec from the raw results of its finished runs.

    Each entry with a finished seed is a row; an entry trained again with other weights
    and its scores kept (a teacher whose checkpoint was gone) is also the row
    ``NAME@WEIGHTS``, for the floor of the students that started from those weights.
    """
    spec = load_spec(spec_path)
    runs = plan(spec, raw_root, work_root)
    rows = {}
    for entry in spec.entries:
        entry_runs = [r for r in runs if r.entry['name'] == entry['name']]
        row = row_of(entry_runs, metric)
        if row is not None:
            rows[entry['name']] = row
        for weights in reproduced_weights(entry_runs):
            rows[f'{entry["name"]}@{weights}'] = row_of(entry_runs, metric, weights)
    reference = spec.protocol.get('reference')
    if reference in rows:
        for name, row in rows.items():
            if name != reference:
                row['vs_reference'] = paired_difference(row, rows[reference])
    return dict(spec=spec_path, metric=metric, reference=reference, rows=rows)


def _cell(stat: Sequence[float]) -> str:
    return f'{stat[0]:.2f} ± {stat[1]:.2f}'


def _seeds(row: dict) -> str:
    done, planned = len(row['seeds']), len(row['planned_seeds'])
    return str(done) if done == planned else f'{done} of {planned}'


def leaderboard_markdown(board: dict) -> str:
    """The leaderboard as Markdown tables: by subset, by subset size, by split, paired."""
    rows = board['rows']
    if not rows:
        return 'No finished runs.'
    first = next(iter(rows.values()))
    names = list(first['subsets'])
    lines = [f'Mean ± std over seeds of m{board["metric"]} (%); iterations: the row\'s own, and '
             'in all (with the teacher it distils or starts from).', '',
             '| model | seeds | iterations (all) | ' + ' | '.join(names) + ' | mean |',
             '|---|---:|---:|' + '---:|' * (len(names) + 1)]
    for label, row in rows.items():
        iterations = f'{row["iterations"]} ({row["total_iterations"]})'
        lines.append(f'| {label} | {_seeds(row)} | {iterations} | '
                     + ' | '.join(_cell(row['subsets'][n]) for n in names)
                     + f' | **{_cell(row["mean"])}** |')
    sizes = list(first['sizes'])
    lines += ['', 'By the number of modalities (mean over the subsets of that size):', '',
              '| model | ' + ' | '.join(f'{k} modalit{"y" if k == 1 else "ies"}' for k in sizes)
              + ' |', '|---|' + '---:|' * len(sizes)]
    lines += [f'| {label} | ' + ' | '.join(_cell(row['sizes'][k]) for k in sizes) + ' |'
              for label, row in rows.items()]
    splits = list(first['splits'])
    if splits:
        lines += ['', 'By weather condition and failure case (mean over the subsets):', '',
                  '| model | ' + ' | '.join(splits) + ' |', '|---|' + '---:|' * len(splits)]
        lines += [f'| {label} | ' + ' | '.join(_cell(row['splits'][k]) if k in row['splits']
                                                else '-' for k in splits) + ' |'
                  for label, row in rows.items()]
    scenarios = list(dict.fromkeys(k for row in rows.values() for k in row.get('robustness', {})))
    if scenarios:
        lines += ['', 'Sensor-failure benchmark: mIoU^Avg (the mean over the 15 subsets) under '
                  'each scenario:', '',
                  '| model | ' + ' | '.join(scenarios) + ' |', '|---|' + '---:|' * len(scenarios)]
        lines += [f'| {label} | ' + ' | '.join(_cell(row['robustness'][k])
                                                if k in row.get('robustness', {}) else '-'
                                                for k in scenarios) + ' |'
                  for label, row in rows.items()]
    reference = board.get('reference')
    paired = {label: row['vs_reference'] for label, row in rows.items()
              if row.get('vs_reference')}
    if paired:
        lines += ['', f'Paired difference to {reference}, seed by seed (mean ± std of the '
                  'per-seed differences; |mean| under 2 std is inside the noise):', '',
                  '| model | seeds | mean | ' + ' | '.join(names) + ' |',
                  '|---|---:|---:|' + '---:|' * len(names)]
        for label, diff in paired.items():
            mean, std = diff['mean']
            verdict = '' if len(diff['seeds']) < 2 or abs(mean) < 2 * std else (
                ' (better)' if mean > 0 else ' (worse)')
            if diff.get('teachers_differ'):
                verdict += ' (from other teacher weights)'

            lines.append(f'| {label} | {len(diff["seeds"])} | {mean:+.2f} ± {std:.2f}{verdict} | '
                         + ' | '.join(f'{diff["subsets"][n][0]:+.2f}' for n in names) + ' |')
    starts = {label: {int(seed): w for seed, w in row['teacher_weights'].items()}
              for label, row in rows.items() if any((row.get('teacher_weights') or {}).values())}
    if starts:
        seeds = sorted({seed for weights in starts.values() for seed in weights})
        lines += ['', 'The teacher weights each run distilled or started from (a fingerprint of '
                  'the checkpoint\'s weights; "-" where the record predates them):', '',
                  '| model | ' + ' | '.join(f'seed {seed}' for seed in seeds) + ' |',
                  '|---|' + '---|' * len(seeds)]
        lines += [f'| {label} | ' + ' | '.join(weights.get(seed) or '-' for seed in seeds)
                  + ' |' for label, weights in starts.items()]
    curves = {label: row['curve'] for label, row in rows.items() if row.get('curve')}
    if curves:
        steps = sorted({int(s) for curve in curves.values() for s in curve})
        lines += ['', 'Learning curves: mean mIoU over the subsets on the evaluated split, by '
                  'iteration (one run each):', '',
                  '| model | ' + ' | '.join(str(s) for s in steps) + ' |',
                  '|---|' + '---:|' * len(steps)]
        lines += [f'| {label} | ' + ' | '.join(f'{curve[str(s)]:.2f}' if str(s) in curve else '-'
                                               for s in steps) + ' |'
                  for label, curve in curves.items()]
    return '\n'.join(lines)


def reproduction_markdown(board: dict, reference: dict, tolerance: float) -> str:
    """This machine's rows beside the committed reference runs of the same configs and seeds.

    Args:
        board: The leaderboard of the runs made here.
        reference: The leaderboard of the reference runs (the same spec on committed raw).
        tolerance: The largest difference of the mean (mIoU points) still counted as
            reproduced: CPU training is deterministic on one machine, not across machines.

    Returns:
        str: a Markdown table, one line per row.
    """
    lines = [f'| model | seeds | mean here | reference | difference | largest subset '
             f'difference | reproduced (within ±{tolerance:g}) |',
             '|---|---:|---:|---:|---:|---:|---|']
    for name, row in board['rows'].items():
        ref = reference['rows'].get(name)
        if ref is None or set(ref['seeds']) != set(row['seeds']):
            lines.append(f'| {name} | {len(row["seeds"])} | {row["mean"][0]:.2f} | - | - | - | '
                         'no committed reference for these seeds |')
            continue
        diff = row['mean'][0] - ref['mean'][0]
        subset, worst = max(((n, row['subsets'][n][0] - ref['subsets'][n][0])
                             for n in row['subsets']), key=lambda item: abs(item[1]))
        lines.append(f'| {name} | {len(row["seeds"])} | {row["mean"][0]:.2f} | '
                     f'{ref["mean"][0]:.2f} | {diff:+.2f} | {worst:+.2f} ({subset}) | '
                     f'{"yes" if abs(diff) <= tolerance else "no"} |')
    return '\n'.join(lines)


def write_leaderboard(board: dict, out_prefix: str) -> List[str]:
    """``<out>.md``, ``<out>.json`` and ``<out>.png``; returns the paths written."""
    from ..visualization import plot_learning_curves, plot_seed_statistics
    os.makedirs(osp.dirname(osp.abspath(out_prefix)), exist_ok=True)
    with open(f'{out_prefix}.md', 'w') as f:
        f.write(leaderboard_markdown(board) + '\n')
    with open(f'{out_prefix}.json', 'w') as f:
        json.dump(board, f, indent=2)
    paths = [f'{out_prefix}.md', f'{out_prefix}.json']
    if board['rows']:
        stats = [(label, dict(names=list(row['subsets']) + ['Mean'],
                              mean=[v[0] for v in row['subsets'].values()] + [row['mean'][0]],
                              std=[v[1] for v in row['subsets'].values()] + [row['mean'][1]],
                              seeds=len(row['seeds'])))
                 for label, row in board['rows'].items()]
        plot_seed_statistics(stats, f'{out_prefix}.png', board['metric'])
        paths.append(f'{out_prefix}.png')
    curves = [(label, row['curve']) for label, row in board['rows'].items() if row.get('curve')]
    if curves:
        plot_learning_curves(curves, f'{out_prefix}_curve.png')
        paths.append(f'{out_prefix}_curve.png')
    return paths
