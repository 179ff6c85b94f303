# Entire-missing modality (EMM) as the sensor-failure benchmark scores it (val_mm_EMM.py):
# every non-empty subset, the missing modalities fed as zero images after normalisation.
robustness_test_cfg = dict(subsets='all', missing='zero', corruption=None)
scenario = dict(family='EMM', label='EMM, missing zero-filled', order=1)
