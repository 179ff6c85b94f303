# PML on DELIVER with SegFormer-B0 under mmseg's data protocol instead of the authors'
# (configs/_base_/datasets/deliver_rdel_mmseg.py, docs/paper_vs_code.md): ImageNet statistics
# for every modality, PhotoMetricDistortion on RGB, nearest resizing of event and LiDAR,
# category-balanced crops, absent classes skipped in the mean IoU.
_base_ = [
    '../_base_/models/anymodal_segformer_mit-b0.py', '../_base_/datasets/deliver_rdel_mmseg.py',
    '../_base_/default_runtime.py', '../_base_/schedules/schedule_50k_deliver.py'
]
model = {{_base_.dataset_model}}
