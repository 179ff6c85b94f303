# Dropout ablation on synthetic data: L_sup with the size-uniform draw made per sample
# instead of once per batch.
_base_ = ['../pml_segb0_synthetic.py']
model = dict(data_preprocessor=dict(modality_dropout=dict(type='size_uniform', per='sample')))
