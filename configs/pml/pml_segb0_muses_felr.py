# PML on MUSES with all four sensors (frame, event, LiDAR, radar) with SegFormer-B0.
_base_ = [
    '../_base_/models/anymodal_segformer_mit-b0.py', '../_base_/datasets/muses_felr.py',
    '../_base_/default_runtime.py', '../_base_/schedules/schedule_18750_muses.py'
]
model = {{_base_.dataset_model}}
