#!/usr/bin/env bash
# The exact commands behind docs/results/table3_per-element/ (issue 19): Table 3 at the
# per-element KL scale with eq. 5 CMD, 400 iterations for every row, on the synthetic DELIVER;
# the full loss from a 4x longer-trained teacher; the loss diagnostics. They ran as two lanes
# on the 2-core machine, one thread each, from a worktree at commit 7c0cb5d, in this order
# (a session's time ran out before more seeds of the comparison rows):
#   OMP_NUM_THREADS=1 bash docs/results/table3_per-element/commands.sh a
#   OMP_NUM_THREADS=1 bash docs/results/table3_per-element/commands.sh b
# then the raw results were copied into the repository and the tables regenerated:
#   bash docs/results/table3_per-element/commands.sh collect
#   bash tools/analysis_tools/make_results.sh
set -euo pipefail
cd "$(dirname "$0")/../../.."
PY="${VIRTUAL_ENV:-$PWD/.venv}/bin/python"
W=work_dirs/issue19
RAW=docs/results/table3_per-element/raw
TABLE3="sup mad mad-umd full"
T1=work_dirs/pml_segb0_synthetic/iter_600.pth
T4=$W/teacher_x4/iter_2400.pth
ablation() {  # seeds, rows, teacher, teacher json, out
    SEEDS="$1" ROWS="$2" TEACHER="$3" TEACHER_JSON="$4" OUT="$5" ITERS=400 \
        bash tools/analysis_tools/run_ablation.sh
}
main() { ablation "$1" "$2" "$T1" work_dirs/quickstart/teacher/anymodal.json $W/ablation; }
x4() { ablation "$1" full "$T4" $W/teacher_x4/anymodal/anymodal.json $W/ablation_x4; }
diagnose() {  # name, options
    [[ -f "$RAW/diagnostics/$1.json" ]] || "$PY" tools/analysis_tools/distill_diagnostics.py \
        configs/synthetic/anyseg_segb0_synthetic.py --batches 8 --out "$RAW/diagnostics/$1.json" \
        "${@:2}"
}
mkdir -p "$RAW/diagnostics"
case "${1:?lane a, b or collect}" in
a)  # the quickstart (teacher and student, 600 iterations), diagnostics, Table 3 seeds 0 and 1
    bash tools/quickstart.sh
    diagnose noise-floor --teacher-checkpoint "$T1" --student-from-teacher
    diagnose initialised-student --teacher-checkpoint "$T1"
    main 0 "$TABLE3"
    main 1 "$TABLE3"
    main 0 cmd-bernoulli
    ;;
b)  # the 4x teacher (2400 iterations, same config and seed), its full-loss rows, Table 3 seed 2
    [[ -f "$T4" ]] || "$PY" tools/train.py configs/synthetic/pml_segb0_synthetic.py \
        --work-dir $W/teacher_x4 --resume --cfg-options train_cfg.max_iters=2400 \
        train_cfg.val_interval=2400 param_scheduler.1.end=2400
    [[ -f $W/teacher_x4/anymodal/anymodal.json ]] || "$PY" tools/test.py \
        configs/synthetic/pml_segb0_synthetic.py "$T4" --work-dir $W/teacher_x4 \
        --anymodal-out $W/teacher_x4/anymodal --model-name 'PML teacher (B0, 4x schedule)'
    x4 0
    main 2 "$TABLE3"
    x4 1
    main 0 kl-sum
    ;;
collect)  # copy the small per-seed results and training logs into the repository
    cp work_dirs/quickstart/teacher/anymodal.json "$RAW/teacher.json"
    cp work_dirs/quickstart/student/anymodal.json "$RAW/quickstart_student.json"
    cp $W/teacher_x4/anymodal/anymodal.json "$RAW/teacher_x4.json"
    for json in $W/ablation*/seed*/*/anymodal/anymodal.json; do
        run=$(dirname "$(dirname "$json")")
        dest="$RAW/$(basename "$(dirname "$(dirname "$run")")")/$(basename "$(dirname "$run")")"
        mkdir -p "$dest"
        cp "$json" "$dest/$(basename "$run").json"
        scalars=$(ls -t "$run"/*/vis_data/scalars.json 2>/dev/null | head -n 1)
        [[ -n "$scalars" ]] && cp "$scalars" "$dest/$(basename "$run").scalars.json"
    done
    ;;
esac
