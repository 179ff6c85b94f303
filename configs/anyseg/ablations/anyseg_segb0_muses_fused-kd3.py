# Table 8: the full loss plus KD on the fused (modality-mean) features of every stage
# with weight 3 (the paper adds this term; "w/o" is the full loss).
_base_ = ['../anyseg_segb0_muses.py']
model = dict(
    fused_loss=dict(type='UnimodalDistillLoss', loss_weight=3.0, loss_name='loss_fused_kd'))
