# AnySeg student on DELIVER (paper Table 2): SegFormer-B0 distilled from the
# PML SegFormer-B2 teacher, anymodal dropout, L = CE + 50 MAD + 5 UMD + 10 CMD.
_base_ = [
    '../_base_/models/anyseg_student_mit-b0.py', '../_base_/datasets/deliver_rdel.py',
    '../_base_/default_runtime.py', '../_base_/schedules/schedule_50k_deliver.py'
]
model = dict(
    data_preprocessor={{_base_.student_data_preprocessor}},
    student={{_base_.dataset_model}},
    teacher=dict(config='{{fileDirname}}/../pml/pml_segb2_deliver.py',
                 checkpoint='work_dirs/pml_segb2_deliver/iter_50000.pth'))
