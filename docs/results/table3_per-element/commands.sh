#!/usr/bin/env bash
# The exact commands behind docs/results/table3_per-element/ (issue 19): Table 3 at the
# per-element KL scale with eq. 5 CMD, 400 iterations for every row, on the synthetic DELIVER;
# the full loss from a 4x longer-trained teacher; the loss diagnostics. Lanes a and b ran side
# by side on the 2-core machine, one thread each, from a worktree at commit 7c0cb5d (its
# synthetic test pipeline resized to a short side of 128, a no-op on the 128x128 frames); the
# diagnostics ran with this commit's tool. The session's time ended the lanes where they are
# written here; README.md in this folder says which seeds each row has.
#   OMP_NUM_THREADS=1 bash docs/results/table3_per-element/commands.sh a
#   OMP_NUM_THREADS=1 bash docs/results/table3_per-element/commands.sh b
#   OMP_NUM_THREADS=1 bash docs/results/table3_per-element/commands.sh diagnose
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
case "${1:?lane a, b, diagnose or collect}" in
a)  # the quickstart (teacher and student, 600 iterations), then Table 3 rows
    bash tools/quickstart.sh
    main 0 "$TABLE3"
    main 0 cmd-bernoulli
    main 1 full
    ;;
b)  # the 4x teacher (2400 iterations, same config and seed) and its full-loss row, then more rows
    [[ -f "$T4" ]] || "$PY" tools/train.py configs/synthetic/pml_segb0_synthetic.py \
        --work-dir $W/teacher_x4 --resume --cfg-options train_cfg.max_iters=2400 \
        train_cfg.val_interval=2400 param_scheduler.1.end=2400
    [[ -f $W/teacher_x4/anymodal/anymodal.json ]] || "$PY" tools/test.py \
        configs/synthetic/pml_segb0_synthetic.py "$T4" --work-dir $W/teacher_x4 \
        --anymodal-out $W/teacher_x4/anymodal --model-name 'PML teacher (B0, 4x schedule)'
    x4 0
    main 2 sup
    main 2 full
    main 0 kl-sum
    main 1 sup
    ;;
diagnose)  # the loss diagnostics, with this repository's tool, on the teacher of lane a
    diagnose noise-floor --teacher-checkpoint "$T1" --student-from-teacher --keep-all
    diagnose initialised-student --teacher-checkpoint "$T1"
    diagnose trained-full_600it --teacher-checkpoint "$T1" \
        --student-checkpoint work_dirs/anyseg_segb0_synthetic/iter_600.pth
    "$PY" tools/analysis_tools/distill_diagnostics.py \
        configs/synthetic/ablations/anyseg_segb0_synthetic_cmd-bernoulli.py --batches 8 \
        --teacher-checkpoint "$T1" --out "$RAW/diagnostics/trained-cmd-bernoulli_400it.json" \
        --student-checkpoint $W/ablation/seed0/anyseg_segb0_synthetic_cmd-bernoulli/iter_400.pth
    ;;
collect)  # copy the small per-seed results and training logs into the repository
    cp work_dirs/quickstart/teacher/anymodal.json "$RAW/teacher.json"
    cp work_dirs/quickstart/student/anymodal.json "$RAW/quickstart_student.json"
    cp "$(ls -t work_dirs/anyseg_segb0_synthetic/*/vis_data/scalars.json | head -n 1)" \
        "$RAW/quickstart_student.scalars.json"
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
