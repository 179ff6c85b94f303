# RobustSeg student (B0) from the synthetic PML teacher: the AnySeg student's data, teacher and
# CPU schedule (anyseg_segb0_synthetic.py), RobustSeg's losses at the released weights.
_base_ = ['./anyseg_segb0_synthetic.py', '../_base_/models/robustseg_distill_losses.py']
model = {{_base_.robustseg_model}}
