# Table 4: L_sup + lambda * L_mad (no UMD, no CMD), lambda = 50 here; the sweep's other rows set
# --cfg-options model.distill_losses.mad.loss.loss_weight=LAMBDA (configs/anyseg/README.md).
_base_ = ['../anyseg_segb0_muses.py']
model = dict(distill_losses=dict(umd=None, cmd=None))
