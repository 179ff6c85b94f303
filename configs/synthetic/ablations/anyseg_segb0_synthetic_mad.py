# Table 3 on synthetic data: L_sup + 50 L_mad.
_base_ = ['../anyseg_segb0_synthetic.py']
model = dict(umd_loss=None, cmd_loss=None)
