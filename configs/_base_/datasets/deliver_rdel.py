# DELIVER with RGB, depth, event and LiDAR (25 classes), 1024x1024 crops (paper A.2).
dataset_type = 'DELIVERDataset'
data_root = 'data/DELIVER'
modalities = ('rgb', 'depth', 'event', 'lidar')
num_modalities = len(modalities)
num_classes = 25
crop_size = (1024, 1024)
imagenet_mean, imagenet_std = [123.675, 116.28, 103.53], [58.395, 57.12, 57.375]
anymodal_data_preprocessor = dict(
    type='AnymodalDataPreProcessor',
    modalities=modalities,
    mean={m: imagenet_mean for m in modalities},
    std={m: imagenet_std for m in modalities},
    size=crop_size,
    pad_val=0,
    seg_pad_val=255)
# The AnySeg student trains with anymodal dropout (uniform over modality subsets).
student_data_preprocessor = dict(anymodal_data_preprocessor, modality_dropout=dict(type='subset'))
meta_keys = ('img_path', 'seg_map_path', 'ori_shape', 'img_shape', 'pad_shape', 'scale_factor',
             'flip', 'flip_direction', 'reduce_zero_label', 'modalities', 'modality_present',
             'modality_paths', 'condition', 'case')
sparse_interpolation = dict(event='nearest', lidar='nearest')
train_pipeline = [
    dict(type='LoadMultiModalImages'),
    dict(type='LoadMultiModalAnnotations'),
    dict(type='RandomResize', scale=(1024, 1024), ratio_range=(0.5, 2.0), keep_ratio=True,
         resize_type='MultiModalResize', modality_interpolation=sparse_interpolation),
    dict(type='RandomCrop', crop_size=crop_size, cat_max_ratio=0.75),
    dict(type='RandomFlip', prob=0.5),
    dict(type='MultiModalPhotoMetricDistortion', modalities=('rgb', )),
    dict(type='PackSegInputs', meta_keys=meta_keys),
]
test_pipeline = [
    dict(type='LoadMultiModalImages'),
    dict(type='LoadMultiModalAnnotations'),
    dict(type='PackSegInputs', meta_keys=meta_keys),
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
test_dataloader = dict(
    batch_size=1,
    num_workers=4,
    persistent_workers=True,
    sampler=dict(type='DefaultSampler', shuffle=False),
    dataset=dict(type=dataset_type, data_root=data_root, modalities=modalities, split='test',
                 pipeline=test_pipeline))
val_evaluator = dict(type='AnymodalIoUMetric')
test_evaluator = dict(type='AnymodalIoUMetric', split_by=('condition', 'case'))
