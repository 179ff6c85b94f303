# Table 3 on synthetic data: L_sup + 50 L_mad.
_base_ = ['../anyseg_segb0_synthetic.py']
model = dict(distill_losses=dict(umd=None, cmd=None))
