# AnySeg on DELIVER with this project's Bernoulli-KL reading of eq. 5 instead of the released CMD.
_base_ = ['../anyseg_segb0_deliver.py']
model = dict(distill_losses=dict(cmd=dict(loss=dict(mode='bernoulli'))))
