# The synthetic anymodal leaderboard: every method under one protocol on the built-in synthetic
# DELIVER (B0 size, 128x128, the val split, 15 modality subsets), one budget, one teacher,
# three seeds.
#   python tools/benchmark/run.py docs/results/leaderboard/spec.py --dry-run   # plan and time
#   python tools/benchmark/run.py docs/results/leaderboard/spec.py             # run what is left
#   python tools/benchmark/run.py docs/results/leaderboard/spec.py --collect   # leaderboard.*
# The teacher (3200 iterations) and the 'L_sup, 3200 it' row are scored every 400 iterations on
# the way: the learning curve (curve.json) that chose the students' budget of 1600 iterations.
# Each row is evaluated with its config's missing-modality convention: 'drop' for the
# shared-weight models (PML, the students, MAGIC), 'zero' for the fixed-branch CMNeXt and CMX.
# The studies in the sibling folders inherit this protocol, the teacher and the rows they
# share (`_base_.teacher`, `_base_.methods`): a run one spec made is imported by the others.
protocol = dict(iters=1600, seeds=[0, 1, 2], split='val', sec_per_iter=0.8, reference='L_sup')
SYN = 'configs/synthetic'
teacher = dict(name='PML teacher', config=f'{SYN}/pml_segb0_synthetic.py', iters=3200, seeds=[0],
               val_interval=400)
l_sup = dict(name='L_sup', config=f'{SYN}/ablations/anymodal_segb0_synthetic_sup.py')
anyseg = dict(name='AnySeg', config=f'{SYN}/anyseg_segb0_synthetic.py', teacher='PML teacher')
methods = [
    l_sup,
    dict(name='L_sup from the teacher', config=f'{SYN}/ablations/anymodal_segb0_synthetic_sup.py',
         init_from='PML teacher'),
    anyseg,
    dict(name='AnySeg, eq. 4 UMD', config=f'{SYN}/ablations/anyseg_segb0_synthetic_umd-channel.py',
         teacher='PML teacher', sec_per_iter=1.0),
    dict(name='RobustSeg', config=f'{SYN}/robustseg_segb0_synthetic.py', teacher='PML teacher',
         sec_per_iter=1.2),
    dict(name='MAGIC', config=f'{SYN}/baselines/magic_segb0_synthetic.py'),
    dict(name='CMNeXt', config=f'{SYN}/baselines/cmnext_segb0_synthetic.py'),
    dict(name='CMX', config=f'{SYN}/baselines/cmx_segb0_synthetic.py'),
]
entries = [
    teacher,
    dict(name='L_sup, 3200 it', config=f'{SYN}/ablations/anymodal_segb0_synthetic_sup.py',
         iters=3200, seeds=[0], val_interval=400),
] + methods
