# The learning curve that chooses the synthetic leaderboard's budget: one PML teacher and one
# L_sup student (anymodal dropout alone), each trained for 3200 iterations on the synthetic
# DELIVER and scored on the val split every 400 iterations (mean mIoU over the 15 subsets).
#   python tools/benchmark/run.py docs/results/leaderboard/learning_curve/spec.py
protocol = dict(iters=3200, seeds=[0], split='val', sec_per_iter=0.9)
entries = [
    dict(name='PML teacher', config='configs/synthetic/pml_segb0_synthetic.py',
         val_interval=400),
    dict(name='L_sup', config='configs/synthetic/ablations/anymodal_segb0_synthetic_sup.py',
         val_interval=400),
]
