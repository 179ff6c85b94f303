# The full loss with this project's Bernoulli-KL reading of eq. 5 (copies the teacher's
# similarities) instead of the released CMD; UMD as released (height axis).
_base_ = ['../anyseg_segb0_synthetic.py']
model = dict(distill_losses=dict(cmd=dict(loss=dict(mode='bernoulli'))))
