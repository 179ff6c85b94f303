# Table 3 on synthetic data: the distillation losses added one at a time to anymodal dropout
# (L_sup), at the leaderboard's protocol, teacher and budget (its L_sup and AnySeg runs are
# imported from the leaderboard).
#   python tools/benchmark/run.py docs/results/table3_ablation/spec.py [--dry-run | --collect]
_base_ = ['../leaderboard/spec.py']
entries = [
    _base_.teacher,
    _base_.l_sup,
    dict(name='L_sup + MAD', config=f'{_base_.SYN}/ablations/anyseg_segb0_synthetic_mad.py',
         teacher='PML teacher'),
    dict(name='L_sup + MAD + UMD',
         config=f'{_base_.SYN}/ablations/anyseg_segb0_synthetic_mad-umd.py',
         teacher='PML teacher'),
    _base_.anyseg,
]
