# DELIVER: 3983 training frames, batch 16 (4 GPUs x 4): 200 epochs = 50k
# iterations, 10 warm-up epochs = 2.5k iterations.
_base_ = ['./adamw_poly.py']
param_scheduler = [
    dict(type='LinearLR', start_factor=0.1, by_epoch=False, begin=0, end=2500),
    dict(type='PolyLR', eta_min=0.0, power=0.9, begin=2500, end=50000, by_epoch=False),
]
train_cfg = dict(type='IterBasedTrainLoop', max_iters=50000, val_interval=5000)
