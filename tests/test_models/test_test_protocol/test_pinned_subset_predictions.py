"""Pins the subset predictions of fixed random models to values recorded before a refactor.

The reference file holds, for each case, the ``[B, S, H, W]`` subset predictions
(all 15 DELIVER subsets) and the kept-set prediction of a seeded tiny model, as
the code produced them at commit 76b3240 (before the test protocol left the
segmentor). Regenerate only on purpose:
``python -m tests.test_models.test_test_protocol.test_pinned_subset_predictions --write``.
"""
import copy
import os.path as osp
import sys

import numpy as np
import pytest
import torch
from mmengine.config import ConfigDict
from mmseg.registry import MODELS

from tests.helpers import TINY_MIT, anymodal_model
from tests.test_models.test_data_preprocessor import batch

REFERENCE = osp.join(osp.dirname(osp.dirname(osp.dirname(__file__))), 'data',
                     'pinned_subset_predictions.npz')
PRESENT = [(True, True, True, True), (True, False, True, True)]
CORRUPTIONS = dict(none=None, rmm=dict(type='random_missing', rate=0.5, seed=0),
                   noise=dict(type='noise', level='mid', seed=0))
#: (backbone kind, missing convention, corruption name, inference mode)
CASES = [(kind, missing, corruption, mode)
         for kind, conventions in (('MultiModalMiT', ('drop', 'zero')), ('MAGICMiT', ('drop', )),
                                   ('CMNeXt', ('zero', )))
         for missing in conventions for corruption in CORRUPTIONS
         for mode in ('whole', 'slide')]


def case_name(case) -> str:
    return '-'.join(case)


def predict(kind: str, missing: str, corruption: str, mode: str):
    test_cfg = dict(mode=mode, subsets='all', missing=missing)
    if mode == 'slide':
        test_cfg.update(crop_size=(32, 32), stride=(16, 16))
    if CORRUPTIONS[corruption]:
        test_cfg['corruption'] = CORRUPTIONS[corruption]
    cfg = anymodal_model(size=(48, 48), test_cfg=ConfigDict(test_cfg))
    if kind == 'MAGICMiT':
        cfg.update(type='MAGICEncoderDecoder')
        cfg['backbone']['type'] = 'MAGICMiT'
    elif kind == 'CMNeXt':
        cfg['backbone'] = dict(type='CMNeXt', num_modalities=4, rgb_branch=TINY_MIT)
    torch.manual_seed(0)
    model = MODELS.build(cfg).eval()
    torch.manual_seed(1)
    data = batch(PRESENT, size=(48, 48))
    data['inputs'] = [torch.randint(0, 255, x.shape, dtype=torch.uint8) for x in data['inputs']]
    for i, sample in enumerate(data['data_samples']):
        sample.set_metainfo(dict(img_path=f'frame_{i}.png'))
    with torch.no_grad():
        out = model.test_step(copy.deepcopy(data))
    return dict(subsets=torch.stack([s.subset_pred_sem_seg.data for s in out]).to(torch.uint8),
                kept=torch.stack([s.pred_sem_seg.data[0] for s in out]).to(torch.uint8))


@pytest.mark.parametrize('case', CASES, ids=case_name)
def test_subset_predictions_are_unchanged(case):
    reference = np.load(REFERENCE, allow_pickle=False)
    got = predict(*case)
    for key in ('subsets', 'kept'):
        expected = torch.from_numpy(reference[f'{case_name(case)}/{key}'])
        assert torch.equal(got[key], expected), key


if __name__ == '__main__' and sys.argv[1:] == ['--write']:
    import tests.conftest  # noqa: F401  (registers the plugin and mmseg's modules)
    arrays = {f'{case_name(c)}/{key}': value.numpy() for c in CASES
              for key, value in predict(*c).items()}
    np.savez_compressed(REFERENCE, **arrays)
    print(f'wrote {len(CASES)} cases to {REFERENCE}')
