# AnySeg on DELIVER with this project's Bernoulli-KL reading of CMD instead of eq. 5.
_base_ = ['../anyseg_segb0_deliver.py']
model = dict(cmd_loss=dict(mode='bernoulli'))
