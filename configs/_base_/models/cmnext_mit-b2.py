# CMNeXt-B2, the model of the DELIVER README (RGB-D-E-L: 58.73 M parameters), with
# DELIVER's 512-channel SegFormer head for B2 and larger.
_base_ = ['./cmnext_mit-b0.py']
model = dict(
    backbone=dict(rgb_branch=dict(
        embed_dims=64,
        num_layers=[3, 4, 6, 3],
        init_cfg=dict(type='Pretrained', checkpoint='pretrained/mit_b2.pth'))),
    decode_head=dict(in_channels=[64, 128, 320, 512], channels=512))
