# CMNeXt-B2 on DELIVER with RGB, depth, event and LiDAR: the model of the DELIVER README
# (58.73 M parameters, 66.30 mIoU on its test protocol), on this project's data, schedule
# and anymodal evaluation.
_base_ = [
    '../_base_/models/cmnext_mit-b2.py', '../_base_/datasets/deliver_rdel.py',
    '../_base_/default_runtime.py', '../_base_/schedules/schedule_50k_deliver.py'
]
model = {{_base_.dataset_model}}
