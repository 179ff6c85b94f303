# AnySeg student on MUSES with the authors' MUSES data protocol (see
# ../pml/pml_segb0_muses_authors-data.py), distilled from the teacher trained the same way.
_base_ = ['../pml/pml_segb0_muses_authors-data.py', '../_base_/models/anyseg_distill_losses.py']
teacher = dict(config='{{fileDirname}}/../pml/pml_segb0_muses_authors-data.py',
               checkpoint='work_dirs/pml_segb0_muses_authors-data/iter_18750.pth')
model = dict(
    _delete_=True,
    type='AnySegDistiller',
    data_preprocessor={{_base_.student_data_preprocessor}},
    student={{_base_.model}},
    teacher=teacher,
    distill_losses={{_base_.distill_losses}})
