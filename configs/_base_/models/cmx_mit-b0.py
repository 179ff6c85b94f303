# CMX-B0 as the paper's multi-modal rows run it (jamycheung/DELIVER,
# semseg/models/backbones/cmx.py): RGB and auxiliary MiT-B0 branches with FRM + FFM at
# every stage. With more than two modalities that port feeds only the second one to the
# auxiliary branch (configs/baselines/README.md; the CMX docstring). Same head and missing-modality
# convention as CMNeXt.
_base_ = ['./cmnext_mit-b0.py']
model = dict(backbone=dict(type='CMX'))
