# Issue 22 runs, as executed from a git worktree at 1592301 (PYTHONPATH set to it):
#   bash run_robustseg.sh full 0 ; bash run_robustseg.sh hpdm 0 ; bash run_robustseg.sh full 1 ; bash run_robustseg.sh full 2
# run_robustseg.sh:
#!/usr/bin/env bash
# Issue 22, first data point: RobustSeg (HPDM + RRM) on the synthetic data with the issue-19
# Table 3 schedule (400 iterations, the same PML teacher) so that it sits beside those rows.
# Usage: bash run_robustseg.sh ROW SEED   (ROW: full | hpdm | rrm | zero-fill)
set -euo pipefail
W=$(pwd); PY=/work/main/.venv/bin/python
export PYTHONPATH=$W OMP_NUM_THREADS=1 MKL_NUM_THREADS=1
ROW=$1; SEED=$2; ITERS=400
TEACHER=/work/exp19/work_dirs/pml_segb0_synthetic/iter_600.pth
case $ROW in
  full) CFG=configs/synthetic/robustseg_segb0_synthetic.py ;;
  *) CFG=configs/synthetic/ablations/robustseg_segb0_synthetic_$ROW.py ;;
esac
WORK=work_dirs/robustseg/seed$SEED/$(basename $CFG .py)
OPTS=(randomness.seed=$SEED train_cfg.max_iters=$ITERS train_cfg.val_interval=$ITERS "param_scheduler.1.end=$ITERS" model.teacher.checkpoint=$TEACHER)
[[ -f $WORK/iter_$ITERS.pth ]] || $PY tools/train.py $CFG --work-dir $WORK --resume --cfg-options "${OPTS[@]}"
for m in drop zero; do
  [[ -f $WORK/anymodal-$m/anymodal.json ]] || $PY tools/test.py $CFG $WORK/iter_$ITERS.pth --work-dir $WORK/anymodal-$m --anymodal-out $WORK/anymodal-$m --model-name "RobustSeg ($ROW, $m)" --scenario emm_$m --cfg-options "${OPTS[@]}"
done
