#!/usr/bin/env bash
# Regenerates the tables and charts of this folder from raw/ (commands.sh collect):
#   table.{md,json,png}       15 subsets, missing modalities dropped (EMM drop), mean ± std
#   table_zero.{md,json,png}  the same with missing modalities zero-filled (EMM zero)
#   robustness.{md,png}       the sensor-failure benchmark (EMM, RMM, NM), seeds with all eight
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")"
ROOT=../../..
PY="${VIRTUAL_ENV:-$ROOT/.venv}/bin/python"
declare -A LABELS=(
    [sup]='L_sup'
    [anyseg]='AnySeg (L_sup + MAD + UMD + CMD)'
    [full]='RobustSeg (L_sup + MAD + HPDM + RRM)'
    [hpdm]='RobustSeg, HPDM only'
    [rrm]='RobustSeg, RRM only'
    [hpdm-released]='RobustSeg, HPDM only, released prototype scale'
)
ORDER=(sup anyseg full hpdm rrm hpdm-released)
for missing in drop zero; do
    rows=()
    for row in "${ORDER[@]}"; do
        ls raw/${row}_seed*_$missing.json >/dev/null 2>&1 &&
            rows+=(--row "${LABELS[$row]}=raw/${row}_seed*_$missing.json")
    done
    out=table; [[ $missing == zero ]] && out=table_zero
    "$PY" $ROOT/tools/analysis_tools/anymodal_seeds.py "${rows[@]}" --out $out
done
complete=()
for row in "${ORDER[@]}"; do
    for f in raw/bench/${row}_seed*.json; do
        [[ -f $f ]] && "$PY" -c "import json,sys; m=json.load(open(sys.argv[1])); \
sys.exit(len(next(iter(m.values()))) != 8)" "$f" && complete+=("$f")
    done
done
"$PY" $ROOT/tools/analysis_tools/robustness_benchmark.py --compare "${complete[@]}" --out robustness
