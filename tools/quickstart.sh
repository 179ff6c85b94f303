#!/usr/bin/env bash
# The whole AnySeg story on the built-in synthetic DELIVER, on CPU:
#   1. install (tools/setup_env.sh)
#   2. write the synthetic dataset
#   3. train the PML teacher, distil the AnySeg student from it, train L_sup (the same student
#      with anymodal dropout alone) and score the three on the 15 modality subsets: the
#      benchmark harness on docs/results/quickstart/spec.py
#   4. put each beside the committed reference run of the same config and seed
#   5. compare the three (table + chart) and draw a figure
# A stage whose output exists is skipped and a killed training resumes; --force redoes all.
# Outputs: data/synthetic_deliver, work_dirs/benchmark/<run>/ (checkpoints, logs),
# work_dirs/quickstart/ (scores, tables, figures).
set -euo pipefail
REPO_ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$REPO_ROOT"
FORCE=0
[[ "${1:-}" == "--force" ]] && FORCE=1

bash tools/setup_env.sh
PY="${VIRTUAL_ENV:-$REPO_ROOT/.venv}/bin/python"
DATA=data/synthetic_deliver
SPEC=docs/results/quickstart/spec.py
STUDENT_CFG=configs/synthetic/anyseg_segb0_synthetic.py
OUT=work_dirs/quickstart
RUNS=(PML_teacher_600_it AnySeg_600_it L_sup_600_it)
TOLERANCE=1.0

stage() { printf '\n=== [%s] %s ===\n' "$(date +%H:%M:%S)" "$*"; }
needed() { [[ $FORCE == 1 || ! -e "$1" ]]; }
newest() { ls -dt "$@" | head -n 1; }  # the run of the current config if an older one is there

if [[ $FORCE == 1 ]]; then
    rm -rf "$DATA" "$OUT"
    for run in "${RUNS[@]}"; do rm -rf "work_dirs/benchmark/$run"; done
fi

stage "2/5 synthetic DELIVER -> $DATA"
if needed "$DATA/semantic"; then
    "$PY" tools/dataset_converters/make_synthetic_deliver.py "$DATA"
else echo "exists, skipped"; fi

stage "3/5 teacher, AnySeg student and L_sup, 600 iterations each, scored on every subset ($SPEC)"
"$PY" tools/benchmark/run.py "$SPEC" --raw "$OUT/raw" --out "$OUT/leaderboard" \
    --reference-raw docs/results/raw --tolerance "$TOLERANCE"

stage "4/5 your runs beside the committed reference runs (same configs and seed)"
cat "$OUT/leaderboard_reproduced.md"
printf '%s\n' "CPU training is deterministic on one machine and differs slightly between machines;" \
    "a difference of the mean within ±$TOLERANCE mIoU counts as reproduced."

stage "5/5 teacher, L_sup and AnySeg (paper Table 2 layout) and one night frame, every subset"
"$PY" tools/analysis_tools/anymodal_table.py \
    "$(newest "$OUT"/raw/PML_teacher_600_it/seed0-*/anymodal.json)" \
    "$(newest "$OUT"/raw/L_sup_600_it/seed0-*/anymodal.json)" \
    "$(newest "$OUT"/raw/AnySeg_600_it/seed0-*/anymodal.json)" --out "$OUT/comparison"
FRAME=$(ls "$DATA"/img/night/test/*/*_rgb_front.png | head -n 1)
inputs=()
for m in rgb depth event lidar; do
    folder=$m; [[ $m == rgb ]] && folder=img
    inputs+=(--input "$m=$(echo "$FRAME" | sed "s#/img/#/$folder/#; s#_rgb_front#_${m}_front#")")
done
STUDENT_CKPT=$(newest work_dirs/benchmark/AnySeg_600_it/seed0-*/iter_600.pth)
"$PY" tools/anymodal_demo.py "$STUDENT_CFG" "$STUDENT_CKPT" "${inputs[@]}" \
    --label "$(echo "$FRAME" | sed 's#/img/#/semantic/#; s#_rgb_front#_semantic_front#')" \
    --all-subsets --out "$OUT/student_subsets.png"
printf '\nDone. Tables: %s, %s  Chart: %s  Figure: %s\n' "$OUT/comparison.md" \
    "$OUT/leaderboard_reproduced.md" "$OUT/comparison.png" "$OUT/student_subsets.png"
printf '%s\n' "A 600-iteration CPU schedule compares undertrained models; the leaderboard with every" \
    "method at one longer budget and three seeds: docs/results/leaderboard/README.md" "" \
    "Switch sensors off and watch both models in your browser (http://127.0.0.1:7860):"
TEACHER_CKPT=$(newest work_dirs/benchmark/PML_teacher_600_it/seed0-*/iter_600.pth)
printf '  %s \\\n' "$PY tools/demo/anymodal_app.py $STUDENT_CFG $STUDENT_CKPT" \
    "--compare configs/synthetic/pml_segb0_synthetic.py $TEACHER_CKPT"
printf '  %s\n' "--anymodal-json $(newest "$OUT"/raw/AnySeg_600_it/seed0-*/anymodal.json)"
