# MUSES: 1500 training frames, batch 16 (8 GPUs x 2): 200 epochs = 18.75k
# iterations, 10 warm-up epochs = 940 iterations.
_base_ = ['./adamw_poly.py']
# lr 1.2e-4 as in the authors' MUSES config (zhengxuJosh/AnySeg, configs/muses.yaml,
# OPTIMIZER.LR: 0.00012); the paper (A.2) says 6e-5.
optim_wrapper = dict(optimizer=dict(lr=1.2e-4))
param_scheduler = [
    dict(type='LinearLR', start_factor=0.1, by_epoch=False, begin=0, end=940),
    dict(type='PolyLR', eta_min=0.0, power=0.9, begin=940, end=18750, by_epoch=False),
]
train_cfg = dict(type='IterBasedTrainLoop', max_iters=18750, val_interval=1875)
default_hooks = dict(checkpoint=dict(interval=1875))
