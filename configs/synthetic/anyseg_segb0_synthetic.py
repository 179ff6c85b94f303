# AnySeg student on the synthetic DELIVER, distilled from the synthetic PML
# teacher (train configs/synthetic/pml_segb0_synthetic.py first).
_base_ = [
    '../_base_/models/anyseg_student_mit-b0.py', '../_base_/datasets/synthetic_deliver.py',
    '../_base_/default_runtime.py', '../_base_/schedules/schedule_600_synthetic.py'
]
model = dict(
    data_preprocessor={{_base_.student_data_preprocessor}},
    student={{_base_.dataset_model}},
    teacher=dict(config='{{fileDirname}}/pml_segb0_synthetic.py',
                 checkpoint='work_dirs/pml_segb0_synthetic/iter_600.pth'))
env_cfg = dict(cudnn_benchmark=False)
