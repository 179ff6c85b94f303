# Recipe: the teacher-initialised independent draw plus KD from the teacher decoded on the
# student's own kept subset where it is right (subset KD), the paper's MAD, UMD and CMD off:
# the start keeps the teacher's strength, the KD term anchors each subset (the full set
# first of all) to what the teacher predicts on it. Needs a teacher of the student's
# architecture (here both are B0), kept frozen in training for the KD term.
# Train configs/synthetic/pml_segb0_synthetic.py first; the benchmark harness sets load_from
# and the teacher checkpoint to its teacher entry's (teacher= and init_from=).
_base_ = ['./recipe_independent-dropout_segb0_synthetic.py',
          '../../_base_/models/recipe_distill_losses.py']
model = dict(
    distill_losses=dict(mad=None, umd=None, cmd=None, subset_kd={{_base_.subset_kd}}),
    record_fields={{_base_.recipe_fields}})
load_from = 'work_dirs/pml_segb0_synthetic/iter_600.pth'
