# PML teacher of SegFormer-B2 size on the synthetic DELIVER: the wider teacher of the paper's
# B2 -> B0 setting, from random weights like the B0 synthetic teacher.
_base_ = [
    '../_base_/models/anymodal_segformer_mit-b2.py', '../_base_/datasets/synthetic_deliver.py',
    '../_base_/default_runtime.py', '../_base_/schedules/schedule_600_synthetic.py'
]
model = {{_base_.dataset_model}}
env_cfg = dict(cudnn_benchmark=False)
