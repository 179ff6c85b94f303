#!/usr/bin/env bash
# The whole AnySeg story on the built-in synthetic DELIVER, on CPU:
#   1. install (tools/setup_env.sh)         5. L_sup: the same student with anymodal dropout alone
#   2. write the synthetic dataset          6. evaluate all three on the 15 modality subsets
#   3. train the PML teacher                7. compare (table + chart) and draw a figure
#   4. distil the AnySeg student from it
# Each stage is skipped when its output exists; --force redoes everything.
# Outputs: data/synthetic_deliver, work_dirs/{pml,anyseg}_segb0_synthetic,
# work_dirs/anymodal_segb0_synthetic_sup, work_dirs/quickstart.
set -euo pipefail
REPO_ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$REPO_ROOT"
FORCE=0
[[ "${1:-}" == "--force" ]] && FORCE=1

bash tools/setup_env.sh
PY="${VIRTUAL_ENV:-$REPO_ROOT/.venv}/bin/python"
DATA=data/synthetic_deliver
TEACHER_CFG=configs/synthetic/pml_segb0_synthetic.py
STUDENT_CFG=configs/synthetic/anyseg_segb0_synthetic.py
TEACHER_DIR=work_dirs/pml_segb0_synthetic
STUDENT_DIR=work_dirs/anyseg_segb0_synthetic
SUP_CFG=configs/synthetic/ablations/anymodal_segb0_synthetic_sup.py
SUP_DIR=work_dirs/anymodal_segb0_synthetic_sup
OUT=work_dirs/quickstart
ITERS=$("$PY" -c "from mmengine.config import Config; print(Config.fromfile('$TEACHER_CFG').train_cfg.max_iters)" 2>/dev/null)

stage() { printf '\n=== [%s] %s ===\n' "$(date +%H:%M:%S)" "$*"; }
needed() { [[ $FORCE == 1 || ! -e "$1" ]]; }

if [[ $FORCE == 1 ]]; then rm -rf "$DATA" "$TEACHER_DIR" "$STUDENT_DIR" "$SUP_DIR" "$OUT"; fi

stage "1/7 synthetic DELIVER -> $DATA"
if needed "$DATA/semantic"; then
    "$PY" tools/dataset_converters/make_synthetic_deliver.py "$DATA"
else echo "exists, skipped"; fi

stage "2/7 PML teacher ($TEACHER_CFG, $ITERS iterations)"
if needed "$TEACHER_DIR/iter_$ITERS.pth"; then
    "$PY" tools/train.py "$TEACHER_CFG" --work-dir "$TEACHER_DIR" --resume
else echo "exists, skipped"; fi

stage "3/7 AnySeg student distilled from the teacher ($STUDENT_CFG)"
if needed "$STUDENT_DIR/iter_$ITERS.pth"; then
    "$PY" tools/train.py "$STUDENT_CFG" --work-dir "$STUDENT_DIR" --resume \
        --cfg-options model.teacher.checkpoint="$TEACHER_DIR/iter_$ITERS.pth"
else echo "exists, skipped"; fi

stage "4/7 L_sup: the same student and schedule, anymodal dropout alone ($SUP_CFG)"
if needed "$SUP_DIR/iter_$ITERS.pth"; then
    "$PY" tools/train.py "$SUP_CFG" --work-dir "$SUP_DIR" --resume
else echo "exists, skipped"; fi

stage "5/7 evaluate all three on every modality subset (val split, as the authors evaluate)"
evaluate() {  # name, config, checkpoint, model name, extra test.py options
    if needed "$OUT/$1/anymodal.json"; then
        "$PY" tools/test.py "$2" "$3" --work-dir "$OUT/$1" --anymodal-out "$OUT/$1" \
            --model-name "$4" "${@:5}"
    else echo "$1: exists, skipped"; fi
}
evaluate teacher "$TEACHER_CFG" "$TEACHER_DIR/iter_$ITERS.pth" 'PML teacher (B0)'
evaluate student "$STUDENT_CFG" "$STUDENT_DIR/iter_$ITERS.pth" 'AnySeg student (B0)'
evaluate sup "$SUP_CFG" "$SUP_DIR/iter_$ITERS.pth" 'L_sup, dropout alone (B0)'

stage "6/7 teacher, L_sup and AnySeg (paper Table 2 layout)"
"$PY" tools/analysis_tools/anymodal_table.py "$OUT/teacher/anymodal.json" \
    "$OUT/sup/anymodal.json" "$OUT/student/anymodal.json" --out "$OUT/comparison"

stage "7/7 qualitative figure: one night frame, every subset"
FRAME=$(ls "$DATA"/img/night/test/*/*_rgb_front.png | head -n 1)
inputs=()
for m in rgb depth event lidar; do
    folder=$m; [[ $m == rgb ]] && folder=img
    inputs+=(--input "$m=$(echo "$FRAME" | sed "s#/img/#/$folder/#; s#_rgb_front#_${m}_front#")")
done
"$PY" tools/anymodal_demo.py "$STUDENT_CFG" "$STUDENT_DIR/iter_$ITERS.pth" "${inputs[@]}" \
    --label "$(echo "$FRAME" | sed 's#/img/#/semantic/#; s#_rgb_front#_semantic_front#')" \
    --all-subsets --out "$OUT/student_subsets.png"
printf '\nDone. Table: %s  Chart: %s  Figure: %s\n' "$OUT/comparison.md" "$OUT/comparison.png" \
    "$OUT/student_subsets.png"
printf '%s\n' "A 600-iteration CPU schedule compares undertrained models; the leaderboard with every" \
    "method at one longer budget and three seeds: docs/results/leaderboard/README.md"
