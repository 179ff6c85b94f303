# Issue 21 runs, as executed (each from a git worktree at the commit named, PYTHONPATH set to it):
#   abstract-only MAGIC: worktree at 76b3240, 'bash run_magic.sh magic'
#   paper-summary MAGIC and its Table 7 students: worktree at e2c0053, 'bash run_magic.sh magic', then chain_students.sh (the student evaluation of run_magic.sh passed a stray argument; eval_students.sh evaluated them)
#   shared-MAM MAGIC: worktree at cadbc12, 'bash run_shared.sh'
# Teacher of the Table 7 students: that worktree's MAGIC, seed 0.
#!/usr/bin/env bash
# Issue 21 lanes. Usage: bash run_magic.sh LANE ; run from the worktree root (PYTHONPATH = it).
set -euo pipefail
W=$(pwd); PY=/work/main/.venv/bin/python
export PYTHONPATH=$W OMP_NUM_THREADS=1 MKL_NUM_THREADS=1
SYN=configs/synthetic
train() { # config workdir seed [extra cfg-options]
  local cfg=$1 work=$2 seed=$3; shift 3
  [[ -f $work/iter_600.pth ]] || $PY tools/train.py $cfg --work-dir $work --resume --cfg-options randomness.seed=$seed "$@"
}
evaluate() { # config ckpt outdir label missing [extra]
  local cfg=$1 ckpt=$2 out=$3 label=$4 missing=$5; shift 5
  [[ -f $out/anymodal.json ]] || $PY tools/test.py $cfg $ckpt --work-dir $out --anymodal-out $out --model-name "$label ($missing)" --scenario configs/_base_/robustness/emm_$missing.py "$@"
}
case $1 in
  magic)   # Table 2 row: MAGIC (this worktree's code), seed 0
    train $SYN/baselines/magic_segb0_synthetic.py work_dirs/magic_segb0_synthetic 0
    for m in drop zero; do evaluate $SYN/baselines/magic_segb0_synthetic.py work_dirs/magic_segb0_synthetic/iter_600.pth work_dirs/table2/magic-$m "MAGIC" $m; done ;;
  student) # Table 7 row: AnySeg student from this worktree's MAGIC teacher, seed $2
    S=$2; T=$W/work_dirs/magic_segb0_synthetic/iter_600.pth
    cfg=$SYN/ablations/anyseg_segb0_synthetic_teacher-magic.py
    train $cfg work_dirs/table7/seed$S $S model.teacher.checkpoint=$T
    evaluate $cfg work_dirs/table7/seed$S/iter_600.pth work_dirs/table7/seed$S/anymodal "MAGIC teacher, MAD + fused KD" drop model.teacher.checkpoint=$T ;;
esac
#!/usr/bin/env bash
# Start the Table 7 student lanes (seeds 0 and 1) once this worktree's MAGIC teacher exists.
while [[ ! -f work_dirs/magic_segb0_synthetic/iter_600.pth ]]; do sleep 10; done
sleep 5
bash run_magic.sh student 0 > work_dirs/lane_student0.log 2>&1 &
bash run_magic.sh student 1 > work_dirs/lane_student1.log 2>&1 &
wait
#!/usr/bin/env bash
set -euo pipefail
W=$(pwd); PY=/work/main/.venv/bin/python
export PYTHONPATH=$W OMP_NUM_THREADS=1 MKL_NUM_THREADS=1
cfg=configs/synthetic/ablations/anyseg_segb0_synthetic_teacher-magic.py
for S in 0 1; do
  out=work_dirs/table7/seed$S/anymodal
  [[ -f $out/anymodal.json ]] || $PY tools/test.py $cfg work_dirs/table7/seed$S/iter_600.pth --work-dir $out --anymodal-out $out --model-name "MAGIC teacher (paper summary), MAD + fused KD" --scenario emm_drop
done
#!/usr/bin/env bash
# Issue 21: MAGIC with the ASM through the inference MAM (shared_selection_mam), Table 2 row, seed 0.
set -euo pipefail
W=$(pwd); PY=/work/main/.venv/bin/python
export PYTHONPATH=$W OMP_NUM_THREADS=1 MKL_NUM_THREADS=1
CFG=configs/synthetic/ablations/magic_segb0_synthetic_shared-mam.py
WORK=work_dirs/magic_segb0_synthetic_shared-mam
[[ -f $WORK/iter_600.pth ]] || $PY tools/train.py $CFG --work-dir $WORK --resume --cfg-options randomness.seed=0
for m in drop zero; do
  [[ -f work_dirs/table2/magic-shared-$m/anymodal.json ]] || $PY tools/test.py $CFG $WORK/iter_600.pth --work-dir work_dirs/table2/magic-shared-$m --anymodal-out work_dirs/table2/magic-shared-$m --model-name "MAGIC, shared MAM ($m)" --scenario emm_$m
done
# The 'model' label of raw/table2/magic-{abstract,paper}-*.json was renamed after the runs (both were run as 'MAGIC').
