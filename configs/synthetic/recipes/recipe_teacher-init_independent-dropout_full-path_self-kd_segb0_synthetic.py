# Recipe: the teacher-initialised full-set path plus self-distillation from that full-set pass
# to the kept subset where it is right (self_kd; CCSD, arXiv 2511.14599; MMANet, CVPR 2023):
# the student's own full-set prediction, which starts as the teacher's, teaches its subsets.
# self_kd shares the full-set pass, so a step costs what the full-set path's does; no term
# reads the teacher, so no teacher pass runs. self_kd's weight is the from-scratch recipe's
# (recipe_self-kd_segb0_synthetic.py), untuned here. Needs a teacher of the student's
# architecture (here both are B0) for the start.
_base_ = ['./recipe_teacher-init_independent-dropout_full-path_segb0_synthetic.py']
model = dict(distill_losses=dict(self_kd={{_base_.self_kd}}))
