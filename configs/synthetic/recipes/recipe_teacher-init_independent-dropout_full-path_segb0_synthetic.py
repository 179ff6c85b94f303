# Recipe: the teacher-initialised independent draw plus a supervised pass of the student on
# every present modality in every step (full path; CHARM, arXiv 2508.03060), the paper's MAD,
# UMD and CMD off: the full set, where the draw alone ends under its teacher, is trained in
# every step beside the dropped subset. No term reads the teacher, so no teacher pass runs; a
# step costs an L_sup step plus the student's full-set pass. Needs a teacher of the student's
# architecture (here both are B0) for the start.
# Train configs/synthetic/pml_segb0_synthetic.py first; the benchmark harness sets load_from
# and the teacher checkpoint to its teacher entry's (teacher= and init_from=).
_base_ = ['./recipe_independent-dropout_segb0_synthetic.py',
          '../../_base_/models/recipe_distill_losses.py']
model = dict(
    distill_losses=dict(mad=None, umd=None, cmd=None, full_path={{_base_.full_path}}),
    record_fields={{_base_.recipe_fields}})
load_from = 'work_dirs/pml_segb0_synthetic/iter_600.pth'
