# AnySeg student on MUSES (paper Table 1): SegFormer-B0 distilled from the PML
# SegFormer-B0 teacher with frame, event and LiDAR.
_base_ = [
    '../_base_/models/anyseg_student_mit-b0.py', '../_base_/datasets/muses_fel.py',
    '../_base_/default_runtime.py', '../_base_/schedules/schedule_18750_muses.py'
]
model = dict(
    data_preprocessor={{_base_.student_data_preprocessor}},
    student={{_base_.dataset_model}},
    teacher=dict(config='{{fileDirname}}/../pml/pml_segb0_muses.py',
                 checkpoint='work_dirs/pml_segb0_muses/iter_18750.pth'))
