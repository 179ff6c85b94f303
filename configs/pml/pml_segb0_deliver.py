# PML on DELIVER with SegFormer-B0 (the student's architecture).
_base_ = [
    '../_base_/models/anymodal_segformer_mit-b0.py', '../_base_/datasets/deliver_rdel.py',
    '../_base_/default_runtime.py', '../_base_/schedules/schedule_50k_deliver.py'
]
model = {{_base_.dataset_model}}
