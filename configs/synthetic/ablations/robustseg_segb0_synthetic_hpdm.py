# RobustSeg with HPDM only (MAD + prototype KL; tools/train_deliver_mad50_proto_cur.py).
_base_ = ['../robustseg_segb0_synthetic.py']
model = dict(distill_losses=dict(rrm=None))
