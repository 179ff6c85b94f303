# AnySeg student on MUSES with the authors' MUSES data protocol (see
# ../pml/pml_segb0_muses_authors-data.py), distilled from the teacher trained the same way.
_base_ = [
    '../_base_/models/anyseg_student_mit-b0.py', '../_base_/datasets/muses_fel_authors.py',
    '../_base_/default_runtime.py', '../_base_/schedules/schedule_18750_muses.py'
]
model = dict(
    data_preprocessor={{_base_.student_data_preprocessor}},
    student={{_base_.dataset_model}},
    teacher=dict(config='{{fileDirname}}/../pml/pml_segb0_muses_authors-data.py',
                 checkpoint='work_dirs/pml_segb0_muses_authors-data/iter_18750.pth'))
