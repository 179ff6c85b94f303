# RobustSeg student (B0) from the PML-B2 teacher on DELIVER R/D/E/L: AnySeg's data protocol,
# teacher and schedule (configs/anyseg/anyseg_segb0_deliver.py), RobustSeg's losses. For the
# released run's own schedule (256x256 crops, batch 8, 200 epochs) see
# robustseg_segb0_deliver_released-schedule.py.
_base_ = [
    '../_base_/models/anyseg_student_mit-b0.py', '../_base_/models/robustseg_distill_losses.py',
    '../_base_/datasets/deliver_rdel.py', '../_base_/default_runtime.py',
    '../_base_/schedules/schedule_50k_deliver.py'
]
model = dict(
    data_preprocessor={{_base_.student_data_preprocessor}},
    student={{_base_.dataset_model}},
    teacher=dict(config='{{fileDirname}}/../pml/pml_segb2_deliver.py',
                 checkpoint='work_dirs/pml_segb2_deliver/iter_50000.pth'),
    distill_losses={{_base_.robustseg_losses}})
