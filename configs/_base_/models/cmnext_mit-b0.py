# CMNeXt-B0 (jamycheung/DELIVER, semseg/models/cmnext.py and backbones/cmnext.py): an RGB
# MiT-B0 branch, one auxiliary branch for the other modalities (shared patch embedding,
# self-query hub, PPX blocks), FRM + FFM at every stage, and DELIVER's SegFormer head
# (linear projections, 256 channels for B0/B1). The data's first modality is the RGB
# branch. A fixed-branch model: missing modalities enter as zero images
# (test_cfg.missing='zero'; 'drop' is refused). ImageNet MiT weights for the RGB branch
# only, as the authors' load_dualpath_model does.
_base_ = ['./anymodal_segformer_mit-b0.py']
mit_b0 = dict(
    embed_dims=32,
    num_layers=[2, 2, 2, 2],
    num_heads=[1, 2, 5, 8],
    drop_path_rate=0.1,
    init_cfg=dict(type='Pretrained', checkpoint='pretrained/mit_b0.pth'))
model = dict(
    backbone=dict(_delete_=True, type='CMNeXt', num_modalities=4, rgb_branch=mit_b0),
    decode_head=dict(type='SegformerLinearHead', channels=256),
    test_cfg=dict(missing='zero'))
