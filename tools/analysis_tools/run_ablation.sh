#!/usr/bin/env bash
# Table 3 and the anymodal-dropout ablation on the synthetic DELIVER, several seeds, one
# schedule for every row: train and evaluate each row once per seed, then print one table
# of mean ± std over the seeds per modality subset (and the PML teacher for reference).
#   [SEEDS="0 1 2"] [ITERS=600] [ROWS="sup mad ..."] bash tools/analysis_tools/run_ablation.sh
# Rows: sup (L_sup, size-uniform dropout per batch), mad, mad-umd, full (AnySeg, UMD and CMD as
# the released training loop computes them), umd-channel (full, eq. 4's channel-softmax UMD),
# paper-eqs (full, eqs. 4 and 5 as printed: the configs' earlier default),
# dropout-sample and dropout-subset (L_sup with the other draws), imagenet-norm (L_sup with
# ImageNet statistics for every modality), kl-sum (full loss, KL summed over channels as
# eqs. 4 and 6 read literally), cmd-bernoulli (full loss, Bernoulli-KL CMD);
# Table 7: teacher-cmnext, teacher-magic (their own teachers, from run_baselines.sh) and
# teacher-pml-fused (the PML teacher with their loss). Needs the synthetic data and teacher
# of tools/quickstart.sh.
# Outputs: work_dirs/ablation/seed<S>/<config>/anymodal/anymodal.json, work_dirs/ablation/table.*
set -euo pipefail
REPO_ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
cd "$REPO_ROOT"
PY="${VIRTUAL_ENV:-$REPO_ROOT/.venv}/bin/python"
SEEDS=${SEEDS:-0 1 2}
ITERS=${ITERS:-600}
ROWS=${ROWS:-sup mad mad-umd full dropout-sample dropout-subset imagenet-norm}
OUT=${OUT:-work_dirs/ablation}
TEACHER=${TEACHER:-work_dirs/pml_segb0_synthetic/iter_600.pth}
TEACHER_JSON=${TEACHER_JSON:-work_dirs/quickstart/teacher/anymodal.json}

A=configs/synthetic/ablations
declare -A CONFIGS=(
    [sup]=$A/anymodal_segb0_synthetic_sup.py
    [mad]=$A/anyseg_segb0_synthetic_mad.py
    [mad-umd]=$A/anyseg_segb0_synthetic_mad-umd.py
    [full]=configs/synthetic/anyseg_segb0_synthetic.py
    [umd-channel]=$A/anyseg_segb0_synthetic_umd-channel.py
    [paper-eqs]=$A/anyseg_segb0_synthetic_paper-eqs.py
    [dropout-sample]=$A/anymodal_segb0_synthetic_sup_dropout-sample.py
    [dropout-subset]=$A/anymodal_segb0_synthetic_sup_dropout-subset.py
    [imagenet-norm]=$A/anymodal_segb0_synthetic_sup_imagenet-norm.py
    [kl-sum]=$A/anyseg_segb0_synthetic_kl-sum.py
    [cmd-bernoulli]=$A/anyseg_segb0_synthetic_cmd-bernoulli.py
    [teacher-cmnext]=$A/anyseg_segb0_synthetic_teacher-cmnext.py
    [teacher-magic]=$A/anyseg_segb0_synthetic_teacher-magic.py
    [teacher-pml-fused]=$A/anyseg_segb0_synthetic_teacher-pml-fused.py
)
# Rows whose config names a teacher other than the PML one: TEACHER does not apply.
declare -A OWN_TEACHER=([teacher-cmnext]=1 [teacher-magic]=1)
declare -A LABELS=(
    [sup]='L_sup (size-uniform dropout per batch)'
    [mad]='L_sup + MAD'
    [mad-umd]='L_sup + MAD + UMD'
    [full]='L_sup + MAD + UMD + CMD (AnySeg, released losses)'
    [umd-channel]='AnySeg, eq. 4 UMD + released CMD'
    [paper-eqs]='AnySeg, eq. 4 UMD + eq. 5 CMD'
    [dropout-sample]='L_sup, size-uniform dropout per sample'
    [dropout-subset]='L_sup, dropout uniform over subsets'
    [imagenet-norm]='L_sup, ImageNet statistics for every modality'
    [kl-sum]='AnySeg, KL summed over channels (eqs. 4, 6 literal)'
    [cmd-bernoulli]='AnySeg, Bernoulli-KL CMD'
    [teacher-cmnext]='CMNeXt teacher, MAD + fused KD'
    [teacher-magic]='MAGIC teacher, MAD + fused KD'
    [teacher-pml-fused]='PML teacher, MAD + fused KD'
)
for row in $ROWS; do
    [[ -n "${CONFIGS[$row]:-}" ]] || { echo "unknown row $row; rows: ${!CONFIGS[*]}" >&2; exit 2; }
    if [[ "${CONFIGS[$row]}" == */anyseg_* && -z "${OWN_TEACHER[$row]:-}" && ! -f "$TEACHER" ]]; then
        echo "row $row needs the teacher $TEACHER: run bash tools/quickstart.sh first" >&2
        exit 1
    fi
done

for seed in $SEEDS; do
    for row in $ROWS; do
        cfg=${CONFIGS[$row]}
        work="$OUT/seed$seed/$(basename "$cfg" .py)"
        opts=(randomness.seed="$seed" train_cfg.max_iters="$ITERS" train_cfg.val_interval="$ITERS"
              "param_scheduler.1.end=$ITERS")
        [[ "$cfg" == */anyseg_* && -z "${OWN_TEACHER[$row]:-}" ]] &&
            opts+=(model.teacher.checkpoint="$TEACHER")
        printf '\n=== [%s] seed %s: %s (%s) ===\n' "$(date +%H:%M:%S)" "$seed" "${LABELS[$row]}" "$cfg"
        [[ -f "$work/iter_$ITERS.pth" ]] ||
            "$PY" tools/train.py "$cfg" --work-dir "$work" --resume --cfg-options "${opts[@]}"
        [[ -f "$work/anymodal/anymodal.json" ]] ||
            "$PY" tools/test.py "$cfg" "$work/iter_$ITERS.pth" --work-dir "$work" \
                --anymodal-out "$work/anymodal" --model-name "${LABELS[$row]}" \
                --cfg-options "${opts[@]}"
    done
done

rows=()
[[ -f "$TEACHER_JSON" ]] && rows+=(--row "PML teacher (B0)=$TEACHER_JSON")
for row in $ROWS; do
    rows+=(--row "${LABELS[$row]}=$OUT/seed*/$(basename "${CONFIGS[$row]}" .py)/anymodal/anymodal.json")
done
"$PY" tools/analysis_tools/anymodal_seeds.py "${rows[@]}" --out "$OUT/table"
