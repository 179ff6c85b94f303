# Zero-filled training where each teacher modality meets a random student modality in both
# terms (RobustSeg/RobustSeg, tools/train_deliver_mad50_proto_cur_reg_zero_padding_random.py).
_base_ = ['../robustseg_segb0_synthetic.py']
model = {{_base_.zero_fill_random_model}}
