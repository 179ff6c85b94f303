# DELIVER with RGB, depth (HHA), event and LiDAR (25 classes), 1024x1024 crops, as the
# authors' code loads, augments and evaluates it (zhengxuJosh/AnySeg and jamycheung/DELIVER,
# semseg/datasets/deliver.py, semseg/augmentations_mm.py, val_mm.py, semseg/metrics.py).
# docs/paper_vs_code.md; deliver_rdel_mmseg.py is the mmseg-native variant.
dataset_type = 'DELIVERDataset'
data_root = 'data/DELIVER'
modalities = ('rgb', 'depth', 'event', 'lidar')
num_modalities = len(modalities)
num_classes = 25
crop_size = (1024, 1024)
imagenet_mean, imagenet_std = [123.675, 116.28, 103.53], [58.395, 57.12, 57.375]
# Authors' Normalize: RGB with ImageNet statistics, every other modality divided by 255.
anymodal_data_preprocessor = dict(
    type='AnymodalDataPreProcessor',
    modalities=modalities,
    mean={m: imagenet_mean if m == 'rgb' else [0.0, 0.0, 0.0] for m in modalities},
    std={m: imagenet_std if m == 'rgb' else [255.0, 255.0, 255.0] for m in modalities},
    size=crop_size,
    pad_val=0,
    seg_pad_val=255)
# Anymodal dropout of the authors' Seg.forward: kept-set size uniform in 1..M, then a
# uniform subset of that size, one draw per (per-GPU) batch.
student_data_preprocessor = dict(anymodal_data_preprocessor,
                                 modality_dropout=dict(type='size_uniform', per='batch'))
# What every model over this dataset sets (the PML model, a distiller's student, the
# baselines): ``model = {{_base_.dataset_model}}``.
dataset_model = dict(data_preprocessor=anymodal_data_preprocessor,
                     backbone=dict(num_modalities=num_modalities),
                     decode_head=dict(num_classes=num_classes))
meta_keys = ('img_path', 'seg_map_path', 'ori_shape', 'img_shape', 'pad_shape', 'scale_factor',
             'flip', 'flip_direction', 'reduce_zero_label', 'modalities', 'modality_present',
             'modality_paths', 'condition', 'case')
# Event PNGs of the eventlowres case are smaller: resized to the RGB size (nearest).
load_images = dict(type='LoadMultiModalImages', resize_to_reference=dict(event='nearest'))
# Authors' get_train_augmentation: colour jitter (p=0.2), flip, Gaussian blur (p=0.2) on
# RGB only, then a random resize by 0.5-2.0 (bilinear for every modality) and crop.
train_pipeline = [
    load_images,
    dict(type='LoadMultiModalAnnotations'),
    dict(type='MultiModalColorJitter', prob=0.2, modalities=('rgb', )),
    dict(type='RandomFlip', prob=0.5),
    dict(type='MultiModalGaussianBlur', prob=0.2, kernel_size=3, modalities=('rgb', )),
    dict(type='RandomResize', scale=crop_size, ratio_range=(0.5, 2.0), keep_ratio=True,
         interpolation='bilinear'),
    dict(type='RandomCrop', crop_size=crop_size),
    dict(type='PackAnymodalInputs', meta_keys=meta_keys),
]
# Authors' get_val_augmentation (semseg/augmentations_mm.py, Resize): the short side to 1024,
# bilinear for every modality, nearest for the label, and the prediction scored at that size
# (1042x1042 DELIVER frames -> 1024x1024; their extra rounding up to a multiple of 32 is a
# no-op there). ablations/*_native-eval.py scores at the size of the files instead.
eval_resize = dict(type='ResizeOnLoad', scale=(4096, 1024), keep_ratio=True,
                   interpolation='bilinear')
test_pipeline = [
    load_images,
    dict(type='LoadMultiModalAnnotations'),
    eval_resize,
    dict(type='PackAnymodalInputs', meta_keys=meta_keys),
]
train_dataloader = dict(
    batch_size=4,
    num_workers=4,
    persistent_workers=True,
    sampler=dict(type='InfiniteSampler', shuffle=True),
    dataset=dict(type=dataset_type, data_root=data_root, modalities=modalities, split='train',
                 pipeline=train_pipeline))
val_dataloader = dict(
    batch_size=1,
    num_workers=4,
    persistent_workers=True,
    sampler=dict(type='DefaultSampler', shuffle=False),
    dataset=dict(type=dataset_type, data_root=data_root, modalities=modalities, split='val',
                 pipeline=test_pipeline))
# The paper's DELIVER tables (2, 9, 15) are on `val`, as the authors' val_mm.py evaluates;
# `--cfg-options test_dataloader.dataset.split=test` for the test split.
test_dataloader = val_dataloader
# A class absent from both prediction and ground truth counts as IoU 0 in the mean, as in
# the authors' Metrics (`ious[ious.isnan()] = 0`); nan_to_num=None skips it as mmseg does.
val_evaluator = dict(type='AnymodalIoUMetric', nan_to_num=0)
test_evaluator = dict(type='AnymodalIoUMetric', nan_to_num=0, split_by=('condition', 'case'))
