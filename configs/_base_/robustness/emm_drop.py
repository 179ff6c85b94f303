# Entire-missing modality (EMM), AnySeg's convention: every non-empty subset, the missing
# modalities left out of the fusion. Apply with tools/test.py --scenario THIS_FILE.
robustness_test_cfg = dict(subsets='all', missing='drop', corruption=None)
scenario = dict(family='EMM', label='EMM, missing dropped', order=0)
