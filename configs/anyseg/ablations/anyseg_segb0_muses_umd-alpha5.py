# Table 5: L_sup + 50 L_mad + alpha * L_umd with alpha = 5 (no CMD).
_base_ = ['../anyseg_segb0_muses.py']
model = dict(umd_loss=dict(loss_weight=5.0), cmd_loss=None)
