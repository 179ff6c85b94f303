# Zero-filled training where each teacher modality meets a random student modality in both
# terms (RobustSeg/RobustSeg, tools/train_deliver_mad50_proto_cur_reg_zero_padding_random.py).
_base_ = ['./robustseg_segb0_deliver_zero-fill.py']
model = dict(distill_losses=dict(hpdm={{_base_.random_partners}}, rrm={{_base_.random_partners}}))
