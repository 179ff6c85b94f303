# Table 3 on synthetic data: L_sup only (anymodal dropout, no teacher).
_base_ = ['../pml_segb0_synthetic.py']
model = dict(data_preprocessor=dict(modality_dropout=dict(type='subset')))
