# Table 7 on synthetic data: the AnySeg student distilled from a MAGIC teacher (train
# configs/synthetic/baselines/magic_segb0_synthetic.py first), from its fused (MAM)
# features as the paper does for this row; see the CMNeXt-teacher config for the weights.
_base_ = ['../anyseg_segb0_synthetic.py']
model = dict(
    teacher=dict(config='{{fileDirname}}/../baselines/magic_segb0_synthetic.py',
                 checkpoint='work_dirs/magic_segb0_synthetic/iter_600.pth'),
    distill_losses={{_base_.fused_teacher_losses}})
