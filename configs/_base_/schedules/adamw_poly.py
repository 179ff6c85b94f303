# Paper A.2: AdamW, initial lr 6e-5, polynomial decay (power 0.9) after a
# warm-up at 10% of the initial lr. Schedules below set the lengths.
optim_wrapper = dict(
    type='OptimWrapper',
    optimizer=dict(type='AdamW', lr=6e-5, betas=(0.9, 0.999), weight_decay=0.01),
    paramwise_cfg=dict(custom_keys={
        'pos_block': dict(decay_mult=0.),
        'norm': dict(decay_mult=0.),
        'head': dict(lr_mult=10.)
    }))
val_cfg = dict(type='ValLoop')
test_cfg = dict(type='TestLoop')
