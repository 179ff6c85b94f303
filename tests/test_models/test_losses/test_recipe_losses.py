"""The recipe losses against hand computations on tiny tensors."""
import math

import pytest
import torch
import torch.nn.functional as F

from mmseg_anyseg.models.losses import GatedLogitDistillLoss, LabelCrossEntropyLoss

# One sample, 2 classes, 1x3 pixels. Teacher: right at pixel 0 (class 0), wrong at pixel 1
# (says 1, truth 0), right at pixel 2 (class 1) but less sure of it than the student.
TEACHER = torch.tensor([[[[2.0, 1.0, 0.0]], [[0.0, 2.0, 0.5]]]])
STUDENT = torch.tensor([[[[0.0, 0.0, 0.0]], [[0.0, 0.0, 3.0]]]])
LABELS = torch.tensor([[[0, 0, 1]]])


def kl_per_pixel(student, teacher):
    """KL(p_t || p_s) / K at each pixel, written out."""
    out = []
    for j in range(student.shape[-1]):
        p_t = torch.softmax(teacher[0, :, 0, j], 0)
        p_s = torch.softmax(student[0, :, 0, j], 0)
        out.append(float((p_t * (p_t.log() - p_s.log())).sum()) / 2)
    return out


@pytest.mark.parametrize('gate,kept', [('none', (0, 1, 2)), ('correct', (0, 2)),
                                       ('more_confident', (0, ))])
def test_the_gate_keeps_the_pixels_where_the_source_is_right(gate, kept):
    loss = GatedLogitDistillLoss(gate=gate, loss_weight=1.0)
    kl = kl_per_pixel(STUDENT, TEACHER)
    expected = sum(kl[j] for j in kept) / 3  # over the labelled pixels, not the kept ones
    assert float(loss(STUDENT, TEACHER, LABELS)) == pytest.approx(expected, rel=1e-6)


def test_unlabelled_and_gated_pixels_give_no_gradient_and_the_source_none():
    labels = torch.tensor([[[0, 255, 1]]])
    student = STUDENT.clone().requires_grad_()
    teacher = TEACHER.clone().requires_grad_()
    GatedLogitDistillLoss(gate='correct')(student, teacher, labels).backward()
    assert torch.isfinite(student.grad).all()
    assert student.grad[..., 1].abs().sum() == 0  # ignored pixel
    assert student.grad[..., 0].abs().sum() > 0 and student.grad[..., 2].abs().sum() > 0
    assert teacher.grad is None or teacher.grad.abs().sum() == 0


def test_logits_are_compared_at_the_labels_resolution():
    loss = GatedLogitDistillLoss(gate='none', loss_weight=1.0)
    student, teacher = torch.randn(2, 4, 2, 2), torch.randn(2, 4, 2, 2)
    labels = torch.randint(0, 4, (2, 8, 8))
    up = [F.interpolate(z, (8, 8), mode='bilinear', align_corners=False)
          for z in (student, teacher)]
    kl = (up[1].softmax(1) * (up[1].log_softmax(1) - up[0].log_softmax(1))).sum(1) / 4
    assert float(loss(student, teacher, labels)) == pytest.approx(float(kl.mean()), rel=1e-5)


def test_an_unknown_gate_is_named():
    with pytest.raises(ValueError, match="gate='right'; expected one of"):
        GatedLogitDistillLoss(gate='right')


def test_label_cross_entropy_by_hand_and_with_nothing_labelled():
    logits = torch.tensor([[[[1.0, 0.0]], [[0.0, 2.0]]]], requires_grad=True)
    labels = torch.tensor([[[0, 255]]])
    expected = -math.log(math.e / (math.e + 1))  # the one labelled pixel, class 0
    loss = LabelCrossEntropyLoss(loss_weight=2.0)(logits, labels)
    assert float(loss) == pytest.approx(2 * expected, rel=1e-6)
    empty = LabelCrossEntropyLoss()(logits, torch.full((1, 1, 2), 255))
    assert float(empty) == 0 and empty.requires_grad
