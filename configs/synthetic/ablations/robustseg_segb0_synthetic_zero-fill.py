# RobustSeg trained on zero-filled inputs: the modalities anymodal dropout removes are fed as
# zero images and distilled like the others (RobustSeg/RobustSeg,
# tools/train_deliver_mad50_proto_cur_reg_zero_padding_all.py).
_base_ = ['../robustseg_segb0_synthetic.py']
model = dict(data_preprocessor=dict(modality_dropout=dict(fill='zero')))
