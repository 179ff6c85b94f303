# AnySeg student on the synthetic DELIVER, distilled from the synthetic PML
# teacher (train configs/synthetic/pml_segb0_synthetic.py first).
_base_ = ['./pml_segb0_synthetic.py']
teacher = dict(config='configs/synthetic/pml_segb0_synthetic.py',
               checkpoint='work_dirs/pml_segb0_synthetic/iter_600.pth')
model = dict(
    _delete_=True,
    type='AnySegDistiller',
    data_preprocessor={{_base_.student_data_preprocessor}},
    student={{_base_.model}},
    teacher=teacher,
    mad_loss=dict(type='ModalityAgnosticDistillLoss', loss_weight=50.0),
    umd_loss=dict(type='UnimodalDistillLoss', loss_weight=5.0),
    cmd_loss=dict(type='CrossModalDistillLoss', loss_weight=10.0))
