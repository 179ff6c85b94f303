# SegFormer-B0 (MiT-B0 + SegFormer head) with the PML treatment of Sec. 3.1:
# one shared-weight MiT over all modalities, features averaged per stage.
# Modalities, normalisation and num_classes come from the dataset config;
# ImageNet MiT weights from a local file (README, "Pretrained weights"); OHEM
# cross-entropy as in the authors' config.
_base_ = ['mmseg::_base_/models/segformer_mit-b0.py']
model = dict(
    type='AnymodalEncoderDecoder',
    data_preprocessor=dict(_delete_=True, type='AnymodalDataPreProcessor'),
    backbone=dict(
        type='MultiModalMiT',
        init_cfg=dict(type='Pretrained', checkpoint='pretrained/mit_b0.pth')),
    decode_head=dict(sampler=dict(type='OHEMPixelSampler', thresh=0.7, min_kept=100000)),
    test_cfg=dict(mode='whole', subsets='all'))
