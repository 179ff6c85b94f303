#!/usr/bin/env bash
# Issue 22 runs. All from a git worktree at 1592301 with PYTHONPATH set to it, one thread per
# process, the synthetic data and PML teacher of the issue-19 worktree (7c0cb5d).
# First session: bash run_robustseg.sh full 0 ; hpdm 0 ; full 1 ; full 2 (the earlier script,
# the same training and EMM evaluation as `run22.sh train`; outputs under anymodal-{drop,zero},
# which run22.sh links into its benchmark folder).
# Second session: two workers side by side, each taking the next line of a queue until empty:
#   nohup bash worker22.sh &  nohup bash worker22.sh &
# worker22.sh: while a line is left in queue22.txt: bash run22.sh $line
# Jobs as run (worker a): train rrm 0 (trained; its evaluation failed on an edit of run22.sh
#   and was run again by worker b), train sup-zero 0 (stopped: NaN), train rrm 1, train rrm 2,
#   train hpdm-released 1, bench hpdm-released 0, bench hpdm 1, bench anyseg 1;
# (worker b): train zero-fill 0 (stopped: NaN), train hpdm 1, train hpdm 2, train rrm 0,
#   train hpdm-released 0, bench sup 0, bench anyseg 0, bench full 0, train full 1, train full 2,
#   train hpdm 0, train sup 1, train anyseg 1, train sup 2, train anyseg 2, bench hpdm 0,
#   bench rrm 0, train hpdm-released 2, bench full 1, bench sup 1.
# (`train` of sup, anyseg and the first-session rows only evaluates: their checkpoints exist.)
# run22.sh (in this folder) trains a row (400 iterations), evaluates EMM drop and zero, and
# `bench` runs the rest of the sensor-failure benchmark (RMM 0.25/0.5/0.75, NM low/mid/high).
# The zero-filled training rows were started and stopped: a zero-bias MiT from scratch turns a
# zero-filled modality into NaN gradients at the first step that drops one (README.md).
# Then, from the repository root of main:
#   bash docs/results/robustseg_synthetic/commands.sh collect /work/exp22
#   bash docs/results/robustseg_synthetic/make_results.sh
set -euo pipefail
cd "$(dirname "$0")"
case "${1:?collect WORKTREE}" in
collect)
    W=${2:?the experiment worktree}
    python3 - "$W" <<'PY'
import glob, json, os, sys
root = sys.argv[1]
for path in sorted(glob.glob(f'{root}/work_dirs/bench22/*/seed*/robustness.json')):
    row, seed = path.split('/')[-3], path.split('/')[-2]
    with open(path) as f:
        models = json.load(f)
    for scenarios in models.values():
        for result in scenarios.values():
            result.pop('splits', None)  # per-split details: the tables use the whole val set
    with open(f'raw/bench/{row}_{seed}.json', 'w') as f:
        json.dump(models, f)
    scenarios = next(iter(models.values()))
    for missing in ('drop', 'zero'):  # the 15-subset tables: EMM, missing dropped / zero-filled
        with open(f'raw/{row}_{seed}_{missing}.json', 'w') as f:
            json.dump(scenarios[f'emm_{missing}'], f)
    print(f'raw/bench/{row}_{seed}.json:', ', '.join(scenarios))
PY
    ;;
esac
