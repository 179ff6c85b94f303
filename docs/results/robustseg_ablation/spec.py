# RobustSeg's two stages apart (HPDM only, RRM only) and its missing-modality fills, on
# synthetic data at the leaderboard's protocol, teacher and budget.
#   python tools/benchmark/run.py docs/results/robustseg_ablation/spec.py [--dry-run | --collect]
_base_ = ['../leaderboard/spec.py']
R = f'{_base_.SYN}/ablations/robustseg_segb0_synthetic'
entries = [
    _base_.teacher,
    _base_.l_sup,
    dict(name='RobustSeg', config=f'{_base_.SYN}/robustseg_segb0_synthetic.py',
         teacher='PML teacher', sec_per_iter=1.2),
    dict(name='RobustSeg, HPDM only', config=f'{R}_hpdm.py', teacher='PML teacher'),
    dict(name='RobustSeg, RRM only', config=f'{R}_rrm.py', teacher='PML teacher'),
    dict(name='RobustSeg, zero fill', config=f'{R}_zero-fill.py', teacher='PML teacher',
         sec_per_iter=1.2),
    dict(name='RobustSeg, zero fill at random', config=f'{R}_zero-fill-random.py',
         teacher='PML teacher', sec_per_iter=1.2),
]
