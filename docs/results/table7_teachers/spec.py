# Table 7 on synthetic data: the same student (L_sup + MAD + KD on the fused feature) from
# three teachers, each trained for the leaderboard teacher's budget, at the leaderboard's
# protocol (the PML teacher is the leaderboard's).
#   python tools/benchmark/run.py docs/results/table7_teachers/spec.py [--dry-run | --collect]
_base_ = ['../leaderboard/spec.py']
entries = [
    _base_.teacher,
    dict(name='CMNeXt teacher', config=f'{_base_.SYN}/baselines/cmnext_segb0_synthetic.py',
         iters=3200, seeds=[0]),
    dict(name='MAGIC teacher', config=f'{_base_.SYN}/baselines/magic_segb0_synthetic.py',
         iters=3200, seeds=[0]),
    _base_.l_sup,
    dict(name='MAD + fused KD from PML',
         config=f'{_base_.SYN}/ablations/anyseg_segb0_synthetic_teacher-pml-fused.py',
         teacher='PML teacher'),
    dict(name='MAD + fused KD from CMNeXt',
         config=f'{_base_.SYN}/ablations/anyseg_segb0_synthetic_teacher-cmnext.py',
         teacher='CMNeXt teacher'),
    dict(name='MAD + fused KD from MAGIC',
         config=f'{_base_.SYN}/ablations/anyseg_segb0_synthetic_teacher-magic.py',
         teacher='MAGIC teacher'),
]
