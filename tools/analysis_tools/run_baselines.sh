#!/usr/bin/env bash
# The paper's baselines under one anymodal protocol, on the synthetic DELIVER (CPU):
# CMNeXt, CMX, MAGIC, the PML teacher, the L_sup student (anymodal dropout, no teacher) and
# the AnySeg student, same schedule (configs/_base_/schedules/schedule_600_synthetic.py) and
# seed, each scored on the 15 modality subsets with missing='drop' and 'zero' (fixed-branch
# CMNeXt and CMX: 'zero' only). Then paper Table 7: the AnySeg student distilled from a
# CMNeXt, a MAGIC and the PML teacher.
#   SEED=0 OUT=work_dirs/baselines bash tools/analysis_tools/run_baselines.sh
# A run whose last checkpoint exists is skipped (--resume continues a killed one), as is an
# evaluation whose JSON exists. Outputs: $OUT/table2.{md,png}, $OUT/table7.{md,png}.
set -euo pipefail
REPO_ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
cd "$REPO_ROOT"
PY="${VIRTUAL_ENV:-$REPO_ROOT/.venv}/bin/python"
SEED=${SEED:-0}
OUT=${OUT:-work_dirs/baselines}
SYN=configs/synthetic
ITERS=$("$PY" -c "from mmengine.config import Config; print(Config.fromfile('$SYN/pml_segb0_synthetic.py').train_cfg.max_iters)" 2>/dev/null)

stage() { printf '\n=== [%s] %s ===\n' "$(date +%H:%M:%S)" "$*"; }

train() {  # config; trains into work_dirs/<config name>
    local name; name=$(basename "$1" .py)
    if [[ -e "work_dirs/$name/iter_$ITERS.pth" ]]; then echo "$name: trained, skipped"; return; fi
    stage "train $name"
    "$PY" tools/train.py "$1" --work-dir "work_dirs/$name" --resume \
        --cfg-options randomness.seed="$SEED"
}

evaluate() {  # config, label, missing convention (drop|zero)
    local name; name=$(basename "$1" .py)
    local dir="$OUT/$name-$3"
    if [[ -e "$dir/anymodal.json" ]]; then echo "$name ($3): evaluated, skipped"; return; fi
    stage "evaluate $name, missing=$3"
    "$PY" tools/test.py "$1" "work_dirs/$name/iter_$ITERS.pth" --work-dir "$dir" \
        --anymodal-out "$dir" --model-name "$2 ($3)" \
        --scenario "configs/_base_/robustness/emm_$3.py"
}

[[ -e data/synthetic_deliver/semantic ]] || \
    "$PY" tools/dataset_converters/make_synthetic_deliver.py data/synthetic_deliver

TEACHERS=("$SYN/pml_segb0_synthetic.py" "$SYN/baselines/cmnext_segb0_synthetic.py"
          "$SYN/baselines/magic_segb0_synthetic.py")
for config in "${TEACHERS[@]}" "$SYN/baselines/cmx_segb0_synthetic.py" \
        "$SYN/ablations/anymodal_segb0_synthetic_sup.py" "$SYN/anyseg_segb0_synthetic.py" \
        "$SYN/ablations/anyseg_segb0_synthetic_teacher-cmnext.py" \
        "$SYN/ablations/anyseg_segb0_synthetic_teacher-magic.py"; do
    train "$config"
done

evaluate "$SYN/baselines/cmx_segb0_synthetic.py" 'CMX' zero
evaluate "$SYN/baselines/cmnext_segb0_synthetic.py" 'CMNeXt' zero
for missing in drop zero; do
    evaluate "$SYN/baselines/magic_segb0_synthetic.py" 'MAGIC' "$missing"
    evaluate "$SYN/pml_segb0_synthetic.py" 'PML teacher' "$missing"
    evaluate "$SYN/ablations/anymodal_segb0_synthetic_sup.py" 'L_sup student' "$missing"
    evaluate "$SYN/anyseg_segb0_synthetic.py" 'AnySeg student' "$missing"
done
evaluate "$SYN/ablations/anyseg_segb0_synthetic_teacher-cmnext.py" 'AnySeg, CMNeXt teacher' drop
evaluate "$SYN/ablations/anyseg_segb0_synthetic_teacher-magic.py" 'AnySeg, MAGIC teacher' drop

stage "tables"
json() { for n in "$@"; do printf '%s/%s/anymodal.json ' "$OUT" "$n"; done; }
# shellcheck disable=SC2046
"$PY" tools/analysis_tools/anymodal_table.py $(json cmx_segb0_synthetic-zero \
    cmnext_segb0_synthetic-zero magic_segb0_synthetic-drop magic_segb0_synthetic-zero \
    pml_segb0_synthetic-drop pml_segb0_synthetic-zero anymodal_segb0_synthetic_sup-drop \
    anymodal_segb0_synthetic_sup-zero anyseg_segb0_synthetic-drop \
    anyseg_segb0_synthetic-zero) --out "$OUT/table2"
# shellcheck disable=SC2046
"$PY" tools/analysis_tools/anymodal_table.py $(json \
    anyseg_segb0_synthetic_teacher-magic-drop anyseg_segb0_synthetic_teacher-cmnext-drop \
    anyseg_segb0_synthetic-drop) --out "$OUT/table7"
