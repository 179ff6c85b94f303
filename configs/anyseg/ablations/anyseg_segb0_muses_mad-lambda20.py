# Table 4: L_sup + lambda * L_mad with lambda = 20 (no UMD, no CMD).
_base_ = ['../anyseg_segb0_muses.py']
model = dict(mad_loss=dict(loss_weight=20.0), umd_loss=None, cmd_loss=None)
