"""Check an exported graph against the PyTorch model on every non-empty modality subset."""
from typing import Dict, List, Sequence

import numpy as np
import torch
import torch.nn as nn
from mmseg.structures import SegDataSample
from torch import Tensor

from ..utils import KEPT_KEY, PRESENT_KEY, all_subsets, subset_name


def torch_subset_logits(model: nn.Module, raw: Tensor, subset: Sequence[str],
                        missing: str) -> Tensor:
    """The PyTorch model's logits of one frame and one modality subset.

    Through the model's own prediction path (its test protocol, ``mode='whole'``,
    ``test_cfg.missing=missing``), with the pre-processor's normalisation.

    Args:
        model: The predicting :class:`AnymodalEncoderDecoder` (eval mode).
        raw: ``[1, M, 3, H, W]`` raw pixel values.
        subset: The modalities present.
        missing: ``'drop'`` or ``'zero'``.

    Returns:
        ``[K, H, W]`` logits at the input size.
    """
    preprocessor = model.data_preprocessor
    names = tuple(preprocessor.modalities)
    num_mod = len(names)
    inputs = (raw - preprocessor.mean.view(1, num_mod, -1, 1, 1)) / \
        preprocessor.std.view(1, num_mod, -1, 1, 1)
    size = tuple(raw.shape[-2:])
    sample = SegDataSample(metainfo={
        'modalities': names, PRESENT_KEY: (True, ) * num_mod,
        KEPT_KEY: tuple(m in subset for m in names), 'img_shape': size, 'ori_shape': size,
        'pad_shape': size, 'padding_size': [0, 0, 0, 0]})
    test_cfg = model.test_cfg
    model.test_cfg = dict(mode='whole', missing=missing)
    try:
        with torch.no_grad():
            return model.predict(inputs, [sample])[0].seg_logits.data
    finally:
        model.test_cfg = test_cfg


def verify_onnx(model: nn.Module, session, frames: Sequence[Tensor], missing: str,
                output: str = 'logits') -> List[Dict]:
    """onnxruntime against PyTorch on every non-empty subset of the model's modalities.

    Args:
        model: The predicting model the graph was exported from (eval mode).
        session: An ``onnxruntime.InferenceSession`` of the graph.
        frames: ``[1, M, 3, H, W]`` raw frames at the graph's input size.
        missing: The graph's missing convention.
        output: The graph's output, ``'logits'`` or ``'labels'``.

    Returns:
        Per subset: ``subset``, ``frames``, ``max_abs_diff`` (logits only,
        else None) and ``argmax_agreement`` (fraction of pixels).
    """
    names = tuple(model.data_preprocessor.modalities)
    rows = []
    for subset in all_subsets(names):
        mask = np.array([[m in subset for m in names]])
        max_diff, agree, pixels = 0.0, 0, 0
        for raw in frames:
            reference = torch_subset_logits(model, raw, subset, missing)
            got = session.run(None, {'inputs': raw.numpy().astype(np.float32),
                                     'modality_mask': mask})[0][0]
            labels = got if output == 'labels' else got.argmax(axis=0)
            if output == 'logits':
                max_diff = max(max_diff, float(np.abs(got - reference.numpy()).max()))
            agree += int((labels == reference.argmax(dim=0).numpy()).sum())
            pixels += labels.size
        rows.append(dict(subset=subset_name(subset), frames=len(frames),
                         max_abs_diff=max_diff if output == 'logits' else None,
                         argmax_agreement=agree / pixels))
    return rows


def agreement_table(rows: Sequence[Dict]) -> str:
    """The per-subset agreement as a Markdown table."""
    lines = ['| subset | frames | max abs logit diff | argmax agreement |',
             '|---|---:|---:|---:|']
    for row in rows:
        diff = '—' if row['max_abs_diff'] is None else f'{row["max_abs_diff"]:.2e}'
        lines.append(f'| {row["subset"]} | {row["frames"]} | {diff} | '
                     f'{100 * row["argmax_agreement"]:.3f}% |')
    return '\n'.join(lines)

