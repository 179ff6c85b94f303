# PML on MUSES with all four sensors (frame, event, LiDAR, radar) with SegFormer-B0.
_base_ = [
    '../_base_/models/anymodal_segformer_mit-b0.py', '../_base_/datasets/muses_felr.py',
    '../_base_/default_runtime.py', '../_base_/schedules/schedule_20k_muses.py'
]
model = dict(
    data_preprocessor={{_base_.anymodal_data_preprocessor}},
    backbone=dict(num_modalities={{_base_.num_modalities}}),
    decode_head=dict(num_classes={{_base_.num_classes}}))
