"""The one missing-modality rule, for training (anymodal dropout), testing and deployment.

A modality outside a sample's mask either leaves the fusion (``'drop'``: AnySeg's data loss,
its evaluation) or enters the model as a zero image after normalisation (``'zero'``: the
convention of fixed-branch models and of the sensor-failure benchmark, and RobustSeg's
zero-padding training). The pre-processor (``modality_dropout.fill``), the segmentor, the test
protocol (``test_cfg.missing``) and the ONNX graph read it from here.
"""
import torch
from torch import Tensor

from .backbones.anymodal_backbone import split_modalities

MISSING_MODALITY_FILLS = ('drop', 'zero')


def check_fill(value: str, key: str) -> str:
    """``value`` of the option ``key`` validated as a missing-modality fill.

    Raises:
        ValueError: naming ``key``, the value and the choices.
    """
    if value not in MISSING_MODALITY_FILLS:
        raise ValueError(f'{key}={value!r}; expected one of {MISSING_MODALITY_FILLS}')
    return value


def dropout_fill(data_preprocessor) -> str:
    """How the modalities that a pre-processor's anymodal dropout removed enter the model.

    ``'drop'`` for a pre-processor without dropout (or without the option).
    """
    dropout = getattr(data_preprocessor, 'modality_dropout', None)
    return dropout['fill'] if dropout else 'drop'


def zero_fill(inputs: Tensor, modality_mask: Tensor, num_modalities: int) -> Tensor:
    """Inputs with every modality outside ``modality_mask`` set to zero.

    Args:
        inputs: ``[B, M, C, H, W]`` or ``[B, M*C, H, W]`` normalised images.
        modality_mask: ``[B, M]`` bool, the modalities to keep.
        num_modalities: M.

    Returns:
        The inputs in their own layout, zero outside the mask.
    """
    split = split_modalities(inputs, num_modalities)
    keep = modality_mask.to(device=split.device, dtype=torch.bool)[..., None, None, None]
    return torch.where(keep, split, torch.zeros_like(split)).reshape(inputs.shape)
