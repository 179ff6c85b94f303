"""RobustSeg's HPDM and RRM against the released formulas re-derived by hand on tiny tensors."""
import pytest
import torch
import torch.nn as nn

from mmseg_anyseg.models.losses import (FunctionalEntropyRegLoss, PrototypeDistillLoss,
                                        class_prototypes)
from mmseg_anyseg.models.losses.functional_entropy_loss import perturb


def test_class_prototypes_by_hand():
    features = torch.arange(8.).view(1, 2, 2, 2)  # channel 0: 0..3, channel 1: 4..7
    labels = torch.tensor([[[0, 0, 1, 1], [0, 0, 1, 1], [255, 255, 1, 1], [255, 255, 1, 1]]])
    # nearest resize to 2x2 picks labels[0, 0], [0, 2], [2, 0], [2, 2] = 0, 1, 255, 1
    protos = class_prototypes(features, labels, num_classes=3)
    assert protos.tolist() == [[[0., 4.], [2., 6.], [0., 0.]]]
    released = class_prototypes(features, labels, num_classes=3, prototype_norm='released')
    assert released.tolist() == [[[0., 4.], [1., 3.], [0., 0.]]]  # class 1 divided by 2 again


def released_pcumd(student, teacher, kept, labels, num_classes):
    """PCUMD of the released code, with loops, on the kept pairs (correct class means)."""
    kl = nn.KLDivLoss(reduction='mean')
    total = 0.0
    for i in range(kept.shape[0]):
        for s_stage, t_stage in zip(student, teacher):
            for k in kept[i].nonzero().flatten().tolist():
                small = nn.functional.interpolate(labels[i][None, None].float(),
                                                  size=s_stage.shape[-2:]).long()[0, 0]
                protos = []
                for feat in (s_stage[i, k], t_stage[i, k]):
                    proto = torch.zeros(num_classes, feat.shape[0])
                    for c in range(num_classes):
                        if (small == c).any():
                            proto[c] = feat[:, small == c].mean(dim=1)
                    protos.append(proto)
                total += kl(torch.log_softmax(protos[0], 0), torch.softmax(protos[1], 0)).clamp(min=0)
    return total / kept.shape[0]


def test_prototype_kl_equals_the_released_pcumd():
    torch.manual_seed(0)
    student = [torch.randn(2, 3, 4, 4, 4), torch.randn(2, 3, 6, 2, 2)]
    teacher = [torch.randn(2, 3, 4, 4, 4), torch.randn(2, 3, 6, 2, 2)]
    kept = torch.tensor([[True, False, True], [False, True, False]])
    labels = torch.randint(0, 3, (2, 8, 8))
    labels[0, :2] = 255
    loss = PrototypeDistillLoss(num_classes=3, stage_channels=[4, 6], loss_weight=1.0)
    expected = released_pcumd(student, teacher, kept, labels, 3)
    torch.testing.assert_close(loss(student, teacher, kept, labels), expected)
    assert PrototypeDistillLoss(3, [4, 6], loss_weight=100.0)(
        student, teacher, kept, labels).item() == pytest.approx(100 * expected.item(), rel=1e-5)


def test_global_prototypes_are_buffers_updated_by_the_ema():
    torch.manual_seed(0)
    loss = PrototypeDistillLoss(num_classes=2, stage_channels=[3], global_loss_weight=1.0)
    assert set(loss.state_dict()) == {'global_prototypes_0'}
    student = [torch.randn(1, 1, 3, 2, 2)]
    labels = torch.zeros(1, 2, 2, dtype=torch.long)
    kept = torch.ones(1, 1, dtype=torch.bool)
    loss(student, student, kept, labels)
    batch = class_prototypes(student[0][:, 0], labels, 2).mean(dim=0)
    torch.testing.assert_close(loss.global_prototypes_0, 0.1 * batch)
    loss(student, student, kept, labels)
    torch.testing.assert_close(loss.global_prototypes_0, 0.9 * 0.1 * batch + 0.1 * batch)
    restored = PrototypeDistillLoss(num_classes=2, stage_channels=[3], global_loss_weight=1.0)
    restored.load_state_dict(loss.state_dict())
    torch.testing.assert_close(restored.global_prototypes_0, loss.global_prototypes_0)


def _sync_worker(rank, world, init, out):
    import torch.distributed as dist
    dist.init_process_group('gloo', init_method=init, rank=rank, world_size=world)
    loss = PrototypeDistillLoss(num_classes=2, stage_channels=[1], global_loss_weight=1.0)
    loss.update_global(0, torch.full((2, 1), float(rank + 1)))
    torch.save(loss.global_prototypes_0, f'{out}/rank{rank}.pt')
    dist.destroy_process_group()


@pytest.mark.slow
def test_global_prototypes_agree_across_two_gloo_processes(tmp_path):
    import torch.multiprocessing as mp
    init = f'file://{tmp_path}/rendezvous'
    mp.spawn(_sync_worker, args=(2, init, str(tmp_path)), nprocs=2)
    ranks = [torch.load(tmp_path / f'rank{r}.pt', weights_only=True) for r in range(2)]
    torch.testing.assert_close(ranks[0], ranks[1])
    torch.testing.assert_close(ranks[0], torch.full((2, 1), 0.1 * 1.5))  # EMA of the mean


@pytest.mark.parametrize('softmax_dim', ['released', 'channel'])
def test_functional_entropy_term_by_hand(softmax_dim):
    torch.manual_seed(0)
    student = torch.randn(3, 2, 2, requires_grad=True)
    teacher = torch.randn(3, 2, 2)
    loss = FunctionalEntropyRegLoss(loss_weight=1.0, reg_lambda=1.0, num_samples=4,
                                    softmax_dim=softmax_dim)
    torch.manual_seed(7)
    got = loss.pair_terms(student[None], teacher[None])[0]
    torch.manual_seed(7)
    s_noisy, t_noisy = perturb(student[None], 4)[0], perturb(teacher[None], 4)[0]
    # perturbation: every row of a channel repeats it, noise std is the column's std
    assert s_noisy.shape == (12, 2, 2)
    dim = 1
    if softmax_dim == 'channel':
        s_noisy = s_noisy.view(3, 4, 2, 2).transpose(0, 1)
        t_noisy = t_noisy.view(3, 4, 2, 2).transpose(0, 1)
    log_p = torch.log_softmax(s_noisy, dim=dim)
    q = torch.softmax(t_noisy, dim=dim)
    n = log_p.numel()
    f = (q * (q.log() - log_p)).sum() / n
    # d f / d log_p = -q / n ; d f / d q = (log q + 1 - log_p) / n
    grads = [-q / n, (q.log() + 1 - log_p) / n]
    info = torch.stack([(g.norm(dim=dim) ** 2 / f).mean() for g in grads])
    expected = torch.norm(1 / info, p=2)
    torch.testing.assert_close(got, expected)
    got.backward()
    assert student.grad is not None and bool(student.grad.abs().sum() > 0)


@pytest.mark.parametrize('softmax_dim', ['released', 'channel'])
def test_regularization_batches_the_kept_pairs_as_the_released_loop(softmax_dim, monkeypatch):
    """One autograd.grad for all pairs equals the released loop, value and gradient."""
    torch.manual_seed(0)
    student = [torch.randn(2, 2, 3, 4, 2, requires_grad=True)]
    teacher = [torch.randn(2, 2, 3, 4, 2)]
    kept = torch.tensor([[True, False], [True, True]])
    # the same noise for both ways of drawing it: a fixed multiple of the column std
    monkeypatch.setattr(torch, 'randn_like', lambda x: torch.full_like(x, 0.3))
    loss = FunctionalEntropyRegLoss(loss_weight=12.0, num_samples=2, softmax_dim=softmax_dim)
    total = loss(student, teacher, kept)
    (batched,) = torch.autograd.grad(total, student)
    pairs = [loss.pair_terms(student[0][i, m][None], teacher[0][i, m][None])[0]
             for i, m in kept.nonzero().tolist()]
    looped = 12.0 * sum(pairs) / 2
    torch.testing.assert_close(total, looped)
    torch.testing.assert_close(batched, torch.autograd.grad(looped, student)[0])
    assert bool(batched[0, 1].abs().sum() == 0)  # a dropped pair has no term


def test_released_height_axis_needs_maps_taller_than_one_pixel():
    loss = FunctionalEntropyRegLoss(num_samples=2, softmax_dim='released')
    with pytest.raises(ValueError, match='1 pixel high'):
        loss([torch.randn(1, 1, 3, 1, 4)], [torch.randn(1, 1, 3, 1, 4)], torch.ones(1, 1, dtype=bool))
