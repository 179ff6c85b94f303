# AnySeg student on MUSES with all four sensors (frame, event, LiDAR, radar): the 15-subset
# anymodal table, distilled from ../pml/pml_segb0_muses_felr.py.
_base_ = [
    '../_base_/models/anyseg_student_mit-b0.py', '../_base_/datasets/muses_felr.py',
    '../_base_/default_runtime.py', '../_base_/schedules/schedule_18750_muses.py'
]
model = dict(
    data_preprocessor={{_base_.student_data_preprocessor}},
    student={{_base_.dataset_model}},
    teacher=dict(config='{{fileDirname}}/../pml/pml_segb0_muses_felr.py',
                 checkpoint='work_dirs/pml_segb0_muses_felr/iter_18750.pth'))
