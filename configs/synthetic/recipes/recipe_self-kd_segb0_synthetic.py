# Recipe: L_sup + the student's supervised full-set pass + self-distillation from it to the
# kept subset where it is right (no teacher term).
_base_ = ['../anyseg_segb0_synthetic.py', '../../_base_/models/recipe_distill_losses.py']
model = dict(
    distill_losses=dict(mad=None, umd=None, cmd=None, full_path={{_base_.full_path}},
                        self_kd={{_base_.self_kd}}),
    record_fields={{_base_.recipe_fields}})
