# Dropout ablation on synthetic data: L_sup with the size-uniform draw made per sample
# instead of once per batch.
_base_ = ['./anymodal_segb0_synthetic_sup.py']
model = dict(data_preprocessor=dict(modality_dropout=dict(per='sample')))
