# Recipe: anymodal dropout alone (L_sup) with each modality dropped independently with p=0.2,
# started from the PML teacher's weights. Needs a teacher of the student's architecture (here
# both are B0); no teacher is kept in training, so a step costs what an L_sup step costs.
# Train configs/synthetic/pml_segb0_synthetic.py first; the benchmark harness sets load_from
# to its teacher entry's checkpoint (init_from).
_base_ = ['../ablations/anymodal_segb0_synthetic_sup_dropout-independent.py']
load_from = 'work_dirs/pml_segb0_synthetic/iter_600.pth'
