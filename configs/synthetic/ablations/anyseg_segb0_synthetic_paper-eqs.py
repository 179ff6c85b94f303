# The full loss as the paper's equations print it: eq. 4's channel-softmax UMD and eq. 5's
# S_t log(S_t / S_s) CMD (the configs' default before they followed the released loop).
_base_ = ['../anyseg_segb0_synthetic.py']
model = dict(distill_losses=dict(umd=dict(loss=dict(softmax_axis='channel')),
                                 cmd=dict(loss=dict(mode='literal'))))
