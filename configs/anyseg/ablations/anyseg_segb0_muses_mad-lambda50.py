# Table 4: L_sup + lambda * L_mad with lambda = 50 (no UMD, no CMD).
_base_ = ['../anyseg_segb0_muses.py']
model = dict(mad_loss=dict(loss_weight=50.0), umd_loss=None, cmd_loss=None)
