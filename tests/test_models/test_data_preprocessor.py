import pytest
import torch
from mmseg.registry import MODELS
from mmseg.structures import SegDataSample
from mmengine.structures import PixelData

from tests.helpers import DELIVER_MODALITIES, anymodal_preprocessor


def batch(present, size=(30, 20)):
    inputs, samples = [], []
    for row in present:
        img = torch.stack([torch.full(size, 10.0 * (m + 1)) for m in range(12)])
        inputs.append(img.to(torch.uint8))
        sample = SegDataSample(metainfo=dict(modalities=DELIVER_MODALITIES,
                                             modality_present=tuple(row), img_shape=size,
                                             ori_shape=size))
        sample.gt_sem_seg = PixelData(data=torch.zeros(1, *size, dtype=torch.long))
        samples.append(sample)
    return dict(inputs=inputs, data_samples=samples)


def test_normalises_per_modality_pads_and_stacks():
    cfg = anymodal_preprocessor(size=(32, 32))
    cfg.update(mean=dict(rgb=[0, 0, 0], depth=[10, 10, 10], event=[0, 0, 0], lidar=[0, 0, 0]),
               std=dict(rgb=[1, 1, 1], depth=[2, 2, 2], event=[1, 1, 1], lidar=[4, 4, 4]))
    pre = MODELS.build(cfg)
    out = pre(batch([(True, True, False, True)]), training=True)
    inputs, sample = out['inputs'], out['data_samples'][0]
    assert inputs.shape == (1, 4, 3, 32, 32)
    assert inputs[0, 0, 0, 0, 0] == 10 and inputs[0, 1, 0, 0, 0] == (40 - 10) / 2
    assert inputs[0, 3, 2, 0, 0] == 120 / 4
    assert inputs[0, 0, 0, 31, 19] == 0  # padding
    assert sample.gt_sem_seg.data.shape[-2:] == (32, 32)
    assert sample.modality_mask == (True, True, False, True)  # no dropout configured


def test_subset_dropout_keeps_a_nonempty_subset_of_present_modalities():
    torch.manual_seed(0)
    pre = MODELS.build(anymodal_preprocessor(modality_dropout=dict(type='subset')))
    present = [(True, True, True, True), (False, True, False, True)] * 200
    data = batch(present)
    out = pre(data, training=True)
    kept = torch.tensor([s.modality_mask for s in out['data_samples']])
    avail = torch.tensor(present)
    assert kept.any(1).all() and not (kept & ~avail).any()
    full_rows = kept[0::2]
    patterns = {tuple(r.tolist()) for r in full_rows}
    assert len(patterns) == 15  # every non-empty subset of 4 is drawn
    assert full_rows.sum(1).float().mean() == pytest.approx(32 / 15, abs=0.25)
    test_out = pre(batch(present[:2]), training=False)
    assert [s.modality_mask for s in test_out['data_samples']] == present[:2]


def test_independent_dropout_and_bad_configs():
    torch.manual_seed(0)
    pre = MODELS.build(anymodal_preprocessor(modality_dropout=dict(
        type='independent', drop_prob=dict(rgb=1.0, depth=0.0, event=1.0, lidar=1.0))))
    out = pre(batch([(True, True, True, True), (True, False, True, False)]), training=True)
    masks = [s.modality_mask for s in out['data_samples']]
    assert masks[0] == (False, True, False, False)
    assert sum(masks[1]) == 1 and (masks[1][0] or masks[1][2])
    with pytest.raises(ValueError, match='type'):
        MODELS.build(anymodal_preprocessor(modality_dropout=dict(type='sometimes')))
    with pytest.raises(KeyError, match='lidar'):
        MODELS.build(dict(anymodal_preprocessor(), mean=dict(rgb=[0, 0, 0])))


def test_size_uniform_per_batch_matches_the_authors_draw():
    """Kept-set size uniform in 1..M, then a uniform subset, one draw per batch
    (``random.randint(1, M)`` then ``random.sample(range(M), k)`` in the authors'
    ``Seg.forward``): size k with probability 1/4, each subset of size k with
    probability 1/(4 * C(4, k))."""
    torch.manual_seed(0)
    pre = MODELS.build(anymodal_preprocessor(modality_dropout=dict(type='size_uniform')))
    draws = 2000
    sizes, patterns = torch.zeros(5), {}
    for _ in range(draws):
        masks = pre.sample_modality_mask(torch.ones(3, 4, dtype=torch.bool))
        assert (masks == masks[0]).all()  # one draw for the whole batch
        sizes[int(masks[0].sum())] += 1
        key = tuple(masks[0].tolist())
        patterns[key] = patterns.get(key, 0) + 1
    freq = sizes[1:] / draws
    assert torch.allclose(freq, torch.full((4, ), 0.25), atol=0.03)
    assert patterns[(True, True, True, True)] / draws == pytest.approx(0.25, abs=0.03)
    assert patterns[(True, False, False, False)] / draws == pytest.approx(1 / 16, abs=0.015)
    assert patterns[(True, True, False, False)] / draws == pytest.approx(1 / 24, abs=0.015)


def test_size_uniform_respects_the_modalities_each_sample_has():
    torch.manual_seed(0)
    per_batch = MODELS.build(anymodal_preprocessor(modality_dropout=dict(type='size_uniform')))
    per_sample = MODELS.build(anymodal_preprocessor(
        modality_dropout=dict(type='size_uniform', per='sample')))
    present = torch.tensor([[True, True, True, True], [False, True, False, True],
                            [True, False, False, False]] * 400)
    for pre in (per_batch, per_sample):
        kept = pre.sample_modality_mask(present)
        assert kept.any(1).all() and not (kept & ~present).any()
        assert (kept[2::3] == present[2::3]).all()  # a single modality is always kept
    kept = per_sample.sample_modality_mask(present)
    full = kept[0::3].sum(1)
    assert torch.allclose(torch.bincount(full, minlength=5)[1:] / len(full),
                          torch.full((4, ), 0.25), atol=0.05)
    two = kept[1::3].sum(1)  # samples with two modalities keep one or both, 1/2 each
    assert (two == 2).float().mean() == pytest.approx(0.5, abs=0.06)
    with pytest.raises(ValueError, match='per'):
        MODELS.build(anymodal_preprocessor(modality_dropout=dict(type='size_uniform',
                                                                 per='pixel')))


def test_dropout_share_lets_the_other_samples_keep_every_present_modality():
    pre = MODELS.build(anymodal_preprocessor(modality_dropout=dict(
        type='independent', drop_prob=1.0)))  # a drawn sample keeps exactly one modality
    present = [(True, True, True, True), (True, False, True, True)] * 300
    torch.manual_seed(0)
    full_share = [s.modality_mask for s in pre(batch(present), training=True)['data_samples']]
    after_forward = torch.rand(1)
    torch.manual_seed(0)
    pre.sample_modality_mask(torch.tensor(present))
    assert torch.rand(1) == after_forward  # at share 1 the random stream is the draw's alone
    assert all(sum(m) == 1 for m in full_share)
    pre.dropout_share = 0.0
    none = [s.modality_mask for s in pre(batch(present), training=True)['data_samples']]
    assert none == present
    pre.dropout_share = 0.25
    masks = [s.modality_mask for s in pre(batch(present), training=True)['data_samples']]
    drawn = [m != p for m, p in zip(masks, present)]
    assert all(sum(m) == 1 for m, d in zip(masks, drawn) if d)
    assert sum(drawn) / len(drawn) == pytest.approx(0.25, abs=0.05)
