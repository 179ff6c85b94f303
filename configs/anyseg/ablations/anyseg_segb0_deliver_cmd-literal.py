# AnySeg on DELIVER with eq. 5 as written, S_t log(S_t / S_s) on the global similarities,
# instead of the released loop's correlation-matrix MSE (semseg/models/segformer/CMD.py).
_base_ = ['../anyseg_segb0_deliver.py']
model = dict(distill_losses=dict(cmd=dict(loss=dict(mode='literal', granularity='global'))))
