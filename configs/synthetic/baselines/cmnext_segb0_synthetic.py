# CMNeXt-B0 on the synthetic DELIVER, with the synthetic PML teacher's data, CPU schedule
# and seed (configs/synthetic/pml_segb0_synthetic.py).
_base_ = [
    '../../_base_/models/cmnext_mit-b0.py', '../../_base_/datasets/synthetic_deliver.py',
    '../../_base_/default_runtime.py', '../../_base_/schedules/schedule_600_synthetic.py'
]
model = dict(
    data_preprocessor={{_base_.anymodal_data_preprocessor}},
    backbone=dict(num_modalities={{_base_.num_modalities}}, rgb_branch=dict(init_cfg=None)),
    decode_head=dict(num_classes={{_base_.num_classes}},
                     norm_cfg={{_base_.dataset_model.decode_head.norm_cfg}}))
env_cfg = dict(cudnn_benchmark=False)
