# The full loss with UMD and MAD averaged over channels (the scale of
# nn.KLDivLoss(reduction='mean')) instead of summed as eqs. 4 and 6 write them.
_base_ = ['../anyseg_segb0_synthetic.py']
model = dict(mad_loss=dict(channel_reduction='mean'), umd_loss=dict(channel_reduction='mean'))
