# AnySeg on DELIVER scored at the size of the files (1042x1042, prediction resized back as
# mmseg does) instead of the authors' 1024 short side; the same lines switch any DELIVER config.
_base_ = ['../anyseg_segb0_deliver.py']
test_pipeline = [
    {{_base_.load_images}},
    dict(type='LoadMultiModalAnnotations'),
    dict(type='PackAnymodalInputs', meta_keys={{_base_.meta_keys}}),
]
val_dataloader = dict(dataset=dict(pipeline=test_pipeline))
test_dataloader = val_dataloader
