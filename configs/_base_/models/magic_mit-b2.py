# MAGIC-B2, the size of AnySeg's Table 14 (24.74 M parameters): MiT-B2 with the 256-wide
# SegFormer head.
_base_ = ['./magic_mit-b0.py']
model = dict(
    backbone=dict(
        embed_dims=64,
        num_layers=[3, 4, 6, 3],
        init_cfg=dict(type='Pretrained', checkpoint='pretrained/mit_b2.pth')),
    decode_head=dict(in_channels=[64, 128, 320, 512]))
