# AnySeg student on DELIVER (paper Table 2): SegFormer-B0 distilled from the
# PML SegFormer-B2 teacher, anymodal dropout, L = CE + 50 MAD + 5 UMD + 10 CMD.
_base_ = ['../pml/pml_segb0_deliver.py', '../_base_/models/anyseg_distill_losses.py']
teacher = dict(config='{{fileDirname}}/../pml/pml_segb2_deliver.py',
               checkpoint='work_dirs/pml_segb2_deliver/iter_50000.pth')
model = dict(
    _delete_=True,
    type='AnySegDistiller',
    data_preprocessor={{_base_.student_data_preprocessor}},
    student={{_base_.model}},
    teacher=teacher,
    distill_losses={{_base_.distill_losses}})
