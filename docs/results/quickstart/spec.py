# What `bash tools/quickstart.sh` trains: the PML teacher, the AnySeg student distilled from it
# and L_sup (the same student, anymodal dropout alone), each at the synthetic configs' own
# 600 iterations, seed 0. Its committed runs are the reference the quickstart compares a
# user's run with; the ranking of methods is the leaderboard's, not this.
#   python tools/benchmark/run.py docs/results/quickstart/spec.py [--dry-run | --collect]
SYN = 'configs/synthetic'
protocol = dict(iters=600, seeds=[0], split='val', sec_per_iter=0.8, reference='L_sup, 600 it')
entries = [
    dict(name='PML teacher, 600 it', config=f'{SYN}/pml_segb0_synthetic.py'),
    dict(name='AnySeg, 600 it', config=f'{SYN}/anyseg_segb0_synthetic.py',
         teacher='PML teacher, 600 it'),
    dict(name='L_sup, 600 it', config=f'{SYN}/ablations/anymodal_segb0_synthetic_sup.py'),
]
