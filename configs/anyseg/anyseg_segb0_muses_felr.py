# AnySeg student on MUSES with all four sensors (frame, event, LiDAR, radar): the 15-subset
# anymodal table, distilled from ../pml/pml_segb0_muses_felr.py.
_base_ = ['../pml/pml_segb0_muses_felr.py', '../_base_/models/anyseg_distill_losses.py']
teacher = dict(config='{{fileDirname}}/../pml/pml_segb0_muses_felr.py',
               checkpoint='work_dirs/pml_segb0_muses_felr/iter_18750.pth')
model = dict(
    _delete_=True,
    type='AnySegDistiller',
    data_preprocessor={{_base_.student_data_preprocessor}},
    student={{_base_.model}},
    teacher=teacher,
    distill_losses={{_base_.distill_losses}})
