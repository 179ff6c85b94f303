"""The three distillation losses against values computed by hand."""
import math

import pytest
import torch

from mmseg_anyseg.models import (CrossModalDistillLoss, ModalityAgnosticDistillLoss,
                                 UnimodalDistillLoss)


def feat(*channels):
    """A ``[1, M, C, 1, 1]`` feature from per-modality channel vectors."""
    return torch.tensor(channels, dtype=torch.float32)[None, :, :, None, None]


# ------------------------------------------------------------------ UMD
def test_umd_hand_computed_and_ignores_dropped_modalities():
    loss = UnimodalDistillLoss(channel_reduction='sum', loss_weight=1.0)
    teacher = feat([math.log(3), 0.0], [5.0, -5.0])
    student = feat([0.0, 0.0], [-5.0, 5.0])  # modality 1 is far off but dropped
    kept = torch.tensor([[True, False]])
    expected = 0.75 * math.log(0.75 / 0.5) + 0.25 * math.log(0.25 / 0.5)
    value = loss([student, student], [teacher, teacher], kept)
    assert value.item() == pytest.approx(2 * expected, rel=1e-5)  # two stages
    per_channel = UnimodalDistillLoss(channel_reduction='mean', loss_weight=1.0)(
        [student], [teacher], kept)
    assert per_channel.item() == pytest.approx(expected / 2, rel=1e-5)  # C = 2
    both = loss([student], [teacher], torch.tensor([[True, True]]))
    assert both.item() > value.item() / 2


def test_umd_zero_iff_equal_and_weighted():
    loss = UnimodalDistillLoss(loss_weight=5.0)
    torch.manual_seed(0)
    t = torch.randn(2, 3, 4, 5, 5)
    mask = torch.ones(2, 3, dtype=torch.bool)
    assert loss([t], [t], mask).item() == pytest.approx(0.0, abs=1e-6)
    s = t + 0.3 * torch.randn_like(t)
    assert loss([s], [t], mask).item() > 0
    assert loss([s], [t], mask).item() == pytest.approx(
        5 * UnimodalDistillLoss(loss_weight=1.0)([s], [t], mask).item(), rel=1e-6)
    summed = UnimodalDistillLoss(loss_weight=1.0)([s], [t], mask)
    averaged = UnimodalDistillLoss(modality_reduction='mean', loss_weight=1.0)([s], [t], mask)
    assert summed.item() == pytest.approx(3 * averaged.item(), rel=1e-5)  # 3 kept per sample
    with pytest.raises(ValueError, match='connector'):
        loss([t[:, :, :2]], [t], mask)


# ------------------------------------------------------------------ CMD
def test_cmd_bernoulli_hand_computed():
    teacher = feat([1.0, 0.0], [0.0, 1.0])  # cos 0   -> S_t = 0.5
    student = feat([1.0, 0.0], [0.6, 0.8])  # cos 0.6 -> S_s = 0.8
    mask = torch.ones(1, 2, dtype=torch.bool)
    bern = CrossModalDistillLoss(granularity='pixel', mode='bernoulli', loss_weight=1.0)(
        [student], [teacher], mask)
    literal = CrossModalDistillLoss(granularity='pixel', mode='literal', loss_weight=1.0)(
        [student], [teacher], mask)
    assert bern.item() == pytest.approx(0.5 * math.log(0.5 / 0.8) + 0.5 * math.log(0.5 / 0.2),
                                        rel=1e-5)
    assert literal.item() == pytest.approx(0.5 * math.log(0.5 / 0.8), rel=1e-5)


def test_cmd_minimum_is_the_teacher_similarity_only_in_bernoulli_form():
    cmd = CrossModalDistillLoss(mode='bernoulli', loss_weight=1.0)
    literal = CrossModalDistillLoss(loss_weight=1.0)
    assert literal.mode == 'literal'  # eq. 5 as written is the default
    s_t = torch.tensor(0.3)
    grid = torch.linspace(0.01, 0.99, 99)
    assert grid[cmd.divergence(s_t, grid).argmin()].item() == pytest.approx(0.3, abs=0.01)
    assert grid[literal.divergence(s_t, grid).argmin()].item() == pytest.approx(0.99)
    assert cmd.divergence(s_t, s_t).item() == pytest.approx(0.0, abs=1e-7)


def test_cmd_global_hand_computed():
    """One similarity per sample and pair from the flattened maps, averaged over the
    samples that kept both modalities, then the divergence, summed over pairs."""
    t = torch.zeros(2, 3, 2, 1, 2)
    t[:, 0, 0, 0, 0] = 1  # teacher: modality 0 = e1, 1 = e1, 2 = e2 (flattened)
    t[:, 1, 0, 0, 0] = 1
    t[:, 2, 0, 0, 1] = 1
    s = torch.zeros(2, 3, 2, 1, 2)
    s[0, :, 0, 0, 0] = 1  # sample 0: all student modalities equal -> cos 1
    s[1, 0, 0, 0, 0] = 1  # sample 1: modality 0 = e1, 1 = -e1, 2 = e1
    s[1, 1, 0, 0, 0] = -1
    s[1, 2, 0, 0, 0] = 1
    kept = torch.tensor([[True, True, True], [True, True, False]])
    cmd = CrossModalDistillLoss(loss_weight=1.0, eps=1e-3)
    # pair (0,1): teacher S = 1 in both samples; student S = (1 + 0) / 2 = 0.5
    # pair (0,2) and (1,2): only sample 0 kept both; teacher S = 0.5, student S = 1
    expected = cmd.divergence(torch.tensor(1.0), torch.tensor(0.5)) + \
        2 * cmd.divergence(torch.tensor(0.5), torch.tensor(1.0))
    assert cmd([s], [t], kept).item() == pytest.approx(expected.item(), rel=1e-5)
    assert cmd([s, s], [t, t], kept).item() == pytest.approx(2 * expected.item(), rel=1e-5)
    with pytest.raises(ValueError, match='granularity'):
        CrossModalDistillLoss(granularity='channel')


def test_cmd_literal_default_pulls_the_student_similarity_towards_one():
    """Eq. 5 as written: ``S_t log(S_t / S_s)`` on the batch-averaged global similarity;
    below the teacher's similarity it is positive, above it negative, and its gradient
    always raises ``S_s``."""
    teacher = feat([1.0, 0.0], [1.0, 1.0])  # cos 1/sqrt(2)
    student = feat([1.0, 0.0], [0.0, 1.0])  # cos 0 -> S_s = 0.5
    mask = torch.ones(1, 2, dtype=torch.bool)
    s_t = (1 + 1 / math.sqrt(2)) / 2
    cmd = CrossModalDistillLoss()
    assert cmd.mode == 'literal' and cmd.granularity == 'global'
    expected = 10 * s_t * math.log(s_t / 0.5)
    assert cmd([student], [teacher], mask).item() == pytest.approx(expected, rel=1e-5)
    above = feat([1.0, 0.0], [1.0, 0.1])  # cos ~0.995 > teacher's
    assert cmd([above], [teacher], mask).item() < 0
    s = student.clone().requires_grad_(True)
    cmd([s], [teacher], mask).backward()
    s_next = (s - 0.1 * s.grad).detach()
    cos = torch.nn.functional.cosine_similarity(s_next[0, 0].flatten(), s_next[0, 1].flatten(),
                                                dim=0)
    assert cos.item() > 0  # one gradient step aligns the two modalities


@pytest.mark.parametrize('granularity', ['global', 'pixel'])
def test_cmd_zero_when_equal_positive_otherwise_and_ignores_dropped(granularity):
    torch.manual_seed(0)
    cmd = CrossModalDistillLoss(granularity=granularity, mode='bernoulli', loss_weight=10.0)
    t = torch.randn(2, 3, 4, 3, 3)
    s = torch.randn(2, 3, 8, 3, 3)  # student width may differ from the teacher's
    all_kept = torch.ones(2, 3, dtype=torch.bool)
    assert cmd([t], [t], all_kept).item() == pytest.approx(0.0, abs=1e-6)
    assert cmd([s], [t], all_kept).item() > 0
    single = torch.tensor([[True, False, False], [False, False, True]])
    assert cmd([s], [t], single).item() == 0.0
    pair01 = torch.tensor([[True, True, False], [True, True, False]])
    s_changed = s.clone()
    s_changed[:, 2] = torch.randn_like(s_changed[:, 2])
    assert cmd([s], [t], pair01).item() == pytest.approx(cmd([s_changed], [t], pair01).item())


# ------------------------------------------------------------------ MAD
def test_mad_hand_computed_with_temperature():
    teacher = torch.tensor([math.log(3), 0.0]).view(1, 2, 1, 1)
    student = torch.zeros(1, 2, 1, 1)
    mad = ModalityAgnosticDistillLoss(resolution='head', channel_reduction='sum', loss_weight=1.0,
                                      tau=1.0)
    expected = 0.75 * math.log(1.5) + 0.25 * math.log(0.5)
    assert mad(student, teacher).item() == pytest.approx(expected, rel=1e-5)
    p = math.sqrt(3) / (math.sqrt(3) + 1)
    expected_t2 = 4 * (p * math.log(p / 0.5) + (1 - p) * math.log((1 - p) / 0.5))
    mad2 = ModalityAgnosticDistillLoss(resolution='head', channel_reduction='sum', loss_weight=50.0,
                                       tau=2.0)
    assert mad2(student, teacher).item() == pytest.approx(50 * expected_t2, rel=1e-5)
    per_class = ModalityAgnosticDistillLoss(channel_reduction='mean', resolution='head',
                                            loss_weight=1.0)(student, teacher)
    assert per_class.item() == pytest.approx(expected / 2, rel=1e-5)  # K = 2


# ------------------------------------------------ scale of the KL losses
def test_mean_over_channels_is_torch_kldivloss_mean():
    """``channel_reduction='mean'`` equals ``nn.KLDivLoss(reduction='mean')``."""
    torch.manual_seed(0)
    kl_mean = torch.nn.KLDivLoss(reduction='mean')
    s_logits, t_logits = torch.randn(2, 7, 6, 5), torch.randn(2, 7, 6, 5)
    reference = kl_mean(s_logits.log_softmax(1), t_logits.softmax(1))
    mad = ModalityAgnosticDistillLoss(channel_reduction='mean', resolution='head',
                                      loss_weight=1.0)
    assert mad(s_logits, t_logits).item() == pytest.approx(reference.item(), rel=1e-5)

    s_feat, t_feat = torch.randn(2, 3, 16, 4, 4), torch.randn(2, 3, 16, 4, 4)
    kept = torch.tensor([[True, False, True], [False, True, False]])
    reference = kl_mean(s_feat[kept].log_softmax(1), t_feat[kept].softmax(1))
    umd = UnimodalDistillLoss(channel_reduction='mean', modality_reduction='mean',
                              loss_weight=1.0)([s_feat], [t_feat], kept)
    assert umd.item() == pytest.approx(reference.item(), rel=1e-5)
    summed = UnimodalDistillLoss(channel_reduction='sum', modality_reduction='mean', loss_weight=1.0)
    assert summed([s_feat], [t_feat], kept).item() == pytest.approx(16 * umd.item(), rel=1e-5)
    with pytest.raises(ValueError, match='channel_reduction'):
        UnimodalDistillLoss(channel_reduction='batchmean')
    with pytest.raises(ValueError, match='modality_reduction'):
        UnimodalDistillLoss(modality_reduction='max')


def test_umd_sums_the_kept_modalities_of_each_sample():
    """Eq. 4: one KL term per kept modality, summed; then the mean over samples."""
    torch.manual_seed(0)
    s_feat, t_feat = torch.randn(2, 3, 4, 2, 2), torch.randn(2, 3, 4, 2, 2)
    kept = torch.tensor([[True, False, True], [False, True, False]])
    terms = [(t_feat[b, m].softmax(0) * (t_feat[b, m].log_softmax(0) -
                                         s_feat[b, m].log_softmax(0))).sum(0).mean()
             for b in range(2) for m in range(3) if kept[b, m]]
    expected = (terms[0] + terms[1] + terms[2]) / 2
    value = UnimodalDistillLoss(channel_reduction='sum', loss_weight=1.0)([s_feat], [t_feat], kept)
    assert value.item() == pytest.approx(expected.item(), rel=1e-5)


def test_mad_at_input_resolution_upsamples_both_predictions():
    torch.manual_seed(0)
    s_logits, t_logits = torch.randn(1, 3, 4, 4), torch.randn(1, 3, 4, 4)
    up = [torch.nn.functional.interpolate(z, size=(16, 16), mode='bilinear',
                                          align_corners=False) for z in (s_logits, t_logits)]
    expected = (up[1].softmax(1) * (up[1].log_softmax(1) - up[0].log_softmax(1))).sum(1).mean()
    mad = ModalityAgnosticDistillLoss(channel_reduction='sum', loss_weight=1.0)
    assert mad(s_logits, t_logits, (16, 16)).item() == pytest.approx(expected.item(), rel=1e-5)
    head = ModalityAgnosticDistillLoss(resolution='head', channel_reduction='sum', loss_weight=1.0)
    assert head(s_logits, t_logits).item() != pytest.approx(expected.item(), rel=1e-3)
    with pytest.raises(ValueError, match='input_size'):
        mad(s_logits, t_logits)


def test_mad_zero_when_equal_and_resizes_teacher():
    torch.manual_seed(0)
    logits = torch.randn(2, 5, 8, 8)
    mad = ModalityAgnosticDistillLoss(resolution='head')
    assert mad(logits, logits).item() == pytest.approx(0.0, abs=1e-6)
    assert mad(torch.randn(2, 5, 8, 8), logits).item() > 0
    assert mad(logits, torch.randn(2, 5, 16, 16)).shape == ()


# ------------------------------------- defaults: the scale of the released run
def test_default_mad_is_kldivloss_mean_at_the_input_size_times_50():
    """Default MAD = 50 * nn.KLDivLoss(reduction='mean')(log_softmax(z_s), softmax(z_t))
    of the logits upsampled to the input size."""
    torch.manual_seed(1)
    s_logits, t_logits = torch.randn(2, 5, 4, 4), torch.randn(2, 5, 4, 4)
    up = [torch.nn.functional.interpolate(z, size=(16, 16), mode='bilinear',
                                          align_corners=False) for z in (s_logits, t_logits)]
    reference = 50 * torch.nn.KLDivLoss(reduction='mean')(up[0].log_softmax(1), up[1].softmax(1))
    value = ModalityAgnosticDistillLoss()(s_logits, t_logits, (16, 16))
    assert value.item() == pytest.approx(reference.item(), rel=1e-5)


def test_default_umd_is_the_per_element_mean_summed_over_stages_and_kept_modalities():
    """Default UMD, by hand: for each sample, stage and kept modality the element mean of
    the channel-softmax KL of its ``[C, h, w]`` map (nn.KLDivLoss(reduction='mean')),
    summed, divided by the batch size, times alpha = 5."""
    torch.manual_seed(2)
    stages = [(8, 4), (16, 2)]
    student = [torch.randn(3, 4, c, h, h) for c, h in stages]
    teacher = [torch.randn(3, 4, c, h, h) for c, h in stages]
    kept = torch.tensor([[True, False, True, True], [False, True, False, False],
                         [True, True, True, True]])
    kl = torch.nn.KLDivLoss(reduction='mean')
    total = 0.0
    for b in range(3):
        for s_feat, t_feat in zip(student, teacher):
            for m in range(4):
                if kept[b, m]:
                    total += kl(s_feat[b, m].log_softmax(0), t_feat[b, m].softmax(0)).item()
    value = UnimodalDistillLoss()(student, teacher, kept)
    assert value.item() == pytest.approx(5 * total / 3, rel=1e-5)
