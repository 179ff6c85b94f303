"""Every loss computes in float32 under bf16 autocast and with half-precision inputs."""
import pytest
import torch
from mmseg.registry import MODELS

from mmseg_anyseg.models.segmentors.magic_encoder_decoder import consistency_loss

torch.manual_seed(0)
B, M, K = 2, 3, 5
KEPT = torch.tensor([[True, True, False], [True, False, True]])


def features(scale: float = 3.0):
    """Per-stage ``[B, M, C, h, w]`` at the spread of MiT features (std about 3)."""
    return [torch.randn(B, M, c, s, s) * scale for c, s in ((8, 8), (16, 4))]


def case(loss_cfg: dict, make_inputs):
    return pytest.param(loss_cfg, make_inputs, id=f'{loss_cfg["type"]}-' + '-'.join(
        f'{k}={v}' for k, v in loss_cfg.items() if k not in ('type', 'loss_weight')))


def feature_inputs():
    return dict(student=features(), teacher=features(), modality_mask=KEPT)


LABELS = torch.randint(0, K, (B, 16, 16))
CASES = [
    case(dict(type='UnimodalDistillLoss', softmax_axis='channel'), feature_inputs),
    case(dict(type='UnimodalDistillLoss', softmax_axis='height'), feature_inputs),
    case(dict(type='CrossModalDistillLoss', mode='released'), feature_inputs),
    case(dict(type='CrossModalDistillLoss', mode='literal'), feature_inputs),
    case(dict(type='CrossModalDistillLoss', mode='bernoulli'), feature_inputs),
    case(dict(type='ModalityAgnosticDistillLoss', resolution='input'),
         lambda: dict(student_logits=torch.randn(B, K, 8, 8) * 5,
                      teacher_logits=torch.randn(B, K, 8, 8) * 5, input_size=(16, 16))),
    case(dict(type='OhemCrossEntropyLoss', thresh=0.7, min_kept_ratio=1 / 16),
         lambda: dict(cls_score=torch.randn(B, K, 16, 16) * 5, label=LABELS)),
    case(dict(type='PrototypeDistillLoss', num_classes=K, stage_channels=[8, 16],
              prototype_norm='released'),
         lambda: dict(student=features(), teacher=features(), kept=KEPT, labels=LABELS)),
    case(dict(type='FunctionalEntropyRegLoss', num_samples=2, softmax_dim='channel'),
         lambda: dict(student=features(), teacher=features(), kept=KEPT)),
    case(dict(type='GatedLogitDistillLoss', gate='more_confident'),
         lambda: dict(student_logits=torch.randn(B, K, 8, 8) * 5,
                      teacher_logits=torch.randn(B, K, 8, 8) * 5, labels=LABELS)),
    case(dict(type='LabelCrossEntropyLoss'),
         lambda: dict(logits=torch.randn(B, K, 8, 8) * 5, labels=LABELS)),
]


def leaves(inputs: dict):
    for value in inputs.values():
        for item in (value if isinstance(value, list) else [value]):
            if isinstance(item, torch.Tensor) and item.is_floating_point():
                yield item


def cast(inputs: dict, dtype) -> dict:
    """Inputs in ``dtype``, as leaves that take gradients."""
    def one(value):
        if isinstance(value, list):
            return [one(v) for v in value]
        if isinstance(value, torch.Tensor) and value.is_floating_point():
            return value.detach().to(dtype).requires_grad_()
        return value
    return {k: one(v) for k, v in inputs.items()}


@pytest.mark.parametrize('dtype', [torch.bfloat16, torch.float16])
@pytest.mark.parametrize('loss_cfg,make_inputs', CASES)
def test_loss_is_float32_inside_whatever_the_input_dtype(loss_cfg, make_inputs, dtype):
    """The value equals float32 arithmetic on the same (rounded) inputs to 1e-5 relative, so a
    softmax or KL reintroduced in half precision (errors of 1e-3) fails; gradients are finite
    and come back in the inputs' dtype."""
    inputs = make_inputs()
    torch.manual_seed(1)
    loss = MODELS.build(loss_cfg)
    low = cast(inputs, dtype)
    reference_inputs = cast({k: v for k, v in low.items()}, torch.float32)
    torch.manual_seed(2)
    reference = loss(**reference_inputs)
    torch.manual_seed(2)
    with torch.autocast('cpu', dtype=torch.bfloat16):
        value = loss(**low)
    assert value.dtype == torch.float32
    assert torch.isfinite(value)
    torch.testing.assert_close(value, reference.detach(), rtol=1e-5, atol=1e-6)
    value.backward()
    grads = [x.grad for x in leaves(low)]
    assert any(g is not None for g in grads)
    for grad in grads:
        if grad is not None:
            assert grad.dtype == dtype and torch.isfinite(grad.float()).all()


def test_magic_consistency_term_is_float32_inside():
    per_modality = torch.randn(B, M, 8, 4, 4).to(torch.bfloat16).requires_grad_()
    salient = torch.randn(B, 8, 4, 4).to(torch.bfloat16).requires_grad_()
    remaining = torch.tensor([[True, True, True], [True, True, False]])
    reference = consistency_loss(per_modality.detach().float(), salient.detach().float(),
                                 remaining)
    with torch.autocast('cpu', dtype=torch.bfloat16):
        value = consistency_loss(per_modality, salient, remaining)
    assert value.dtype == torch.float32
    torch.testing.assert_close(value, reference, rtol=1e-5, atol=1e-7)
    value.backward()
    assert per_modality.grad.dtype == torch.bfloat16 and torch.isfinite(per_modality.grad.float()).all()


def test_without_the_float32_rule_half_precision_is_visible():
    """The tolerance above can see a half-precision softmax: the same KL in bfloat16 differs
    from float32 by far more than 1e-5."""
    from mmseg_anyseg.models.losses import softmax_kl
    s, t = (torch.randn(2, 8, 4, 4) * 3 for _ in range(2))
    low = softmax_kl(s.to(torch.bfloat16), t.to(torch.bfloat16), dim=1).sum().float()
    assert not torch.allclose(low, softmax_kl(s.to(torch.bfloat16).float(),
                                              t.to(torch.bfloat16).float(), dim=1).sum(),
                              rtol=1e-5, atol=1e-6)
