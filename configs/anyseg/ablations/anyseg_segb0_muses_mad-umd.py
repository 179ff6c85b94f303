# Table 5: L_sup + 50 L_mad + alpha * L_umd (no CMD), alpha = 5 here; the sweep's other rows set
# --cfg-options model.distill_losses.umd.loss.loss_weight=ALPHA (configs/anyseg/README.md).
_base_ = ['../anyseg_segb0_muses.py']
model = dict(distill_losses=dict(cmd=None))
