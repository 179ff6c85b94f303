"""UMD and CMD against line-by-line transcriptions of the released training loop's functions.

The references below transcribe ``RobustSeg/RobustSeg``'s ``semseg/models/segformer/UMD.py``
(``UMD``) and ``semseg/models/segformer/CMD.py`` (``UMD``, imported as ``CMD``, and
``compute_correlation_matrix_by_size``) with their loops, accumulating lists, diagonal and last
pass kept as they are. Their inputs are the released model's: per sample ``i`` and stage ``j``
the student's ``[K, C, H, W]`` kept maps and the teacher's ``[M, C, H, W]`` maps, and the
per-batch kept ``index``.
"""
from collections import defaultdict

import pytest
import torch
import torch.nn as nn

from mmseg_anyseg.models import CrossModalDistillLoss, UnimodalDistillLoss


def released_umd(index, x_all, x_all_s):
    loss_umd = 0.0
    loss_kl = nn.KLDivLoss(reduction='mean', log_target=False)
    B = len(x_all)
    for i in range(B):
        for j in range(len(x_all[i])):
            for k in range(len(index)):
                x_all_log_softmax = torch.log_softmax(x_all[i][j][k, :, :, :], dim=1)
                x_all_s_softmax = torch.softmax(x_all_s[i][j][index[k], :, :, :], dim=1)
                loss_s = loss_kl(x_all_log_softmax, x_all_s_softmax).clamp(min=0)
                loss_umd += loss_s
    return loss_umd / B


def released_correlation_matrices(features):
    grouped_features = defaultdict(list)
    for feature in features:
        grouped_features[feature.shape].append(feature)
    correlation_matrices = []
    for shape, group in grouped_features.items():
        n = len(group)
        corr_matrix = torch.zeros((n, n))
        for i in range(n):
            for j in range(n):
                if i == j:
                    corr_matrix[i, j] = 1.0
                else:
                    f_i = group[i].flatten(1)
                    f_j = group[j].flatten(1)
                    corr_matrix[i, j] = nn.functional.cosine_similarity(f_i, f_j, dim=1).mean()
        correlation_matrices.append(corr_matrix)
    return correlation_matrices


def released_cmd(index, x_all, x_all_s):
    B = len(x_all)
    x_all_feat = []
    x_all_s_feat = []
    for i in range(B):
        for j in range(len(x_all[i])):
            for k in range(len(index)):
                x_all_feat.append(torch.log_softmax(x_all[i][j][k, :, :, :], dim=1))
                x_all_s_feat.append(torch.softmax(x_all_s[i][j][index[k], :, :, :], dim=1))
        student_corr_matrices = released_correlation_matrices(x_all_feat)
        teacher_corr_matrices = released_correlation_matrices(x_all_s_feat)
        mse_loss = nn.MSELoss()
        total_corr_loss = 0.0
        for student_corr_matrix, teacher_corr_matrix in zip(student_corr_matrices,
                                                            teacher_corr_matrices):
            total_corr_loss += mse_loss(student_corr_matrix, teacher_corr_matrix)
    return total_corr_loss / B


STAGES = [(4, 6, 5), (6, 3, 3)]  # (C, H, W) per stage


def batch(seed, batch_size=3, num_mod=4, same_widths=True):
    """Student and teacher per-stage ``[B, M, C, H, W]`` features."""
    gen = torch.Generator().manual_seed(seed)
    student = [torch.randn(batch_size, num_mod, c, h, w, generator=gen) for c, h, w in STAGES]
    teacher = [torch.randn(batch_size, num_mod, c if same_widths else c + 3, h, w, generator=gen)
               for c, h, w in STAGES]
    return student, teacher


def released_inputs(student, teacher, index):
    """The released functions' per-sample lists: the student's kept maps, all teacher maps."""
    x_all = [[s[i, index] for s in student] for i in range(student[0].shape[0])]
    x_all_s = [[t[i] for t in teacher] for i in range(teacher[0].shape[0])]
    return x_all, x_all_s


@pytest.mark.parametrize('index', [[0, 2, 3], [1], [0, 1, 2, 3]])
def test_height_umd_is_the_released_function_value_and_gradient(index):
    student, teacher = batch(0)
    leaves = [s.clone().requires_grad_(True) for s in student]
    mask = torch.zeros(3, 4, dtype=torch.bool)
    mask[:, index] = True
    umd = UnimodalDistillLoss(softmax_axis='height', loss_weight=5.0)
    value = umd(leaves, teacher, mask)
    value.backward()

    ref_leaves = [s.clone().requires_grad_(True) for s in student]
    reference = released_umd(index, *released_inputs(ref_leaves, teacher, index)) * 5
    reference.backward()
    assert value.item() == pytest.approx(reference.item(), rel=1e-5)
    for mine, theirs in zip(leaves, ref_leaves):
        torch.testing.assert_close(mine.grad, theirs.grad, rtol=1e-4, atol=1e-7)
    channel = UnimodalDistillLoss(softmax_axis='channel', loss_weight=5.0)(student, teacher, mask)
    assert channel.item() != pytest.approx(value.item(), rel=1e-3)


@pytest.mark.parametrize('index', [[0, 2, 3], [1, 3], [0, 1, 2, 3]])
@pytest.mark.parametrize('same_widths', [True, False])
def test_released_cmd_is_the_released_function_value_and_gradient(index, same_widths):
    student, teacher = batch(1, same_widths=same_widths)
    leaves = [s.clone().requires_grad_(True) for s in student]
    mask = torch.zeros(3, 4, dtype=torch.bool)
    mask[:, index] = True
    cmd = CrossModalDistillLoss(mode='released', loss_weight=10.0)
    value = cmd(leaves, teacher, mask)
    value.backward()

    ref_leaves = [s.clone().requires_grad_(True) for s in student]
    reference = released_cmd(index, *released_inputs(ref_leaves, teacher, index)) * 10
    reference.backward()
    assert value.item() > 0
    assert value.item() == pytest.approx(reference.item(), rel=1e-5)
    for mine, theirs in zip(leaves, ref_leaves):
        torch.testing.assert_close(mine.grad, theirs.grad, rtol=1e-4, atol=1e-8)


def test_released_cmd_per_sample_masks_span_every_kept_entry():
    """Per-sample kept sets: the matrices hold every kept (sample, modality) map,
    sample-major, as the released loop's lists do for a per-batch set."""
    student, teacher = batch(2)
    mask = torch.tensor([[True, False, True, False], [False, True, True, True],
                         [True, False, False, False]])
    value = CrossModalDistillLoss(mode='released', loss_weight=1.0)(student, teacher, mask)
    total = 0.0
    for s, t in zip(student, teacher):
        s_maps = [torch.log_softmax(s[b, m], dim=1) for b, m in mask.nonzero().tolist()]
        t_maps = [torch.softmax(t[b, m], dim=1) for b, m in mask.nonzero().tolist()]
        (s_corr,), (t_corr,) = (released_correlation_matrices(s_maps),
                                released_correlation_matrices(t_maps))
        assert s_corr.shape == (6, 6)
        total += nn.MSELoss()(s_corr, t_corr)
    assert value.item() == pytest.approx(total.item() / 3, rel=1e-5)
    other = [f.clone() for f in student]
    for f in other:
        f[0, 1] = torch.randn_like(f[0, 1])  # dropped in sample 0: no effect
    assert CrossModalDistillLoss(mode='released', loss_weight=1.0)(
        other, teacher, mask).item() == pytest.approx(value.item(), rel=1e-6)


def log_softmax_matching(probs):
    """Maps whose height log-softmax is ``-c * probs`` per column (``c > 0`` solving
    ``sum_h exp(-c p_h) = 1`` by bisection): their cosines are those of ``probs``."""
    low, high = torch.zeros_like(probs[..., :1, :]), torch.full_like(probs[..., :1, :], 1e3)
    for _ in range(200):
        mid = (low + high) / 2
        too_small = torch.exp(-mid * probs).sum(dim=-2, keepdim=True) > 1
        low, high = torch.where(too_small, mid, low), torch.where(too_small, high, mid)
    return -(low + high) / 2 * probs


def test_released_cmd_vanishes_with_zero_gradient_at_the_teachers_similarities():
    """The released CMD compares the student's log-softmax maps with the teacher's softmax
    maps: its zero, with zero gradient, is a student whose correlations are the teacher's
    (built here from one-column maps, where a per-channel scale keeps every cosine), not a
    student equal to the teacher, which it still pulls."""
    torch.manual_seed(3)
    teacher = torch.randn(2, 3, 4, 6, 1)
    mask = torch.tensor([[True, True, False], [True, False, True]])
    cmd = CrossModalDistillLoss(mode='released', loss_weight=10.0)
    matching = log_softmax_matching(teacher.softmax(dim=3))
    torch.testing.assert_close(matching.log_softmax(dim=3), matching, atol=1e-5, rtol=0)
    leaf = matching.clone().requires_grad_(True)
    value = cmd([leaf], [teacher], mask)
    value.backward()
    assert value.item() == pytest.approx(0.0, abs=1e-10)
    assert leaf.grad.abs().max().item() < 1e-6

    moved = (matching + 0.5 * torch.randn_like(matching)).requires_grad_(True)
    off = cmd([moved], [teacher], mask)
    off.backward()
    assert off.item() > 1e-4 and moved.grad.abs().max().item() > 1e-4
    assert cmd([teacher], [teacher], mask).item() > 1e-4  # student = teacher is not its zero
    one_kept = torch.tensor([[True, False, False], [False, False, False]])
    assert cmd([moved], [teacher], one_kept).item() == 0.0  # a 1 x 1 matrix is its diagonal


def test_umd_softmax_axis_and_cmd_mode_are_validated():
    with pytest.raises(ValueError, match='softmax_axis'):
        UnimodalDistillLoss(softmax_axis='width')
    with pytest.raises(ValueError, match='mode'):
        CrossModalDistillLoss(mode='mse')
