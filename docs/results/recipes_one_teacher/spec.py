# The teacher-initialised recipes from one training of the teacher (configs/recipes/README.md).
# The leaderboard's PML teacher was trained again when its checkpoint was gone, at another
# thread count than its first training, and came back with other weights (its record: at most
# 1.72 mIoU from its scores, on RD; trained with OMP_NUM_THREADS=2 it comes back to these
# weights). Subset KD on the teacher's start (three seeds) and AnySeg's terms on it started
# from that training, its control and the draw alone from the first. Here the control and the
# draw alone start from the same training as subset KD, so that every paired difference of
# this table is between students of the same teacher weights. The full-set path on the
# teacher's start was screened from this training too, and is a finalist (three seeds); so were
# the draw annealed to the full set and the full-set path with self-distillation from it.
#   OMP_NUM_THREADS=2 python tools/benchmark/run.py docs/results/recipes_one_teacher/spec.py
_base_ = ['../recipes/spec.py']
protocol = dict(reference='L_sup from the retrained teacher')
retrained = dict(init_from='PML teacher', seeds=[0, 1, 2])
entries = [
    _base_.entries[0],  # the PML teacher
    _base_.entries[1],  # L_sup, for the floor max(teacher, L_sup) - 1
    dict(_base_.entries[2], name='L_sup from the retrained teacher', **retrained),
    dict(_base_.entries[10], name='Recipe: independent dropout, from the retrained teacher',
         **retrained),
    _base_.entries[11],  # AnySeg's terms on the teacher's start, seed 0
    _base_.entries[12],  # subset KD on the teacher's start, three seeds
    dict(_base_.entries[13], seeds=[0, 1, 2]),  # the full-set path: screened best, a finalist
    _base_.entries[14],  # the draw annealed to the full set, screened
    _base_.entries[16],  # the full-set path with self KD from it, screened
]
