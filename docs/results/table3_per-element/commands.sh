#!/usr/bin/env bash
# The exact commands behind docs/results/table3_per-element/ (issue 19): Table 3 at the
# per-element KL scale with eq. 5 CMD, three seeds, 400 iterations for every row, on the
# synthetic DELIVER; the same rows from a 4x longer-trained teacher; the loss diagnostics.
# Run from the repository root as two lanes on the 2-core machine (one thread each):
#   OMP_NUM_THREADS=1 bash docs/results/table3_per-element/commands.sh a
#   OMP_NUM_THREADS=1 bash docs/results/table3_per-element/commands.sh b
# then collect the raw results and regenerate the tables:
#   bash docs/results/table3_per-element/commands.sh collect
#   bash tools/analysis_tools/make_results.sh
set -euo pipefail
cd "$(dirname "$0")/../../.."
PY="${VIRTUAL_ENV:-$PWD/.venv}/bin/python"
W=work_dirs/issue19
RAW=docs/results/table3_per-element/raw
ROWS="sup mad mad-umd full cmd-bernoulli kl-sum"
T1=work_dirs/pml_segb0_synthetic/iter_600.pth
T4=$W/teacher_x4/iter_2400.pth
ablation() {  # seeds, rows, teacher, teacher json, out
    SEEDS="$1" ROWS="$2" TEACHER="$3" TEACHER_JSON="$4" OUT="$5" ITERS=400 \
        bash tools/analysis_tools/run_ablation.sh
}
diagnose() {  # name, extra options
    [[ -f "$RAW/diagnostics/$1.json" ]] || "$PY" tools/analysis_tools/distill_diagnostics.py \
        configs/synthetic/anyseg_segb0_synthetic.py --batches 8 --out "$RAW/diagnostics/$1.json" \
        "${@:2}"
}
mkdir -p "$RAW/diagnostics"
case "${1:?lane a, b or collect}" in
a)  # the quickstart (teacher and student, 600 iterations), then seeds 0 and 1 of every row
    bash tools/quickstart.sh
    diagnose noise-floor_cmd-literal --teacher-checkpoint "$T1" --student-from-teacher
    diagnose init_full --teacher-checkpoint "$T1"
    ablation "0 1" "$ROWS" "$T1" work_dirs/quickstart/teacher/anymodal.json $W/ablation
    ;;
b)  # the 4x teacher (2400 iterations, same config and seed) and its rows, then seed 2
    [[ -f "$T4" ]] || "$PY" tools/train.py configs/synthetic/pml_segb0_synthetic.py \
        --work-dir $W/teacher_x4 --resume --cfg-options train_cfg.max_iters=2400 \
        train_cfg.val_interval=2400 param_scheduler.1.end=2400
    [[ -f $W/teacher_x4/anymodal/anymodal.json ]] || "$PY" tools/test.py \
        configs/synthetic/pml_segb0_synthetic.py "$T4" --work-dir $W/teacher_x4 \
        --anymodal-out $W/teacher_x4/anymodal --model-name 'PML teacher (B0, 4x schedule)'
    ablation "0 1 2" "full" "$T4" $W/teacher_x4/anymodal/anymodal.json $W/ablation_x4
    ablation "2" "$ROWS" "$T1" work_dirs/quickstart/teacher/anymodal.json $W/ablation
    ablation "0 1 2" "mad" "$T4" $W/teacher_x4/anymodal/anymodal.json $W/ablation_x4
    ;;
collect)  # copy the small per-seed results into the repository
    cp work_dirs/quickstart/teacher/anymodal.json "$RAW/teacher.json"
    cp work_dirs/quickstart/student/anymodal.json "$RAW/quickstart_student.json"
    [[ -f $W/teacher_x4/anymodal/anymodal.json ]] &&
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
