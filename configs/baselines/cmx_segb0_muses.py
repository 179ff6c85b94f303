# CMX-B0 on MUSES (frame, event, LiDAR; paper Table 1), with the PML teacher's data, schedule
# and anymodal evaluation.
_base_ = [
    '../_base_/models/cmx_mit-b0.py', '../_base_/datasets/muses_fel.py',
    '../_base_/default_runtime.py', '../_base_/schedules/schedule_18750_muses.py'
]
model = {{_base_.dataset_model}}
