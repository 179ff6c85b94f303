anymodal_data_preprocessor = dict(
    mean=dict(
        depth=[
            0.0,
            0.0,
            0.0,
        ],
        event=[
            0.0,
            0.0,
            0.0,
        ],
        lidar=[
            0.0,
            0.0,
            0.0,
        ],
        rgb=[
            123.675,
            116.28,
            103.53,
        ]),
    modalities=(
        'rgb',
        'depth',
        'event',
        'lidar',
    ),
    pad_val=0,
    seg_pad_val=255,
    size=(
        128,
        128,
    ),
    std=dict(
        depth=[
            255.0,
            255.0,
            255.0,
        ],
        event=[
            255.0,
            255.0,
            255.0,
        ],
        lidar=[
            255.0,
            255.0,
            255.0,
        ],
        rgb=[
            58.395,
            57.12,
            57.375,
        ]),
    type='AnymodalDataPreProcessor')
crop_size = (
    128,
    128,
)
custom_hooks = [
    dict(type='RandomStateHook'),
    dict(type='FiniteLossHook'),
]
custom_imports = dict(
    allow_failed_imports=False, imports=[
        'mmseg_anyseg',
    ])
data_preprocessor = dict(
    _scope_='mmseg',
    bgr_to_rgb=True,
    mean=[
        123.675,
        116.28,
        103.53,
    ],
    pad_val=0,
    seg_pad_val=255,
    std=[
        58.395,
        57.12,
        57.375,
    ],
    type='SegDataPreProcessor')
data_root = 'data/synthetic_deliver'
dataset_model = dict(
    backbone=dict(init_cfg=None, num_modalities=4),
    data_preprocessor=dict(
        mean=dict(
            depth=[
                0.0,
                0.0,
                0.0,
            ],
            event=[
                0.0,
                0.0,
                0.0,
            ],
            lidar=[
                0.0,
                0.0,
                0.0,
            ],
            rgb=[
                123.675,
                116.28,
                103.53,
            ]),
        modalities=(
            'rgb',
            'depth',
            'event',
            'lidar',
        ),
        pad_val=0,
        seg_pad_val=255,
        size=(
            128,
            128,
        ),
        std=dict(
            depth=[
                255.0,
                255.0,
                255.0,
            ],
            event=[
                255.0,
                255.0,
                255.0,
            ],
            lidar=[
                255.0,
                255.0,
                255.0,
            ],
            rgb=[
                58.395,
                57.12,
                57.375,
            ]),
        type='AnymodalDataPreProcessor'),
    decode_head=dict(
        norm_cfg=dict(requires_grad=True, type='BN'), num_classes=25))
dataset_type = 'DELIVERDataset'
default_hooks = dict(
    checkpoint=dict(
        by_epoch=False,
        interval=100,
        max_keep_ckpts=2,
        rule='greater',
        save_best=None,
        type='CheckpointHook'),
    logger=dict(interval=20, log_metric_by_epoch=False, type='LoggerHook'),
    param_scheduler=dict(type='ParamSchedulerHook'),
    sampler_seed=dict(type='DistSamplerSeedHook'),
    timer=dict(type='IterTimerHook'),
    visualization=dict(type='SegVisualizationHook'))
default_scope = 'mmseg'
env_cfg = dict(
    cudnn_benchmark=False,
    dist_cfg=dict(backend='nccl'),
    mp_cfg=dict(mp_start_method='fork', opencv_num_threads=0))
eval_resize = dict(
    interpolation='bilinear',
    keep_ratio=True,
    scale=(
        4096,
        1024,
    ),
    type='ResizeOnLoad')
imagenet_mean = [
    123.675,
    116.28,
    103.53,
]
imagenet_std = [
    58.395,
    57.12,
    57.375,
]
load_from = None
load_images = dict(
    resize_to_reference=dict(event='nearest'), type='LoadMultiModalImages')
log_level = 'INFO'
log_processor = dict(by_epoch=False)
max_iters = 600
meta_keys = (
    'img_path',
    'seg_map_path',
    'ori_shape',
    'img_shape',
    'pad_shape',
    'scale_factor',
    'flip',
    'flip_direction',
    'reduce_zero_label',
    'modalities',
    'modality_present',
    'modality_paths',
    'condition',
    'case',
)
modalities = (
    'rgb',
    'depth',
    'event',
    'lidar',
)
model = dict(
    _scope_='mmseg',
    backbone=dict(
        attn_drop_rate=0.0,
        drop_path_rate=0.1,
        drop_rate=0.0,
        embed_dims=32,
        in_channels=3,
        init_cfg=None,
        mlp_ratio=4,
        num_heads=[
            1,
            2,
            5,
            8,
        ],
        num_layers=[
            2,
            2,
            2,
            2,
        ],
        num_modalities=4,
        num_stages=4,
        out_indices=(
            0,
            1,
            2,
            3,
        ),
        patch_sizes=[
            7,
            3,
            3,
            3,
        ],
        qkv_bias=True,
        sr_ratios=[
            8,
            4,
            2,
            1,
        ],
        type='MultiModalMiT'),
    data_preprocessor=dict(
        mean=dict(
            depth=[
                0.0,
                0.0,
                0.0,
            ],
            event=[
                0.0,
                0.0,
                0.0,
            ],
            lidar=[
                0.0,
                0.0,
                0.0,
            ],
            rgb=[
                123.675,
                116.28,
                103.53,
            ]),
        modalities=(
            'rgb',
            'depth',
            'event',
            'lidar',
        ),
        pad_val=0,
        seg_pad_val=255,
        size=(
            128,
            128,
        ),
        std=dict(
            depth=[
                255.0,
                255.0,
                255.0,
            ],
            event=[
                255.0,
                255.0,
                255.0,
            ],
            lidar=[
                255.0,
                255.0,
                255.0,
            ],
            rgb=[
                58.395,
                57.12,
                57.375,
            ]),
        type='AnymodalDataPreProcessor'),
    decode_head=dict(
        align_corners=False,
        channels=256,
        dropout_ratio=0.1,
        in_channels=[
            32,
            64,
            160,
            256,
        ],
        in_index=[
            0,
            1,
            2,
            3,
        ],
        loss_decode=dict(
            min_kept_ratio=0.0625, thresh=0.7, type='OhemCrossEntropyLoss'),
        norm_cfg=dict(requires_grad=True, type='BN'),
        num_classes=25,
        type='SegformerLinearHead'),
    pretrained=None,
    test_cfg=dict(mode='whole', subsets='all'),
    train_cfg=dict(),
    type='AnymodalEncoderDecoder')
norm_cfg = dict(_scope_='mmseg', requires_grad=True, type='SyncBN')
num_classes = 25
num_modalities = 4
optim_wrapper = dict(
    optimizer=dict(
        betas=(
            0.9,
            0.999,
        ),
        eps=1e-08,
        lr=0.0006,
        type='AdamW',
        weight_decay=0.01),
    paramwise_cfg=dict(flat_decay_mult=0.0),
    type='OptimWrapper')
param_scheduler = [
    dict(begin=0, by_epoch=False, end=50, start_factor=0.1, type='LinearLR'),
    dict(
        begin=50,
        by_epoch=False,
        end=3200,
        eta_min=0.0,
        power=0.9,
        type='PolyLR'),
]
randomness = dict(seed=0)
resume = False
student_data_preprocessor = dict(
    mean=dict(
        depth=[
            0.0,
            0.0,
            0.0,
        ],
        event=[
            0.0,
            0.0,
            0.0,
        ],
        lidar=[
            0.0,
            0.0,
            0.0,
        ],
        rgb=[
            123.675,
            116.28,
            103.53,
        ]),
    modalities=(
        'rgb',
        'depth',
        'event',
        'lidar',
    ),
    modality_dropout=dict(per='batch', type='size_uniform'),
    pad_val=0,
    seg_pad_val=255,
    size=(
        128,
        128,
    ),
    std=dict(
        depth=[
            255.0,
            255.0,
            255.0,
        ],
        event=[
            255.0,
            255.0,
            255.0,
        ],
        lidar=[
            255.0,
            255.0,
            255.0,
        ],
        rgb=[
            58.395,
            57.12,
            57.375,
        ]),
    type='AnymodalDataPreProcessor')
test_cfg = dict(type='TestLoop')
test_dataloader = dict(
    batch_size=4,
    dataset=dict(
        data_root='data/synthetic_deliver',
        modalities=(
            'rgb',
            'depth',
            'event',
            'lidar',
        ),
        pipeline=[
            dict(
                resize_to_reference=dict(event='nearest'),
                type='LoadMultiModalImages'),
            dict(type='LoadMultiModalAnnotations'),
            dict(
                meta_keys=(
                    'img_path',
                    'seg_map_path',
                    'ori_shape',
                    'img_shape',
                    'pad_shape',
                    'scale_factor',
                    'flip',
                    'flip_direction',
                    'reduce_zero_label',
                    'modalities',
                    'modality_present',
                    'modality_paths',
                    'condition',
                    'case',
                ),
                type='PackAnymodalInputs'),
        ],
        split='val',
        type='DELIVERDataset'),
    num_workers=2,
    persistent_workers=True,
    sampler=dict(shuffle=False, type='DefaultSampler'))
test_evaluator = dict(
    nan_to_num=None,
    split_by=(
        'condition',
        'case',
    ),
    type='AnymodalIoUMetric')
test_pipeline = [
    dict(
        resize_to_reference=dict(event='nearest'),
        type='LoadMultiModalImages'),
    dict(type='LoadMultiModalAnnotations'),
    dict(
        meta_keys=(
            'img_path',
            'seg_map_path',
            'ori_shape',
            'img_shape',
            'pad_shape',
            'scale_factor',
            'flip',
            'flip_direction',
            'reduce_zero_label',
            'modalities',
            'modality_present',
            'modality_paths',
            'condition',
            'case',
        ),
        type='PackAnymodalInputs'),
]
train_cfg = dict(max_iters=3200, type='IterBasedTrainLoop', val_interval=400)
train_dataloader = dict(
    batch_size=8,
    dataset=dict(
        data_root='data/synthetic_deliver',
        modalities=(
            'rgb',
            'depth',
            'event',
            'lidar',
        ),
        pipeline=[
            dict(
                resize_to_reference=dict(event='nearest'),
                type='LoadMultiModalImages'),
            dict(type='LoadMultiModalAnnotations'),
            dict(modalities=('rgb', ), prob=0.2, type='MultiModalColorJitter'),
            dict(prob=0.5, type='RandomFlip'),
            dict(
                kernel_size=3,
                modalities=('rgb', ),
                prob=0.2,
                type='MultiModalGaussianBlur'),
            dict(
                interpolation='bilinear',
                keep_ratio=True,
                ratio_range=(
                    0.5,
                    2.0,
                ),
                scale=(
                    128,
                    128,
                ),
                type='RandomResize'),
            dict(crop_size=(
                128,
                128,
            ), type='RandomCrop'),
            dict(
                meta_keys=(
                    'img_path',
                    'seg_map_path',
                    'ori_shape',
                    'img_shape',
                    'pad_shape',
                    'scale_factor',
                    'flip',
                    'flip_direction',
                    'reduce_zero_label',
                    'modalities',
                    'modality_present',
                    'modality_paths',
                    'condition',
                    'case',
                ),
                type='PackAnymodalInputs'),
        ],
        split='train',
        type='DELIVERDataset'),
    num_workers=2,
    persistent_workers=True,
    sampler=dict(shuffle=True, type='InfiniteSampler'))
train_pipeline = [
    dict(
        resize_to_reference=dict(event='nearest'),
        type='LoadMultiModalImages'),
    dict(type='LoadMultiModalAnnotations'),
    dict(modalities=('rgb', ), prob=0.2, type='MultiModalColorJitter'),
    dict(prob=0.5, type='RandomFlip'),
    dict(
        kernel_size=3,
        modalities=('rgb', ),
        prob=0.2,
        type='MultiModalGaussianBlur'),
    dict(
        interpolation='bilinear',
        keep_ratio=True,
        ratio_range=(
            0.5,
            2.0,
        ),
        scale=(
            128,
            128,
        ),
        type='RandomResize'),
    dict(crop_size=(
        128,
        128,
    ), type='RandomCrop'),
    dict(
        meta_keys=(
            'img_path',
            'seg_map_path',
            'ori_shape',
            'img_shape',
            'pad_shape',
            'scale_factor',
            'flip',
            'flip_direction',
            'reduce_zero_label',
            'modalities',
            'modality_present',
            'modality_paths',
            'condition',
            'case',
        ),
        type='PackAnymodalInputs'),
]
tta_model = dict(_scope_='mmseg', type='SegTTAModel')
val_cfg = dict(type='ValLoop')
val_dataloader = dict(
    batch_size=4,
    dataset=dict(
        data_root='data/synthetic_deliver',
        modalities=(
            'rgb',
            'depth',
            'event',
            'lidar',
        ),
        pipeline=[
            dict(
                resize_to_reference=dict(event='nearest'),
                type='LoadMultiModalImages'),
            dict(type='LoadMultiModalAnnotations'),
            dict(
                meta_keys=(
                    'img_path',
                    'seg_map_path',
                    'ori_shape',
                    'img_shape',
                    'pad_shape',
                    'scale_factor',
                    'flip',
                    'flip_direction',
                    'reduce_zero_label',
                    'modalities',
                    'modality_present',
                    'modality_paths',
                    'condition',
                    'case',
                ),
                type='PackAnymodalInputs'),
        ],
        split='val',
        type='DELIVERDataset'),
    num_workers=2,
    persistent_workers=True,
    sampler=dict(shuffle=False, type='DefaultSampler'))
val_evaluator = dict(nan_to_num=None, type='AnymodalIoUMetric')
vis_backends = [
    dict(_scope_='mmseg', type='LocalVisBackend'),
]
visualizer = dict(
    _scope_='mmseg',
    name='visualizer',
    type='AnymodalSegLocalVisualizer',
    vis_backends=[
        dict(type='LocalVisBackend'),
    ])
