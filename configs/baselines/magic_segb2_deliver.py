# MAGIC-B2 on DELIVER (RGB, depth, event, LiDAR), the size the AnySeg paper's MAGIC rows
# count (Table 14), with the PML teacher's data, schedule and anymodal evaluation.
_base_ = [
    '../_base_/models/magic_mit-b2.py', '../_base_/datasets/deliver_rdel.py',
    '../_base_/default_runtime.py', '../_base_/schedules/schedule_50k_deliver.py'
]
model = {{_base_.dataset_model}}
