# SegFormer-B0 (MiT-B0 + SegFormer head) with the PML treatment of Sec. 3.1:
# one shared-weight MiT over all modalities, features averaged per stage.
# Modalities, normalisation and num_classes come from the dataset config.
_base_ = ['mmseg::_base_/models/segformer_mit-b0.py']
model = dict(
    type='AnymodalEncoderDecoder',
    data_preprocessor=dict(_delete_=True, type='AnymodalDataPreProcessor'),
    backbone=dict(type='MultiModalMiT'),
    test_cfg=dict(mode='whole', subsets='all'))
