# RobustSeg student (B0) from the synthetic PML teacher: the AnySeg student's data, teacher and
# CPU schedule (anyseg_segb0_synthetic.py), RobustSeg's losses at the released weights.
_base_ = [
    '../_base_/models/anyseg_student_mit-b0.py', '../_base_/models/robustseg_distill_losses.py',
    '../_base_/datasets/synthetic_deliver.py', '../_base_/default_runtime.py',
    '../_base_/schedules/schedule_600_synthetic.py'
]
model = dict(
    data_preprocessor={{_base_.student_data_preprocessor}},
    student={{_base_.dataset_model}},
    teacher=dict(config='{{fileDirname}}/pml_segb0_synthetic.py',
                 checkpoint='work_dirs/pml_segb0_synthetic/iter_600.pth'),
    distill_losses={{_base_.robustseg_losses}})
env_cfg = dict(cudnn_benchmark=False)
