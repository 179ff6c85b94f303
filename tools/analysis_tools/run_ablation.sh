#!/usr/bin/env bash
# Table 3 on the synthetic DELIVER: train and evaluate each loss combination,
# then print one table with all rows (and the PML teacher for reference). The
# last row is the full loss with UMD and MAD summed over channels (eqs. 4 and 6
# as written) instead of the authors' per-channel mean.
#   [ITERS=600] bash tools/analysis_tools/run_ablation.sh
# Needs the synthetic data and teacher of tools/quickstart.sh (run it first).
set -euo pipefail
REPO_ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
cd "$REPO_ROOT"
PY="${VIRTUAL_ENV:-$REPO_ROOT/.venv}/bin/python"
ITERS=${ITERS:-600}
OUT=work_dirs/ablation
TEACHER=work_dirs/pml_segb0_synthetic/iter_600.pth
[[ -f "$TEACHER" ]] || { echo "missing $TEACHER: run bash tools/quickstart.sh first" >&2; exit 1; }

declare -A CONFIGS=(
    ['L_sup']=configs/synthetic/ablations/anymodal_segb0_synthetic_sup.py
    ['L_sup + MAD']=configs/synthetic/ablations/anyseg_segb0_synthetic_mad.py
    ['L_sup + MAD + UMD']=configs/synthetic/ablations/anyseg_segb0_synthetic_mad-umd.py
    ['L_sup + MAD + UMD + CMD']=configs/synthetic/anyseg_segb0_synthetic.py
    ['same, KL summed over channels']=configs/synthetic/ablations/anyseg_segb0_synthetic_kl-sum.py
)
ORDER=('L_sup' 'L_sup + MAD' 'L_sup + MAD + UMD' 'L_sup + MAD + UMD + CMD'
       'same, KL summed over channels')
results=()
for name in "${ORDER[@]}"; do
    cfg=${CONFIGS[$name]}
    tag=$(basename "$cfg" .py)
    work="$OUT/$tag"
    # The quickstart has already trained the full-loss student on this schedule.
    if [[ "$tag" == anyseg_segb0_synthetic && "$ITERS" == 600 &&
          -f work_dirs/anyseg_segb0_synthetic/iter_600.pth ]]; then
        work=work_dirs/anyseg_segb0_synthetic
    fi
    opts=(train_cfg.max_iters="$ITERS" train_cfg.val_interval="$ITERS"
          "param_scheduler.1.end=$ITERS")
    [[ "$tag" == anyseg_* ]] && opts+=(model.teacher.checkpoint="$TEACHER")
    printf '\n=== [%s] %s (%s) ===\n' "$(date +%H:%M:%S)" "$name" "$cfg"
    [[ -f "$work/iter_$ITERS.pth" ]] ||
        "$PY" tools/train.py "$cfg" --work-dir "$work" --resume --cfg-options "${opts[@]}"
    [[ -f "$work/anymodal/anymodal.json" ]] ||
        "$PY" tools/test.py "$cfg" "$work/iter_$ITERS.pth" --work-dir "$work" \
            --anymodal-out "$work/anymodal" --model-name "$name" --cfg-options "${opts[@]}"
    results+=("$work/anymodal/anymodal.json")
done
teacher_json=work_dirs/quickstart/teacher/anymodal.json
[[ -f "$teacher_json" ]] && results=("$teacher_json" "${results[@]}")
"$PY" tools/analysis_tools/anymodal_table.py "${results[@]}" --out "$OUT/table3"
