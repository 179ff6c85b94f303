# The full loss with UMD and MAD summed over channels, as eqs. 4 and 6 read literally
# (C_i and K times the per-element scale of the default, anyseg_distill_losses.py).
_base_ = ['../anyseg_segb0_synthetic.py']
model = dict(distill_losses=dict(mad=dict(loss=dict(channel_reduction='sum')),
                                 umd=dict(loss=dict(channel_reduction='sum'))))
