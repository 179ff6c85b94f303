# PML teacher of the paper on DELIVER: SegFormer-B2, all four modalities,
# OHEM cross-entropy, ImageNet MiT-B2 from pretrained/mit_b2.pth.
_base_ = [
    '../_base_/models/anymodal_segformer_mit-b2.py', '../_base_/datasets/deliver_rdel.py',
    '../_base_/default_runtime.py', '../_base_/schedules/schedule_50k_deliver.py'
]
model = {{_base_.dataset_model}}
