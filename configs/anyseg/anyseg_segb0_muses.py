# AnySeg student on MUSES (paper Table 1): SegFormer-B0 distilled from the PML
# SegFormer-B0 teacher with frame, event and LiDAR.
_base_ = ['../pml/pml_segb0_muses.py', '../_base_/models/anyseg_distill_losses.py']
teacher = dict(config='{{fileDirname}}/../pml/pml_segb0_muses.py',
               checkpoint='work_dirs/pml_segb0_muses/iter_18750.pth')
model = dict(
    _delete_=True,
    type='AnySegDistiller',
    data_preprocessor={{_base_.student_data_preprocessor}},
    student={{_base_.model}},
    teacher=teacher,
    distill_losses={{_base_.distill_losses}})
