# SegFormer-B0 (MiT-B0 + SegFormer head) with the PML treatment of Sec. 3.1:
# one shared-weight MiT over all modalities, features averaged per stage.
# Modalities, normalisation and num_classes come from the dataset config;
# ImageNet MiT weights from a local file (README, "Pretrained weights").
# Supervised loss: the authors' OHEM cross-entropy (LOSS.NAME: OhemCrossEntropy in
# zhengxuJosh/AnySeg/configs/*.yaml; jamycheung/DELIVER, semseg/losses.py), the mean CE
# over hard pixels only. mmseg's OHEMPixelSampler + CrossEntropyLoss averages over all
# pixels instead (docs/paper_vs_code.md).
# Decode head: the official SegFormer head that the authors' Seg uses (zhengxuJosh/AnySeg,
# semseg/models/segformer/seghead.py: linear stage projections, stages concatenated deepest
# first), 256 wide for B0 as in official SegFormer and the paper's 3.72 M (Table 14); the
# authors' Seg defaults to embedding_dim=768 (ablations/*_head768.py).
_base_ = ['mmseg::_base_/models/segformer_mit-b0.py']
model = dict(
    type='AnymodalEncoderDecoder',
    data_preprocessor=dict(_delete_=True, type='AnymodalDataPreProcessor'),
    backbone=dict(
        type='MultiModalMiT',
        init_cfg=dict(type='Pretrained', checkpoint='pretrained/mit_b0.pth')),
    decode_head=dict(
        type='SegformerLinearHead',
        channels=256,
        loss_decode=dict(_delete_=True, type='OhemCrossEntropyLoss', thresh=0.7,
                         min_kept_ratio=1 / 16)),
    test_cfg=dict(mode='whole', subsets='all'))
