# The full loss with this project's Bernoulli-KL reading of CMD (copies the teacher's
# similarities) instead of eq. 5 as written (pulls them towards 1).
_base_ = ['../anyseg_segb0_synthetic.py']
model = dict(cmd_loss=dict(mode='bernoulli'))
