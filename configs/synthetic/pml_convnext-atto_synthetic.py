# PML teacher with mmpretrain's ConvNeXt-atto instead of MiT (MultiModalBackbone wraps
# any registered multi-scale backbone). Needs the mmpretrain extra.
_base_ = ['./pml_segb0_synthetic.py']
custom_imports = dict(imports=['mmseg_anyseg', 'mmpretrain.models'], allow_failed_imports=False)
model = dict(
    backbone=dict(
        _delete_=True,
        type='MultiModalBackbone',
        num_modalities={{_base_.num_modalities}},
        backbone=dict(type='mmpretrain.ConvNeXt', arch='atto', out_indices=(0, 1, 2, 3),
                      gap_before_final_norm=False, drop_path_rate=0.1)),
    decode_head=dict(in_channels=[40, 80, 160, 320]))
