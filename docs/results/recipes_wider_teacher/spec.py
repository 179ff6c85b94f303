# The wider-teacher check of the recipes (configs/recipes/README.md): the paper's setting (its
# appendix A.8: a Seg-B2 teacher, a Seg-B0 student), a PML teacher of SegFormer-B2 size
# distilled into the B0 student, at the leaderboard's protocol and budget (the teacher's 3200
# iterations, the students' 1600, one seed). A recipe that does not start from the teacher's
# weights must keep its teacher's strength with a teacher wider than the student too; no
# teacher-initialised recipe applies here. L_sup and the B0 teacher's rows
# are imported from the leaderboard, so the B2 rows stand beside them.
#   python tools/benchmark/run.py docs/results/recipes_wider_teacher/spec.py [--dry-run | --collect]
_base_ = ['../recipes/spec.py']
wider = dict(teacher='PML teacher, B2', seeds=[0])
entries = [
    _base_.entries[0],  # the B0 PML teacher
    dict(name='PML teacher, B2', config=f'{_base_.SYN}/pml_segb2_synthetic.py', iters=3200,
         seeds=[0], sec_per_iter=3.2),
    _base_.l_sup,
    _base_.anyseg,
    dict(_base_.anyseg, name='AnySeg, B2 teacher', sec_per_iter=2.3, **wider),
    dict(name='Recipe: AnySeg, independent dropout, B2 teacher',
         config=f'{_base_.R}_independent-dropout_segb0_synthetic.py', sec_per_iter=2.3,
         **wider),
    dict(name='Recipe: subset KD, B2 teacher', config=f'{_base_.R}_subset-kd_segb0_synthetic.py',
         sec_per_iter=2.5, **wider),
    dict(name='Recipe: subset KD + subset feature KD, independent dropout, B2 teacher',
         config=f'{_base_.R}_subset-kd_subset-feature-kd_independent-dropout_segb0_synthetic.py',
         sec_per_iter=2.6, **wider),
]
