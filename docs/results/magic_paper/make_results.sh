#!/usr/bin/env bash
# Regenerates table2.{md,png} and table7.{md,json,png} of this folder from raw/.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")"
ROOT=../../..
PY="${VIRTUAL_ENV:-$ROOT/.venv}/bin/python"
R=raw/table2
rows=()
for name in magic-abstract magic-paper magic-paper-shared; do
    for m in drop zero; do [[ -f $R/$name-$m.json ]] && rows+=("$R/$name-$m.json"); done
done
"$PY" $ROOT/tools/analysis_tools/anymodal_table.py "${rows[@]}" --out table2
"$PY" $ROOT/tools/analysis_tools/anymodal_seeds.py \
    --row 'MAGIC teacher (paper summary), MAD + fused KD=raw/table7/seed*.json' --out table7
