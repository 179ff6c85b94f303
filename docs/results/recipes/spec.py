# Student recipes beyond the paper (configs/recipes/README.md), screened on one seed at the
# leaderboard's protocol, teacher and budget, beside the rows they must beat: the teacher,
# L_sup, L_sup started from the teacher's weights (the control for any recipe that starts
# from them) and AnySeg, all imported from the leaderboard. The finalists then get the
# leaderboard's three seeds.
#   python tools/benchmark/run.py docs/results/recipes/spec.py [--dry-run | --collect]
_base_ = ['../leaderboard/spec.py']
R = f'{_base_.SYN}/recipes/recipe'
screen = dict(teacher='PML teacher', seeds=[0])
entries = [
    _base_.teacher,
    _base_.l_sup,
    _base_.methods[1],  # L_sup from the teacher
    _base_.anyseg,
    dict(name='Recipe: subset KD', config=f'{R}_subset-kd_segb0_synthetic.py', **screen),
    dict(name='Recipe: MAD + full path', config=f'{R}_full-path_segb0_synthetic.py',
         sec_per_iter=1.3, **screen),
    dict(name='Recipe: full path + self KD', config=f'{R}_self-kd_segb0_synthetic.py',
         sec_per_iter=1.3, **screen),
    dict(name='Recipe: subset KD + full path', config=f'{R}_subset-kd_full-path_segb0_'
         'synthetic.py', sec_per_iter=1.3, **screen),
    dict(name='Recipe: AnySeg, independent dropout',
         config=f'{R}_independent-dropout_segb0_synthetic.py', teacher='PML teacher'),
    dict(name='L_sup, independent dropout',  # its control: the same draw, no teacher
         config=f'{_base_.SYN}/ablations/anymodal_segb0_synthetic_sup_dropout-independent.py'),
    # Started from the teacher's weights: the control is 'L_sup from the teacher'.
    dict(name='Recipe: independent dropout, from the teacher',
         config=f'{R}_teacher-init_independent-dropout_segb0_synthetic.py',
         init_from='PML teacher'),  # a finalist: the protocol's three seeds
    dict(name='Recipe: AnySeg, independent dropout, from the teacher',
         config=f'{R}_independent-dropout_segb0_synthetic.py', init_from='PML teacher',
         sec_per_iter=1.0, **screen),
    dict(name='Recipe: subset KD, independent dropout, from the teacher',  # a finalist
         config=f'{R}_teacher-init_independent-dropout_subset-kd_segb0_synthetic.py',
         init_from='PML teacher', teacher='PML teacher', sec_per_iter=1.1),
    dict(name='Recipe: full path, independent dropout, from the teacher',
         config=f'{R}_teacher-init_independent-dropout_full-path_segb0_synthetic.py',
         init_from='PML teacher', sec_per_iter=1.0, **screen),
    dict(name='Recipe: annealed independent dropout, from the teacher',
         config=f'{R}_teacher-init_independent-dropout_anneal_segb0_synthetic.py',
         init_from='PML teacher', sec_per_iter=0.5, seeds=[0]),
    dict(name='Recipe: subset KD + subset feature KD, independent dropout',
         config=f'{R}_subset-kd_subset-feature-kd_independent-dropout_segb0_synthetic.py',
         sec_per_iter=1.2, **screen),
    dict(name='Recipe: full path + self KD, independent dropout, from the teacher',
         config=f'{R}_teacher-init_independent-dropout_full-path_self-kd_segb0_synthetic.py',
         init_from='PML teacher', sec_per_iter=1.0, **screen),
]
