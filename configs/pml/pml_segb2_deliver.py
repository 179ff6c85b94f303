# PML teacher of the paper on DELIVER: SegFormer-B2, all four modalities,
# OHEM cross-entropy. ImageNet MiT-B2 weights are read from a local file
# (see README, "Pretrained weights").
_base_ = [
    '../_base_/models/anymodal_segformer_mit-b2.py', '../_base_/datasets/deliver_rdel.py',
    '../_base_/default_runtime.py', '../_base_/schedules/schedule_50k_deliver.py'
]
model = dict(
    data_preprocessor={{_base_.anymodal_data_preprocessor}},
    backbone=dict(
        num_modalities={{_base_.num_modalities}},
        init_cfg=dict(type='Pretrained', checkpoint='pretrained/mit_b2.pth')),
    decode_head=dict(
        num_classes={{_base_.num_classes}},
        sampler=dict(type='OHEMPixelSampler', thresh=0.7, min_kept=100000)))
