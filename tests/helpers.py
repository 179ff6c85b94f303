"""Configs shared by the tests: tiny models and runner settings for CPU."""
import copy
from typing import Optional, Sequence

from mmengine.config import ConfigDict

DELIVER_MODALITIES = ('rgb', 'depth', 'event', 'lidar')
META_KEYS = ('img_path', 'seg_map_path', 'ori_shape', 'img_shape', 'pad_shape', 'scale_factor',
             'flip', 'flip_direction', 'reduce_zero_label', 'modalities', 'modality_present',
             'modality_paths', 'condition', 'case')

TINY_MIT = dict(in_channels=3, embed_dims=8, num_stages=4, num_layers=[1, 1, 1, 1],
                num_heads=[1, 1, 2, 2], patch_sizes=[7, 3, 3, 3], sr_ratios=[8, 4, 2, 1],
                out_indices=(0, 1, 2, 3), mlp_ratio=2, qkv_bias=True, drop_path_rate=0.0)


def segformer_head(num_classes: int = 25, embed_dims: int = 8, channels: int = 16) -> dict:
    widths = [embed_dims * h for h in TINY_MIT['num_heads']]
    return dict(type='SegformerHead', in_channels=widths, in_index=[0, 1, 2, 3],
                channels=channels, dropout_ratio=0.0, num_classes=num_classes,
                norm_cfg=dict(type='BN', requires_grad=True), align_corners=False,
                loss_decode=dict(type='CrossEntropyLoss', use_sigmoid=False, loss_weight=1.0))


def anymodal_preprocessor(modalities: Sequence[str] = DELIVER_MODALITIES, size=(32, 32),
                          modality_dropout: Optional[dict] = None) -> dict:
    return dict(type='AnymodalDataPreProcessor', modalities=modalities,
                mean={m: [120.0, 110.0, 100.0] for m in modalities},
                std={m: [60.0, 55.0, 50.0] for m in modalities}, size=size, pad_val=0,
                seg_pad_val=255, modality_dropout=modality_dropout)


def anymodal_model(modalities: Sequence[str] = DELIVER_MODALITIES, embed_dims: int = 8,
                   test_cfg: Optional[dict] = None, **preprocessor) -> dict:
    """A tiny PML segmentor (MiT with ``embed_dims``) over ``modalities``."""
    backbone = dict(TINY_MIT, type='MultiModalMiT', num_modalities=len(modalities),
                    embed_dims=embed_dims)
    return dict(type='AnymodalEncoderDecoder',
                data_preprocessor=anymodal_preprocessor(modalities, **preprocessor),
                backbone=backbone, decode_head=segformer_head(embed_dims=embed_dims),
                train_cfg=dict(),
                test_cfg=ConfigDict(test_cfg or dict(mode='whole', subsets='all')))


def pipelines(train: bool):
    pipeline = [dict(type='LoadMultiModalImages'), dict(type='LoadMultiModalAnnotations')]
    if train:
        pipeline += [dict(type='RandomFlip', prob=0.5)]
    return pipeline + [dict(type='PackAnymodalInputs', meta_keys=META_KEYS)]


def runner_cfg(work_dir: str, data_root: str, model: dict, max_iters: int = 2,
               modalities: Sequence[str] = DELIVER_MODALITIES, checkpoint_interval: int = 1,
               evaluator: Optional[dict] = None) -> dict:
    """A complete mmengine Runner config on a synthetic DELIVER tree."""

    def loader(split: str, train: bool, batch_size: int) -> dict:
        sampler = dict(type='InfiniteSampler' if train else 'DefaultSampler', shuffle=train)
        return dict(batch_size=batch_size, num_workers=0, sampler=sampler,
                    dataset=dict(type='DELIVERDataset', data_root=data_root, split=split,
                                 modalities=modalities, pipeline=pipelines(train)))

    evaluator = evaluator or dict(type='AnymodalIoUMetric')
    return dict(
        default_scope='mmseg',
        model=copy.deepcopy(model),
        work_dir=work_dir,
        train_dataloader=loader('train', True, 2),
        val_dataloader=loader('val', False, 2),
        test_dataloader=loader('val', False, 2),
        val_evaluator=evaluator,
        test_evaluator=evaluator,
        train_cfg=dict(type='IterBasedTrainLoop', max_iters=max_iters, val_interval=10**6),
        val_cfg=dict(type='ValLoop'),
        test_cfg=dict(type='TestLoop'),
        optim_wrapper=dict(type='OptimWrapper', optimizer=dict(type='AdamW', lr=1e-3)),
        param_scheduler=[dict(type='PolyLR', power=0.9, begin=0, end=max_iters, by_epoch=False)],
        default_hooks=dict(
            timer=dict(type='IterTimerHook'),
            logger=dict(type='LoggerHook', interval=1, log_metric_by_epoch=False),
            param_scheduler=dict(type='ParamSchedulerHook'),
            checkpoint=dict(type='CheckpointHook', by_epoch=False, interval=checkpoint_interval),
            sampler_seed=dict(type='DistSamplerSeedHook')),
        log_processor=dict(by_epoch=False),
        env_cfg=dict(cudnn_benchmark=False, dist_cfg=dict(backend='gloo')),
        randomness=dict(seed=0),
    )


# The paper's three terms (eqs. 4-6) with each loss's own defaults: the tests' loss table.
PAPER_EQUATION_LOSSES = dict(
    mad=dict(loss=dict(type='ModalityAgnosticDistillLoss'),
             inputs=dict(student_logits='student.logits', teacher_logits='teacher.logits',
                         input_size='input_size')),
    umd=dict(loss=dict(type='UnimodalDistillLoss'),
             inputs=dict(student='student.connected', teacher='teacher.features',
                         modality_mask='kept')),
    cmd=dict(loss=dict(type='CrossModalDistillLoss'),
             inputs=dict(student='student.features', teacher='teacher.features',
                         modality_mask='kept')),
)


def hpdm_losses(**hpdm) -> dict:
    """A distiller loss table of MAD (its defaults) and RobustSeg's HPDM (``hpdm`` options)."""
    return dict(mad=copy.deepcopy(PAPER_EQUATION_LOSSES['mad']),
                hpdm=dict(loss=dict(type='PrototypeDistillLoss', **hpdm),
                          inputs=dict(student='student.connected', teacher='teacher.features',
                                      kept='kept', labels='labels')))
