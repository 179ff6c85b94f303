# SegFormer-B2 with PML: the paper's DELIVER teacher.
_base_ = ['./anymodal_segformer_mit-b0.py']
model = dict(
    backbone=dict(
        embed_dims=64,
        num_layers=[3, 4, 6, 3],
        init_cfg=dict(type='Pretrained', checkpoint='pretrained/mit_b2.pth')),
    decode_head=dict(in_channels=[64, 128, 320, 512], channels=768))
