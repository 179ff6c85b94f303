# RobustSeg student (B0) from the PML-B2 teacher on MUSES F/E/L: AnySeg's MUSES protocol,
# teacher and schedule (configs/anyseg/anyseg_segb0_muses.py), RobustSeg's losses.
_base_ = ['../anyseg/anyseg_segb0_muses.py', '../_base_/models/robustseg_distill_losses.py']
model = {{_base_.robustseg_model}}
