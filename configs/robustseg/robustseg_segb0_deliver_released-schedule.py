# The released RobustSeg run's schedule (RobustSeg/RobustSeg, configs/deliver_seg_s.yaml):
# 256x256 training crops, batch 8, 200 epochs of DELIVER's 3,983 training frames
# (497 iterations each on one process: 99,400 iterations), warm-up 10 epochs at 0.1 x lr,
# AdamW lr 6e-5, weight decay 0.01, poly 0.9.
_base_ = ['./robustseg_segb0_deliver.py']
iters = 99400
warmup = 4970
crop_size = (256, 256)
# configs/_base_/datasets/deliver_rdel.py's train_pipeline at 256 (its crop_size is fixed
# when that file is read, so the two resizing steps are restated here).
train_pipeline = [
    {{_base_.load_images}},
    dict(type='LoadMultiModalAnnotations'),
    dict(type='MultiModalColorJitter', prob=0.2, modalities=('rgb', )),
    dict(type='RandomFlip', prob=0.5),
    dict(type='MultiModalGaussianBlur', prob=0.2, kernel_size=3, modalities=('rgb', )),
    dict(type='RandomResize', scale=crop_size, ratio_range=(0.5, 2.0), keep_ratio=True,
         interpolation='bilinear'),
    dict(type='RandomCrop', crop_size=crop_size),
    dict(type='PackAnymodalInputs', meta_keys={{_base_.meta_keys}}),
]
train_dataloader = dict(batch_size=8, dataset=dict(pipeline=train_pipeline))
model = dict(data_preprocessor=dict(size=crop_size))
param_scheduler = [
    dict(type='LinearLR', start_factor=0.1, by_epoch=False, begin=0, end=warmup),
    dict(type='PolyLR', eta_min=0.0, power=0.9, begin=warmup, end=iters, by_epoch=False),
]
train_cfg = dict(max_iters=iters, val_interval=iters // 20)
