# Recipe: the teacher-initialised independent draw, annealed to the full set: from three
# quarters of the schedule on, the share of samples that draw their kept modalities falls
# linearly to 0, so that the last steps train the full set, where the draw alone ends under
# its teacher. No teacher term; a step costs an L_sup step. Needs a teacher of the student's
# architecture (here both are B0) for the start.
# Train configs/synthetic/pml_segb0_synthetic.py first; the benchmark harness sets load_from
# to its teacher entry's checkpoint (init_from).
_base_ = ['./recipe_teacher-init_independent-dropout_segb0_synthetic.py']
# A config list replaces its base's: the runtime's hooks first (a test keeps them in every
# config), then the anneal.
custom_hooks = [dict(type='RandomStateHook'), dict(type='FiniteLossHook'),
                dict(type='ModalityDropoutAnnealHook', start=0.75)]
