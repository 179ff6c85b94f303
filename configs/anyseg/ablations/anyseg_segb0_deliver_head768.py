# AnySeg on DELIVER with the 768-wide decode head that the authors' Seg builds by default
# (zhengxuJosh/AnySeg, seg_block_select_UMD.py: embedding_dim=768); the paper configs use
# official SegFormer-B0's 256, which matches the paper's 3.72 M parameters (Table 14).
_base_ = ['../anyseg_segb0_deliver.py']
model = dict(student=dict(decode_head=dict(channels=768)))
