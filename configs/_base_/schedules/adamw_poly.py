# Paper A.2: AdamW, initial lr 6e-5, polynomial decay (power 0.9) after a
# warm-up at 10% of the initial lr. Schedules below set the lengths.
# As the authors' get_optimizer (jamycheung/DELIVER, semseg/optimizers.py): weight decay
# 0.01 on every parameter except the one-dimensional ones (biases, norms), one lr for
# all (no head multiplier). adamw_mmseg_paramwise.py has mmseg's SegFormer settings.
optim_wrapper = dict(
    type='OptimWrapper',
    optimizer=dict(type='AdamW', lr=6e-5, betas=(0.9, 0.999), eps=1e-8, weight_decay=0.01),
    paramwise_cfg=dict(flat_decay_mult=0.0))
val_cfg = dict(type='ValLoop')
test_cfg = dict(type='TestLoop')
