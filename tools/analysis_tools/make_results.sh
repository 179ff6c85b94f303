#!/usr/bin/env bash
# Regenerates the result pages under docs/results/ and their figures from the raw per-seed
# JSON files committed beside them (no training, a few seconds):
#   bash tools/analysis_tools/make_results.sh
# Currently: docs/results/table3_per-element/ and docs/results/released_losses/ (raw files from
# their commands.sh). A row whose raw files are absent is left out.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/../.."
PY="${VIRTUAL_ENV:-$PWD/.venv}/bin/python"
D=docs/results/table3_per-element
R=$D/raw
S=anyseg_segb0_synthetic
rows=()
row() {  # label, glob: add a --row when the glob matches
    compgen -G "$2" >/dev/null && rows+=(--row "$1=$2") || echo "left out (no files): $1"
}
diagnostics_table() {  # raw diagnostics folder, output .md
"$PY" - "$1" "$2" <<'PYEOF'
import glob, json, os, sys
src, out = sys.argv[1:]
lines = ['| student | mode | entry | value | gradient norm (student backbone) | '
         'cos(gradient, CE gradient) |', '|---|---|---|---:|---:|---:|']
for path in sorted(glob.glob(os.path.join(src, '*.json'))):
    d = json.load(open(path))
    for mode, terms in d['results'].items():
        for term, r in terms.items():
            grad = (f"{r['grad_norm']:.4g} ± {r['grad_norm_std']:.2g}"
                    if not term.startswith('S_') else '')
            cos = (f"{r['cos_ce']:+.3f} ± {r['cos_ce_std']:.2f}"
                   if not term.startswith('S_') else '')
            lines.append(f"| {os.path.basename(path)[:-5]} | {mode} | {term} | "
                         f"{r['value']:.4g} ± {r['value_std']:.2g} | {grad} | {cos} |")
open(out, 'w').write('\n'.join(lines) + '\n')
print('\n'.join(lines))
PYEOF
}
main() { echo "$R/ablation/seed*/$1.json"; }
# The distilled variants, as label=config pairs, for the anymodal table and the loss table.
VARIANTS=("AnySeg (full loss)=$S" "AnySeg, Bernoulli-KL CMD=${S}_cmd-bernoulli"
          "AnySeg, KL summed over channels=${S}_kl-sum")
variants() {  # file suffix
    for v in "${VARIANTS[@]}"; do row "${v%%=*}" "$R/ablation/seed*/${v#*=}$1"; done
}

rows=()
row "PML teacher (B0, 600 it.)" "$R/teacher.json"
row "L_sup" "$(main anymodal_segb0_synthetic_sup)"
row "L_sup + MAD" "$(main ${S}_mad)"
row "L_sup + MAD + UMD" "$(main ${S}_mad-umd)"
variants .json
"$PY" tools/analysis_tools/anymodal_seeds.py "${rows[@]}" --out $D/table3
cp $D/table3.png docs/images/ablation_table3.png

rows=()
row "PML teacher (B0, 600 it.)" "$R/teacher.json"
row "PML teacher (B0, 2400 it.)" "$R/teacher_x4.json"
row "L_sup" "$(main anymodal_segb0_synthetic_sup)"
row "AnySeg, 600-it. teacher" "$(main $S)"
row "AnySeg, 2400-it. teacher" "$R/ablation_x4/seed*/$S.json"
"$PY" tools/analysis_tools/anymodal_seeds.py "${rows[@]}" --out $D/stronger_teacher

"$PY" tools/analysis_tools/anymodal_table.py $R/teacher.json $R/quickstart_student.json \
    --out $D/quickstart
cp $D/quickstart.png docs/images/quickstart_comparison.png

rows=()
row "AnySeg (full loss), 600 it." "$R/quickstart_student.scalars.json"
variants .scalars.json
"$PY" tools/analysis_tools/loss_magnitudes.py --iters 20 100 200 400 "${rows[@]}" \
    --out $D/loss_magnitudes

diagnostics_table "$R/diagnostics" "$D/diagnostics.md"
# docs/results/released_losses/: UMD and CMD as the released loop computes them.
# Rows whose configuration did not change read the committed raw files of table3_per-element.
D2=docs/results/released_losses
R2=$D2/raw
rows=()
row "PML teacher (B0, 600 it.)" "$R2/teacher.json"
row "L_sup" "$(main anymodal_segb0_synthetic_sup)"
row "L_sup + MAD" "docs/results/*/raw/ablation/seed*/${S}_mad.json"
row "L_sup + MAD + UMD (released)" "$R2/ablation/seed*/${S}_mad-umd.json"
row "AnySeg: released UMD + CMD (default)" "$R2/ablation/seed*/$S.json"
row "AnySeg: eq. 4 UMD + released CMD" "$R2/ablation/seed*/${S}_umd-channel.json"
row "AnySeg: eqs. 4 + 5 (previous default)" "$(main $S)"
"$PY" tools/analysis_tools/anymodal_seeds.py "${rows[@]}" --out $D2/table
rows=()
row "PML teacher (B0, 2400 it.)" "$R2/teacher_x4.json"
row "L_sup, 1600 it." "$R2/ablation_x4/seed*/anymodal_segb0_synthetic_sup.json"
row "AnySeg (default), 1600 it." "$R2/ablation_x4/seed*/$S.json"
row "AnySeg: eq. 4 UMD + released CMD, 1600 it." "$R2/ablation_x4/seed*/${S}_umd-channel.json"
"$PY" tools/analysis_tools/anymodal_seeds.py "${rows[@]}" --out $D2/stronger_teacher
rows=()
row "AnySeg (default), 400 it." "$R2/ablation/seed*/$S.scalars.json"
row "AnySeg: eq. 4 UMD + released CMD, 400 it." "$R2/ablation/seed*/${S}_umd-channel.scalars.json"
row "AnySeg: eqs. 4 + 5, 400 it." "$R/ablation/seed*/$S.scalars.json"
"$PY" tools/analysis_tools/loss_magnitudes.py --iters 20 100 200 400 "${rows[@]}" \
    --out $D2/loss_magnitudes
rows=()
row "AnySeg (default), 1600 it., 2400-it. teacher" "$R2/ablation_x4/seed*/$S.scalars.json"
row "AnySeg: eq. 4 UMD + released CMD, 1600 it." "$R2/ablation_x4/seed*/${S}_umd-channel.scalars.json"
[[ ${#rows[@]} -gt 0 ]] && "$PY" tools/analysis_tools/loss_magnitudes.py \
    --iters 20 400 800 1600 "${rows[@]}" --out $D2/loss_magnitudes_1600
diagnostics_table "$R2/diagnostics" "$D2/diagnostics.md"

echo "regenerated: $D/*.md, $D/*.png, $D2/*.md, $D2/*.png," \
    "docs/images/{ablation_table3,quickstart_comparison}.png"
