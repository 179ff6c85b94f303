# Dropout ablation on synthetic data: L_sup with a draw uniform over the 15 non-empty
# modality subsets per sample (the full set 1/15 of the time instead of 1/4).
_base_ = ['../pml_segb0_synthetic.py']
model = dict(data_preprocessor=dict(modality_dropout=dict(type='subset')))
