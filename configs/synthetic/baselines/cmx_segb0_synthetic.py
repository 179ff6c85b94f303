# CMX-B0 on the synthetic DELIVER: the synthetic CMNeXt config with the CMX backbone
# (configs/_base_/models/cmx_mit-b0.py), same data, CPU schedule and seed.
_base_ = ['./cmnext_segb0_synthetic.py']
model = dict(backbone=dict(type='CMX'))
