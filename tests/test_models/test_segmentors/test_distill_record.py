import torch

from mmseg_anyseg.models.segmentors import random_modality_partners


def test_random_pairing_draws_kept_student_modalities_uniformly_per_pair():
    kept = torch.tensor([[True, True, False, True], [False, False, True, False]])
    # feature [b, m] holds the value 10 b + m, so that a partner can be read off its feature
    feat = (10 * torch.arange(2)[:, None] + torch.arange(4)).float()[:, :, None, None, None]
    stages = random_modality_partners([feat.expand(2, 4, 1, 1, 1)] * 400, kept)
    drawn = torch.stack([s[..., 0, 0, 0] for s in stages])  # [400, B, M]
    assert set(drawn[:, 1].unique().tolist()) == {12.0}  # sample 1 kept modality 2 only
    counts = torch.stack([(drawn[:, 0] == v).float().mean() for v in (0.0, 1.0, 3.0)])
    assert set(drawn[:, 0].unique().tolist()) == {0.0, 1.0, 3.0}  # never the dropped one
    assert torch.allclose(counts, torch.full((3,), 1 / 3), atol=0.03)  # uniform, with repeats
    assert not torch.equal(drawn[0], drawn[1])  # a new draw for every stage
