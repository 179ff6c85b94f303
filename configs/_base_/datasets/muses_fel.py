# MUSES from the download: frame camera, and event camera and LiDAR projected to the frame
# camera by tools/dataset_converters/muses.py (or the MUSES SDK) into projected_to_rgb/, read at
# full precision (MUSESDataset(layout='projected')); 19 Cityscapes classes, 1024x1024 crops
# (paper A.2), the augmentation and dropout of the authors' DELIVER code (see deliver_rdel.py)
# at MUSES' own resolution, void pixels ignored. muses_fel_authors.py reproduces the authors'
# MUSES loader instead (8-bit PNGs beside the frame camera), for figures comparable with the
# paper's MUSES tables. muses_felr.py adds radar.
dataset_type = 'MUSESDataset'
data_root = 'data/muses'
modalities = ('frame', 'event', 'lidar')
num_modalities = len(modalities)
num_classes = 19
crop_size = (1024, 1024)
imagenet_mean, imagenet_std = [123.675, 116.28, 103.53], [58.395, 57.12, 57.375]
# Per-channel statistics of the projections ([range m, intensity, height m] for LiDAR,
# [range, intensity, 0] for radar, [positive, negative, 0] event counts), over all pixels,
# empty ones included. Not measured here (no MUSES on this project's machines): these are
# CAFuser's published figures (timbroed/CAFuser, cafuser/config.py, DATASETS.PIXEL_MEAN /
# PIXEL_STD), not measured on this converter's output. Measure
# yours on the training split with
#   python tools/analysis_tools/modality_stats.py configs/pml/pml_segb0_muses.py
# and put them here.
projection_mean = dict(event=[0.12577528, 0.12728328, 0.0], lidar=[4.91737, 6.149373, 0.27025607],
                       radar=[4.003564, 9.342789, 0.0])
projection_std = dict(event=[0.54420582, 0.47625199, 1.0],
                      lidar=[13.34715295, 17.63751258, 1.23208644],
                      radar=[14.60685343, 19.29406236, 1.0])
anymodal_data_preprocessor = dict(
    type='AnymodalDataPreProcessor',
    modalities=modalities,
    mean={m: imagenet_mean if m == 'frame' else projection_mean[m] for m in modalities},
    std={m: imagenet_std if m == 'frame' else projection_std[m] for m in modalities},
    size=crop_size,
    pad_val=0,
    seg_pad_val=255)
student_data_preprocessor = dict(anymodal_data_preprocessor,
                                 modality_dropout=dict(type='size_uniform', per='batch'))
# What every model over this dataset sets (the PML model, a distiller's student, the
# baselines): ``model = {{_base_.dataset_model}}``.
dataset_model = dict(data_preprocessor=anymodal_data_preprocessor,
                     backbone=dict(num_modalities=num_modalities),
                     decode_head=dict(num_classes=num_classes))
meta_keys = ('img_path', 'seg_map_path', 'ori_shape', 'img_shape', 'pad_shape', 'scale_factor',
             'flip', 'flip_direction', 'reduce_zero_label', 'modalities', 'modality_present',
             'modality_paths', 'condition', 'time')
train_pipeline = [
    dict(type='LoadMultiModalImages'),
    dict(type='LoadMultiModalAnnotations'),
    dict(type='MultiModalColorJitter', prob=0.2, modalities=('frame', )),
    dict(type='RandomFlip', prob=0.5),
    dict(type='MultiModalGaussianBlur', prob=0.2, kernel_size=3, modalities=('frame', )),
    dict(type='RandomResize', scale=(1920, 1080), ratio_range=(0.5, 2.0), keep_ratio=True,
         interpolation='bilinear'),
    dict(type='RandomCrop', crop_size=crop_size),
    dict(type='PackAnymodalInputs', meta_keys=meta_keys),
]
test_pipeline = [
    dict(type='LoadMultiModalImages'),
    dict(type='Resize', scale=(1920, 1080), keep_ratio=True),
    dict(type='LoadMultiModalAnnotations'),
    dict(type='PackAnymodalInputs', meta_keys=meta_keys),
]
train_dataloader = dict(
    batch_size=2,
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
test_dataloader = val_dataloader
val_evaluator = dict(type='AnymodalIoUMetric', nan_to_num=0)
test_evaluator = dict(type='AnymodalIoUMetric', nan_to_num=0, split_by=('condition', 'time'))
