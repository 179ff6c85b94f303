# PML teacher on the synthetic DELIVER: trains on 2 CPU cores in minutes.
_base_ = [
    '../_base_/models/anymodal_segformer_mit-b0.py', '../_base_/datasets/synthetic_deliver.py',
    '../_base_/default_runtime.py', '../_base_/schedules/schedule_synthetic.py'
]
norm_cfg = dict(type='BN', requires_grad=True)
model = dict(
    data_preprocessor={{_base_.anymodal_data_preprocessor}},
    backbone=dict(num_modalities={{_base_.num_modalities}}, init_cfg=None),
    decode_head=dict(num_classes={{_base_.num_classes}}, norm_cfg=norm_cfg))
env_cfg = dict(cudnn_benchmark=False)
# A fixed seed, so that the quickstart's figures in the README can be reproduced.
randomness = dict(seed=0)
