# Table 8: the full loss plus KD on the fused (modality-mean) features of every stage, weight 5
# here; the other rows set --cfg-options model.distill_losses.fused_kd.loss.loss_weight=W (1, 3, 10;
# "w/o" is the full loss, ../anyseg_segb0_muses.py).
_base_ = ['../anyseg_segb0_muses.py']
model = dict(distill_losses=dict(fused_kd={{_base_.fused_kd}}))
