# AnySeg student on the synthetic DELIVER, distilled from the synthetic PML
# teacher (train configs/synthetic/pml_segb0_synthetic.py first).
_base_ = ['./pml_segb0_synthetic.py', '../_base_/models/anyseg_distill_losses.py']
teacher = dict(config='{{fileDirname}}/pml_segb0_synthetic.py',
               checkpoint='work_dirs/pml_segb0_synthetic/iter_600.pth')
model = dict(
    _delete_=True,
    type='AnySegDistiller',
    data_preprocessor={{_base_.student_data_preprocessor}},
    student={{_base_.model}},
    teacher=teacher,
    distill_losses={{_base_.distill_losses}})
