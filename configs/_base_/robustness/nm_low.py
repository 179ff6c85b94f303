# Noisy modality (NM, val_mm_NM.py) at the low level: salt-and-pepper on every modality and
# Gaussian noise on all but the event camera; mIoU^NM is the full set's mIoU.
robustness_test_cfg = dict(subsets='all', missing='zero',
                           corruption=dict(type='noise', level='low', seed=0))
scenario = dict(family='NM', label='NM, low', order=5)
