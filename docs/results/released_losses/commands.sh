#!/usr/bin/env bash
# The exact commands behind docs/results/released_losses/ (issue 27): AnySeg with UMD and CMD
# as the released training loop computes them (RobustSeg/RobustSeg, semseg/models/segformer/
# UMD.py and CMD.py), against L_sup and the paper's equations, on the synthetic DELIVER.
# Lanes a and b ran side by side on the 2-core machine, one thread each, from a worktree at a
# fixed commit (README.md in this folder names it), after writing the synthetic data
# (tools/dataset_converters/make_synthetic_deliver.py data/synthetic_deliver); the lanes were
# reordered once while running (each row's outputs are skipped when they exist) and the
# session's time ended them where README.md says:
#   OMP_NUM_THREADS=1 bash docs/results/released_losses/commands.sh a
#   OMP_NUM_THREADS=1 bash docs/results/released_losses/commands.sh b
#   bash docs/results/released_losses/commands.sh diagnose
# then the raw results were copied into the repository and the tables regenerated:
#   bash docs/results/released_losses/commands.sh collect
#   bash tools/analysis_tools/make_results.sh
# Rows whose configuration did not change keep their committed raw results
# (docs/results/table3_per-element/raw: L_sup seeds 0-2, MAD seed 0, eqs. 4 + 5 seeds 0-2).
set -euo pipefail
cd "$(dirname "$0")/../../.."
PY="${VIRTUAL_ENV:-$PWD/.venv}/bin/python"
W=work_dirs/issue27
RAW=docs/results/released_losses/raw
T1=work_dirs/pml_segb0_synthetic/iter_600.pth
T4=$W/teacher_x4/iter_2400.pth
ablation() {  # seeds, rows, iterations, teacher, teacher json, out
    SEEDS="$1" ROWS="$2" ITERS="$3" TEACHER="$4" TEACHER_JSON="$5" OUT="$6" \
        bash tools/analysis_tools/run_ablation.sh
}
main() { ablation "$1" "$2" 400 "$T1" work_dirs/quickstart/teacher/anymodal.json $W/ablation; }
x4() { ablation "$1" "$2" 1600 "$T4" $W/teacher_x4/anymodal/anymodal.json $W/ablation_x4; }
diagnose() {  # name, config, options
    [[ -f "$RAW/diagnostics/$1.json" ]] || "$PY" tools/analysis_tools/distill_diagnostics.py \
        "$2" --batches 8 --out "$RAW/diagnostics/$1.json" "${@:3}"
}
case "${1:?lane a, b, diagnose or collect}" in
a)  # the quickstart's teacher (600 iterations, seed 0), the new default's seed 0, L_sup at 1600
    # iterations, then the other 400-it rows
    [[ -f "$T1" ]] || "$PY" tools/train.py configs/synthetic/pml_segb0_synthetic.py \
        --work-dir work_dirs/pml_segb0_synthetic --resume
    [[ -f work_dirs/quickstart/teacher/anymodal.json ]] || "$PY" tools/test.py \
        configs/synthetic/pml_segb0_synthetic.py "$T1" --work-dir work_dirs/quickstart/teacher \
        --anymodal-out work_dirs/quickstart/teacher --model-name 'PML teacher (B0)'
    main 0 full
    x4 0 sup
    main 0 umd-channel
    main 1 "full umd-channel"
    main "0 1 2" mad-umd
    main "1 2" mad
    ;;
b)  # the 4x teacher (2400 iterations, same config and seed), the new default at 1600 iterations
    # distilled from it, then seed 2 of the 400-it rows, then the eq. 4 variant at 1600
    [[ -f "$T4" ]] || "$PY" tools/train.py configs/synthetic/pml_segb0_synthetic.py \
        --work-dir $W/teacher_x4 --resume --cfg-options train_cfg.max_iters=2400 \
        train_cfg.val_interval=2400 param_scheduler.1.end=2400
    [[ -f $W/teacher_x4/anymodal/anymodal.json ]] || "$PY" tools/test.py \
        configs/synthetic/pml_segb0_synthetic.py "$T4" --work-dir $W/teacher_x4 \
        --anymodal-out $W/teacher_x4/anymodal --model-name 'PML teacher (B0, 4x schedule)'
    x4 0 full
    main 2 "full umd-channel"
    x4 0 umd-channel
    x4 1 "full sup umd-channel"
    ;;
diagnose)  # the released CMD's value, gradient, cosine with CE's gradient and noise floor
    mkdir -p "$RAW/diagnostics"
    S=configs/synthetic/anyseg_segb0_synthetic.py
    diagnose noise-floor "$S" --teacher-checkpoint "$T1" --student-from-teacher --keep-all
    diagnose initialised-student "$S" --teacher-checkpoint "$T1"
    diagnose trained-full_400it "$S" --teacher-checkpoint "$T1" \
        --student-checkpoint $W/ablation/seed0/anyseg_segb0_synthetic/iter_400.pth
    diagnose trained-full_1600it_x4 "$S" --teacher-checkpoint "$T4" \
        --student-checkpoint $W/ablation_x4/seed0/anyseg_segb0_synthetic/iter_1600.pth
    ;;
collect)  # copy the small per-seed results and training logs into the repository
    mkdir -p "$RAW"
    cp work_dirs/quickstart/teacher/anymodal.json "$RAW/teacher.json"
    [[ -f $W/teacher_x4/anymodal/anymodal.json ]] && cp $W/teacher_x4/anymodal/anymodal.json "$RAW/teacher_x4.json"
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
