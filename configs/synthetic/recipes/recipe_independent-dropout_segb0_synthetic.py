# Recipe: AnySeg's losses with each modality dropped independently with p=0.2 (CAFuser's
# draw: the full set in 41% of the samples, against a quarter of the batches for the
# authors' size-uniform draw).
_base_ = ['../anyseg_segb0_synthetic.py']
model = dict(data_preprocessor=dict(modality_dropout=dict(
    _delete_=True, type='independent', drop_prob=0.2)))
