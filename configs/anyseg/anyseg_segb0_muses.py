# AnySeg student on MUSES (paper Table 1): SegFormer-B0 distilled from the PML
# SegFormer-B0 teacher with frame, event and LiDAR.
_base_ = ['../pml/pml_segb0_muses.py']
teacher = dict(config='configs/pml/pml_segb0_muses.py',
               checkpoint='work_dirs/pml_segb0_muses/iter_18750.pth')
model = dict(
    _delete_=True,
    type='AnySegDistiller',
    data_preprocessor={{_base_.student_data_preprocessor}},
    student={{_base_.model}},
    teacher=teacher,
    mad_loss=dict(type='ModalityAgnosticDistillLoss', loss_weight=50.0),
    umd_loss=dict(type='UnimodalDistillLoss', loss_weight=5.0),
    cmd_loss=dict(type='CrossModalDistillLoss', loss_weight=10.0))
