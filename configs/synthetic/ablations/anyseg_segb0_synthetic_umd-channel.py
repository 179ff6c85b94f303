# The full loss with eq. 4's channel-softmax UMD instead of the released loop's height-axis
# softmax (UMD.py); MAD and the released CMD as in the default.
_base_ = ['../anyseg_segb0_synthetic.py']
model = dict(distill_losses=dict(umd=dict(loss=dict(softmax_axis='channel'))))
