# MAGIC-B2: MiT-B2 with the 256-wide SegFormer head and a MAM per stage, 26.27 M parameters
# (AnySeg's Table 14 lists 24.74 M, which MiT-B2 and the head alone make; see configs/baselines/README.md).
_base_ = ['./magic_mit-b0.py']
model = dict(
    backbone=dict(
        embed_dims=64,
        num_layers=[3, 4, 6, 3],
        init_cfg=dict(type='Pretrained', checkpoint='pretrained/mit_b2.pth')),
    decode_head=dict(in_channels=[64, 128, 320, 512]))
