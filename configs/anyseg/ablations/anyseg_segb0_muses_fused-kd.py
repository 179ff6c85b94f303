# Table 8: unimodal distillation on the fused features instead of per modality.
_base_ = ['../anyseg_segb0_muses.py']
model = dict(distill_on='fused')
