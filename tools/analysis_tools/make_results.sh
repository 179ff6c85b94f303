#!/usr/bin/env bash
# Regenerates the result pages under docs/results/ and their figures from the raw per-seed
# JSON files committed beside them (no training, a few seconds):
#   bash tools/analysis_tools/make_results.sh
# Currently: docs/results/table3_per-element/ (issue 19; raw files from its commands.sh).
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/../.."
PY="${VIRTUAL_ENV:-$PWD/.venv}/bin/python"
D=docs/results/table3_per-element
R=$D/raw
S=anyseg_segb0_synthetic
run() { echo "$R/$1/seed*/$2.json"; }

rows=(--row "PML teacher (B0, 600 it.)=$R/teacher.json"
      --row "L_sup=$(run ablation anymodal_segb0_synthetic_sup)"
      --row "L_sup + MAD=$(run ablation ${S}_mad)"
      --row "L_sup + MAD + UMD=$(run ablation ${S}_mad-umd)"
      --row "AnySeg (full loss)=$(run ablation $S)"
      --row "AnySeg, Bernoulli-KL CMD=$(run ablation ${S}_cmd-bernoulli)"
      --row "AnySeg, KL summed over channels=$(run ablation ${S}_kl-sum)")
"$PY" tools/analysis_tools/anymodal_seeds.py "${rows[@]}" --out $D/table3
cp $D/table3.png docs/images/ablation_table3.png

rows=(--row "PML teacher (B0, 600 it.)=$R/teacher.json"
      --row "PML teacher (B0, 2400 it.)=$R/teacher_x4.json"
      --row "L_sup=$(run ablation anymodal_segb0_synthetic_sup)"
      --row "AnySeg, 600-it. teacher=$(run ablation $S)"
      --row "AnySeg, 2400-it. teacher=$(run ablation_x4 $S)")
ls $(run ablation_x4 ${S}_mad) >/dev/null 2>&1 && rows+=(
      --row "L_sup + MAD, 600-it. teacher=$(run ablation ${S}_mad)"
      --row "L_sup + MAD, 2400-it. teacher=$(run ablation_x4 ${S}_mad)")
"$PY" tools/analysis_tools/anymodal_seeds.py "${rows[@]}" --out $D/stronger_teacher

"$PY" tools/analysis_tools/anymodal_table.py $R/teacher.json $R/quickstart_student.json \
    --out $D/quickstart
cp $D/quickstart.png docs/images/quickstart_comparison.png

scalars() { echo "$R/$1/seed*/$2.scalars.json"; }
"$PY" tools/analysis_tools/loss_magnitudes.py --iters 20 100 200 400 \
    --row "AnySeg (full loss)=$(scalars ablation $S)" \
    --row "AnySeg, Bernoulli-KL CMD=$(scalars ablation ${S}_cmd-bernoulli)" \
    --row "AnySeg, KL summed over channels=$(scalars ablation ${S}_kl-sum)" \
    --out $D/loss_magnitudes

"$PY" - "$R/diagnostics" "$D/diagnostics.md" <<'PYEOF'
import glob, json, os, sys
src, out = sys.argv[1:]
lines = ['| student | mode | term | weighted value | gradient norm (backbone) | cos(gradient, CE gradient) |',
         '|---|---|---|---:|---:|---:|']
for path in sorted(glob.glob(os.path.join(src, '*.json'))):
    d = json.load(open(path))
    for mode, terms in d['results'].items():
        for term, r in terms.items():
            lines.append(f"| {os.path.basename(path)[:-5]} ({d['student']}) | {mode} | {term} | "
                         f"{r['value']:.4g} ± {r['value_std']:.2g} | "
                         f"{r['grad_norm']:.4g} ± {r['grad_norm_std']:.2g} | "
                         f"{r['cos_ce']:+.3f} ± {r['cos_ce_std']:.2f} |")
open(out, 'w').write('\n'.join(lines) + '\n')
print('\n'.join(lines))
PYEOF
echo "regenerated: $D/*.md, $D/*.png, docs/images/{ablation_table3,quickstart_comparison}.png"
