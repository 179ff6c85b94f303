# Random-missing modality (RMM, val_mm_RMM.py) at rate 0.50: for each subset of intact
# modalities, the others keep their place in the fusion with elements zeroed at random.
robustness_test_cfg = dict(subsets='all', missing='zero',
                           corruption=dict(type='random_missing', rate=0.50, seed=0))
scenario = dict(family='RMM', label='RMM, rate 0.50', order=3)
