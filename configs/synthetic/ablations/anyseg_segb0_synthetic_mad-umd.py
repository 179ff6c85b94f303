# Table 3 on synthetic data: L_sup + 50 L_mad + 5 L_umd.
_base_ = ['../anyseg_segb0_synthetic.py']
model = dict(distill_losses=dict(cmd=None))
