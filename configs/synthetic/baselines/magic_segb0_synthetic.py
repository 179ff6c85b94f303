# MAGIC-B0 on the synthetic DELIVER, with the synthetic PML teacher's data, CPU schedule
# and seed (configs/synthetic/pml_segb0_synthetic.py).
_base_ = [
    '../../_base_/models/magic_mit-b0.py', '../../_base_/datasets/synthetic_deliver.py',
    '../../_base_/default_runtime.py', '../../_base_/schedules/schedule_600_synthetic.py'
]
model = {{_base_.dataset_model}}
env_cfg = dict(cudnn_benchmark=False)
