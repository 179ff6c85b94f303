# Table 3 on synthetic data: the full loss with UMD and MAD summed over
# channels (eqs. 4 and 6 as written), i.e. C_i and K times the scale at which
# the paper's weights were tuned.
_base_ = ['../anyseg_segb0_synthetic.py']
model = dict(mad_loss=dict(channel_reduction='sum'), umd_loss=dict(channel_reduction='sum'))
