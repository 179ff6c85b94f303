# Paper A.2: AdamW, initial lr 6e-5, polynomial decay (power 0.9) after a
# warm-up at 10% of the initial lr. The schedule_<iterations>_<dataset>.py files inherit it
# and set the lengths.
# As the authors' get_optimizer (jamycheung/DELIVER, semseg/optimizers.py): weight decay
# 0.01 on every parameter except the one-dimensional ones (biases, norms), one lr for
# all (no head multiplier). mmseg's SegFormer rules instead (docs/paper_vs_code.md): in a
# config, optim_wrapper = dict(paramwise_cfg=dict(_delete_=True, custom_keys={
#     'pos_block': dict(decay_mult=0.), 'norm': dict(decay_mult=0.), 'head': dict(lr_mult=10.)}))
optim_wrapper = dict(
    type='OptimWrapper',
    optimizer=dict(type='AdamW', lr=6e-5, betas=(0.9, 0.999), eps=1e-8, weight_decay=0.01),
    paramwise_cfg=dict(flat_decay_mult=0.0))
val_cfg = dict(type='ValLoop')
test_cfg = dict(type='TestLoop')
default_hooks = dict(
    timer=dict(type='IterTimerHook'),
    logger=dict(type='LoggerHook', interval=50, log_metric_by_epoch=False),
    param_scheduler=dict(type='ParamSchedulerHook'),
    checkpoint=dict(type='CheckpointHook', by_epoch=False, interval=5000, max_keep_ckpts=3,
                    save_best='mIoU', rule='greater'),
    sampler_seed=dict(type='DistSamplerSeedHook'),
    visualization=dict(type='SegVisualizationHook'))
