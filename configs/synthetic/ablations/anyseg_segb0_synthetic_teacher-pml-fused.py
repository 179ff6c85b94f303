# Table 7 control on synthetic data: the PML teacher distilled with the loss of the CMNeXt
# and MAGIC rows (MAD + KD on the fused features, no UMD/CMD), so that the three teachers
# differ in the teacher alone. The paper's PML row is the full AnySeg loss
# (configs/synthetic/anyseg_segb0_synthetic.py).
_base_ = ['../anyseg_segb0_synthetic.py']
model = dict(
    teacher=dict(config='{{fileDirname}}/../pml_segb0_synthetic.py',
                 checkpoint='work_dirs/pml_segb0_synthetic/iter_600.pth'),
    distill_losses={{_base_.fused_teacher_losses}})
