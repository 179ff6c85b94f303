# Recipe: L_sup + KD from the teacher on the student's subset where it is right + the
# student's supervised full-set pass.
_base_ = ['./recipe_subset-kd_segb0_synthetic.py']
model = dict(distill_losses=dict(full_path={{_base_.full_path}}))
