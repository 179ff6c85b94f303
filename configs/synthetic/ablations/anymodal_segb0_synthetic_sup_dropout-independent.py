# Dropout ablation on synthetic data: L_sup with each modality dropped independently with
# p=0.2 (the control of the independent-dropout recipe: the same draw, no teacher).
_base_ = ['./anymodal_segb0_synthetic_sup.py']
model = dict(data_preprocessor=dict(modality_dropout=dict(
    _delete_=True, type='independent', drop_prob=0.2)))
