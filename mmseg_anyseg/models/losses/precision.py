"""Losses compute in float32, whatever the dtype of their inputs and the autocast state."""
import functools
from typing import Any, Callable, Optional

import torch
from torch import Tensor

LOW_PRECISION = (torch.float16, torch.bfloat16)


def _to_float32(value: Any) -> Any:
    if isinstance(value, Tensor):
        return value.float() if value.dtype in LOW_PRECISION else value
    if isinstance(value, (list, tuple)):
        return type(value)(_to_float32(v) for v in value)
    return value


def _device_type(args, kwargs) -> Optional[str]:
    for value in (*args, *kwargs.values()):
        if isinstance(value, (list, tuple)) and value:
            value = value[0]
        if isinstance(value, Tensor):
            return value.device.type
    return None


def computes_in_float32(function: Callable) -> Callable:
    """Run a loss (a ``forward`` or a function) on float32 copies of half-precision inputs,
    with autocast off for their device.

    Softmax, log-softmax, KL, logarithms and normalisations of a bf16 or fp16 input lose the
    precision a distillation term lives on (a KL of near-equal distributions is a difference
    of nearly equal numbers); float32 inside costs little next to the model's forward. The
    gradient flows back to the inputs in their own dtype.
    """

    @functools.wraps(function)
    def wrapper(*args, **kwargs):
        device = _device_type(args, kwargs)
        args, kwargs = _to_float32(args), {k: _to_float32(v) for k, v in kwargs.items()}
        if device in ('cpu', 'cuda'):
            with torch.autocast(device, enabled=False):
                return function(*args, **kwargs)
        return function(*args, **kwargs)

    return wrapper
