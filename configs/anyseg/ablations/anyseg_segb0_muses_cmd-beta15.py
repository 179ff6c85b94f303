# Table 6: L_sup + 50 L_mad + 5 L_umd + beta * L_cmd with beta = 15.
_base_ = ['../anyseg_segb0_muses.py']
model = dict(cmd_loss=dict(loss_weight=15.0))
