# Recipe: L_sup + KD from the teacher decoded on the student's own subset, where it is right
# (the paper's MAD, UMD and CMD off).
_base_ = ['../anyseg_segb0_synthetic.py', '../../_base_/models/recipe_distill_losses.py']
model = dict(
    distill_losses=dict(mad=None, umd=None, cmd=None, subset_kd={{_base_.subset_kd}}),
    record_fields={{_base_.recipe_fields}})
