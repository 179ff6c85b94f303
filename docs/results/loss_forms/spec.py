# UMD and CMD as the released training loop computes them (the paper configs' default) against
# the paper's equations, on synthetic data at the leaderboard's protocol, teacher and budget.
#   python tools/benchmark/run.py docs/results/loss_forms/spec.py [--dry-run | --collect]
_base_ = ['../leaderboard/spec.py']
A = f'{_base_.SYN}/ablations/anyseg_segb0_synthetic'
entries = [
    _base_.teacher,
    _base_.l_sup,
    _base_.anyseg,
    dict(name='AnySeg, eq. 4 UMD', config=f'{A}_umd-channel.py', teacher='PML teacher',
         sec_per_iter=1.0),
    dict(name='AnySeg, eqs. 4 + 5', config=f'{A}_paper-eqs.py', teacher='PML teacher',
         sec_per_iter=1.0),
    dict(name='AnySeg, KL summed over classes', config=f'{A}_kl-sum.py', teacher='PML teacher'),
    dict(name='AnySeg, Bernoulli CMD', config=f'{A}_cmd-bernoulli.py', teacher='PML teacher'),
]
