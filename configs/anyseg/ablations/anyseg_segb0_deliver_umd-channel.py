# AnySeg on DELIVER with eq. 4's channel-softmax UMD instead of the released loop's
# height-axis softmax (RobustSeg/RobustSeg, semseg/models/segformer/UMD.py).
_base_ = ['../anyseg_segb0_deliver.py']
model = dict(distill_losses=dict(umd=dict(loss=dict(softmax_axis='channel'))))
