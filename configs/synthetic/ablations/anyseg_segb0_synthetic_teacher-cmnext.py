# Table 7 on synthetic data: the AnySeg student distilled from a CMNeXt teacher (train
# configs/synthetic/baselines/cmnext_segb0_synthetic.py first). CMNeXt has no
# per-modality features, so UMD and CMD give way to KD on the fused features of every
# stage ("distilling from fused features, as in MAGIC and CMNeXt", paper Sec. 4), at
# UMD's weight alpha=5 (the paper gives no weight for this row); MAD is unchanged.
_base_ = ['../anyseg_segb0_synthetic.py']
model = dict(
    teacher=dict(config='{{fileDirname}}/../baselines/cmnext_segb0_synthetic.py',
                 checkpoint='work_dirs/cmnext_segb0_synthetic/iter_600.pth'),
    distill_losses={{_base_.fused_teacher_losses}})
