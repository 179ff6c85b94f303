# RobustSeg student (B0) from the PML-B0 teacher on MUSES F/E/L: AnySeg's MUSES protocol,
# teacher and schedule (configs/anyseg/anyseg_segb0_muses.py), RobustSeg's losses.
_base_ = [
    '../_base_/models/anyseg_student_mit-b0.py', '../_base_/models/robustseg_distill_losses.py',
    '../_base_/datasets/muses_fel.py', '../_base_/default_runtime.py',
    '../_base_/schedules/schedule_18750_muses.py'
]
model = dict(
    data_preprocessor={{_base_.student_data_preprocessor}},
    student={{_base_.dataset_model}},
    teacher=dict(config='{{fileDirname}}/../pml/pml_segb0_muses.py',
                 checkpoint='work_dirs/pml_segb0_muses/iter_18750.pth'),
    distill_losses={{_base_.robustseg_losses}})
