#!/usr/bin/env bash
# Regenerates table.{md,json,png} of this folder from raw/ and the issue-19 rows it sits beside
# (same teacher, 400 iterations, missing='drop').
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")"
ROOT=../../..
PY="${VIRTUAL_ENV:-$ROOT/.venv}/bin/python"
T3=../table3_per-element/raw/ablation
rows=(--row "L_sup=$T3/seed*/anymodal_segb0_synthetic_sup.json"
      --row "AnySeg (L_sup + MAD + UMD + CMD)=$T3/seed*/anyseg_segb0_synthetic.json"
      --row 'RobustSeg (L_sup + MAD + HPDM + RRM)=raw/robustseg_full_seed*_drop.json')
ls raw/robustseg_hpdm_seed*_drop.json >/dev/null 2>&1 &&
    rows+=(--row 'RobustSeg, HPDM only (L_sup + MAD + HPDM)=raw/robustseg_hpdm_seed*_drop.json')
"$PY" $ROOT/tools/analysis_tools/anymodal_seeds.py "${rows[@]}" --out table
