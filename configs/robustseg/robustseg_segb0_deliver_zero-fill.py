# RobustSeg on DELIVER trained on zero-filled inputs, the released *_zero_padding_all training
# (configs/_base_/models/robustseg_distill_losses.py, zero_fill_model).
_base_ = ['./robustseg_segb0_deliver.py']
model = {{_base_.zero_fill_model}}
