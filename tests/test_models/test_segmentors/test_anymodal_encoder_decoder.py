import copy

import pytest
import torch
from mmengine.config import ConfigDict
from mmseg.registry import MODELS

from mmseg_anyseg.utils import all_subsets, subset_name
from tests.helpers import DELIVER_MODALITIES, anymodal_model
from tests.test_models.test_data_preprocessor import batch


def build(test_cfg, size=(32, 32)):
    torch.manual_seed(0)
    model = MODELS.build(anymodal_model(test_cfg=ConfigDict(test_cfg), size=size))
    return model.eval()


@pytest.mark.parametrize('mode', ['whole', 'slide'])
def test_shared_pass_equals_per_subset_evaluation(mode):
    extra = dict(crop_size=(32, 32), stride=(16, 16)) if mode == 'slide' else {}
    model = build(dict(mode=mode, subsets='all', **extra), size=(48, 48))
    torch.manual_seed(1)
    present = [(True, True, True, True), (True, False, True, True)]
    data = batch(present, size=(48, 48))
    data['inputs'] = [torch.randint(0, 255, x.shape, dtype=torch.uint8) for x in data['inputs']]
    with torch.no_grad():
        shared = model.test_step(copy.deepcopy(data))
    names = [subset_name(s) for s in all_subsets(DELIVER_MODALITIES)]
    assert shared[0].subset_names == names
    assert shared[1].subset_valid == [n != 'D' for n in names]
    for index, subset in enumerate(all_subsets(DELIVER_MODALITIES)):
        single = copy.deepcopy(model)
        single.test_cfg = ConfigDict(mode=mode, modalities=subset, **extra)
        rows = [i for i, p in enumerate(present)
                if any(on and m in subset for m, on in zip(DELIVER_MODALITIES, p))]
        sub = dict(inputs=[data['inputs'][i] for i in rows],
                   data_samples=[copy.deepcopy(data['data_samples'][i]) for i in rows])
        with torch.no_grad():
            expected = single.test_step(sub)
        for row, exp in zip(rows, expected):
            got = shared[row].subset_pred_sem_seg.data[index].long()
            assert torch.equal(got, exp.pred_sem_seg.data[0]), (subset, row)
    full = shared[0].subset_pred_sem_seg.data[-1].long()
    assert torch.equal(full, shared[0].pred_sem_seg.data[0])


def test_fixed_modalities_and_unknown_names():
    model = build(dict(mode='whole', modalities=('depth', 'lidar')))
    data = batch([(True, True, True, True)], size=(32, 32))
    with torch.no_grad():
        out = model.test_step(copy.deepcopy(data))
    assert out[0].pred_sem_seg.data.shape == (1, 32, 32)
    model.test_cfg = ConfigDict(mode='whole', modalities=('sonar', ))
    with pytest.raises(ValueError, match='sonar'):
        model.test_step(copy.deepcopy(data))


def test_training_step_uses_the_dropped_subset():
    torch.manual_seed(0)
    model = MODELS.build(anymodal_model(size=(32, 32), modality_dropout=dict(type='subset')))
    data = batch([(True, True, True, True)] * 2, size=(32, 32))
    for s in data['data_samples']:
        s.gt_sem_seg.data = torch.randint(0, 25, s.gt_sem_seg.data.shape)
    from mmengine.optim import OptimWrapper
    wrapper = OptimWrapper(torch.optim.SGD(model.parameters(), lr=0.01))
    losses = model.train_step(data, wrapper)
    assert losses['decode.loss_ce'] > 0 and torch.isfinite(losses['loss'])


def test_shared_segformer_decoding_equals_the_stock_head():
    from mmseg_anyseg.models.test_protocol.subset_decoding import (decode_segformer_subsets,
                                                                supports_shared_decoding)
    model = build(dict(mode='whole'))
    torch.manual_seed(3)
    for module in model.decode_head.modules():  # non-trivial BN statistics
        if isinstance(module, torch.nn.BatchNorm2d):
            module.running_mean.uniform_(-1, 1)
            module.running_var.uniform_(0.5, 2)
    assert supports_shared_decoding(model.decode_head)
    x = torch.randn(2, 4, 3, 32, 32)
    masks = torch.tensor([[[1, 0, 1, 1], [0, 1, 0, 0]], [[1, 1, 1, 1], [1, 0, 0, 1]]]).bool()
    with torch.no_grad():
        per_modality = model.backbone.forward_modalities(x)
        weights = masks.float() / masks.sum(-1, keepdim=True)
        shared = decode_segformer_subsets(model.decode_head, per_modality, weights)
        for s, mask in enumerate(masks):
            stock = model.decode_head.forward(model.backbone.fuse_masked(per_modality, mask))
            torch.testing.assert_close(shared[s], stock, atol=1e-5, rtol=1e-5)


def normalised(model, present, size=(32, 32), seed=1):
    """A pre-processed batch (normalised ``[B, M, C, H, W]`` inputs) with image paths."""
    torch.manual_seed(seed)
    data = batch(present, size=size)
    data['inputs'] = [torch.randint(0, 255, x.shape, dtype=torch.uint8) for x in data['inputs']]
    for index, sample in enumerate(data['data_samples']):
        sample.set_metainfo(dict(img_path=f'frame{index}.png'))
    return model.data_preprocessor(data, False)


def predict_subsets(model, data, **test_cfg):
    model.test_cfg = ConfigDict(mode='whole', subsets='all', **test_cfg)
    with torch.no_grad():
        return model.predict(data['inputs'].clone(), copy.deepcopy(data['data_samples']))


def predict_plain(model, inputs, samples):
    """All modalities, drop convention, no corruption: the reference predictions."""
    model.test_cfg = ConfigDict(mode='whole')
    with torch.no_grad():
        return [s.pred_sem_seg.data[0] for s in model.predict(inputs, copy.deepcopy(samples))]


def test_zero_convention_equals_feeding_zero_images():
    model = build(dict(mode='whole'))
    data = normalised(model, [(True, True, True, True)] * 2)
    shared = predict_subsets(model, data, missing='zero')
    assert shared[0].missing_convention == 'zero'
    drop = predict_subsets(model, data)
    differs = 0
    for index, subset in enumerate(all_subsets(DELIVER_MODALITIES)):
        inputs = data['inputs'].clone()
        for m, name in enumerate(DELIVER_MODALITIES):
            if name not in subset:
                inputs[:, m] = 0
        expected = predict_plain(model, inputs, data['data_samples'])
        for row in range(2):
            got = shared[row].subset_pred_sem_seg.data[index].long()
            assert torch.equal(got, expected[row]), subset
            differs += not torch.equal(got, drop[row].subset_pred_sem_seg.data[index].long())
    assert differs > 0  # the two conventions are different evaluations


def test_random_missing_equals_damaging_the_modalities_outside_each_subset():
    from mmseg_anyseg.models.test_protocol.corruptions import check_corruption, corrupt_batch
    model = build(dict(mode='whole'))
    data = normalised(model, [(True, True, True, True), (True, True, False, True)])
    corruption = dict(type='random_missing', rate=0.5, seed=3)
    shared = predict_subsets(model, data, corruption=corruption)
    assert shared[0].corruption['rate'] == 0.5
    keys = ['frame0.png', 'frame1.png']
    damaged_all = corrupt_batch(data['inputs'], check_corruption(corruption), keys,
                                DELIVER_MODALITIES)
    for index, subset in enumerate(all_subsets(DELIVER_MODALITIES)):
        inputs = data['inputs'].clone()
        for m, name in enumerate(DELIVER_MODALITIES):
            if name not in subset:
                inputs[:, m] = damaged_all[:, m]
        expected = predict_plain(model, inputs, data['data_samples'])
        for row in range(2):
            if not shared[row].subset_valid[index]:
                continue
            got = shared[row].subset_pred_sem_seg.data[index].long()
            assert torch.equal(got, expected[row]), (subset, row)


def test_noise_equals_predicting_on_noisy_inputs_and_is_seeded():
    from mmseg_anyseg.models.test_protocol.corruptions import check_corruption, corrupt_batch
    model = build(dict(mode='whole'))
    data = normalised(model, [(True, True, True, True)])
    corruption = dict(type='noise', level='high', seed=0)
    model.test_cfg = ConfigDict(mode='whole', corruption=corruption)
    with torch.no_grad():
        noisy = model.predict(data['inputs'].clone(), copy.deepcopy(data['data_samples']))
        again = model.predict(data['inputs'].clone(), copy.deepcopy(data['data_samples']))
    inputs = corrupt_batch(data['inputs'], check_corruption(corruption), ['frame0.png'],
                           DELIVER_MODALITIES)
    expected = predict_plain(model, inputs, data['data_samples'])
    assert torch.equal(noisy[0].pred_sem_seg.data[0], expected[0])
    assert torch.equal(noisy[0].pred_sem_seg.data, again[0].pred_sem_seg.data)
    assert noisy[0].corruption['type'] == 'noise'
    with pytest.raises(ValueError, match='missing'):  # validated when set, not per batch
        model.test_cfg = ConfigDict(mode='whole', missing='nothing')


def test_the_test_protocol_follows_test_cfg_edited_in_place():
    model = build(dict(mode='whole', subsets='all'))
    data = normalised(model, [(True, True, True, True)])
    with torch.no_grad():
        assert len(model.predict(data['inputs'], copy.deepcopy(data['data_samples']))[0]
                   .subset_names) == 15
        model.test_cfg['subsets'] = ['R', 'RD']  # in place, after assignment
        assert model.predict(data['inputs'], copy.deepcopy(data['data_samples']))[0] \
            .subset_names == ['R', 'RD']
        model.test_cfg['missing'] = 'zero'
        assert model.test_protocol.missing == 'zero'
    model.test_cfg['missing'] = 'nothing'
    with pytest.raises(ValueError, match="test_cfg.missing='nothing'"):
        model.test_protocol
