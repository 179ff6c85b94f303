# Recipe: L_sup + MAD + a supervised pass of the student on every present modality in every
# step (UMD and CMD off).
_base_ = ['../anyseg_segb0_synthetic.py', '../../_base_/models/recipe_distill_losses.py']
model = dict(
    distill_losses=dict(umd=None, cmd=None, full_path={{_base_.full_path}}),
    record_fields={{_base_.recipe_fields}})
