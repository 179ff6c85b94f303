# PML teacher on the synthetic DELIVER: trains on 2 CPU cores in minutes.
_base_ = [
    '../_base_/models/anymodal_segformer_mit-b0.py', '../_base_/datasets/synthetic_deliver.py',
    '../_base_/default_runtime.py', '../_base_/schedules/schedule_600_synthetic.py'
]
model = {{_base_.dataset_model}}
env_cfg = dict(cudnn_benchmark=False)
