# RobustSeg with RRM only (MAD + functional-entropy regularization).
_base_ = ['../robustseg_segb0_synthetic.py']
model = dict(distill_losses=dict(hpdm=None))
