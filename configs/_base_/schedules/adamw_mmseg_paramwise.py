# mmseg's SegFormer optimizer settings instead of the authors': no decay on position
# blocks and norms only, 10x lr on the decode head. Inherit it after a schedule.
optim_wrapper = dict(
    paramwise_cfg=dict(_delete_=True, custom_keys={
        'pos_block': dict(decay_mult=0.),
        'norm': dict(decay_mult=0.),
        'head': dict(lr_mult=10.)
    }))
