"""The predicting model as one graph: raw sensor images and a modality mask in, logits out."""
import json
from typing import Dict, Optional, Tuple

import torch
import torch.nn as nn
from mmseg.models.utils import resize
from mmseg.registry import DATASETS
from torch import Tensor

from ..models.backbones.anymodal_backbone import mask_weights
from ..models.missing_modality import zero_fill
from ..models.test_protocol.anymodal_test_protocol import check_missing_convention

OUTPUTS = ('logits', 'labels')


class OnnxAnymodalGraph(nn.Module):
    """An :class:`AnymodalEncoderDecoder` in the form ONNX exports.

    The graph takes what a sensor rig gives: the M modality images as loaded
    (RGB channel order, raw pixel values) and which sensors are alive. It
    normalises each modality with the pre-processor's mean and std, then
    fuses exactly as ``test_cfg.missing`` does in PyTorch:

    - ``'drop'``: the backbone runs on all M modalities and the fusion is the
      ``modality_mask``-weighted mean of their features (the absent ones
      leave the mean); the backbone's own fusion, so MAGIC's MAM applies.
    - ``'zero'``: the absent modalities are zero images after normalisation
      and every modality enters the fusion (fixed-branch backbones such as
      CMNeXt and CMX take the stack whole).

    An all-false mask gives zero logits (labels 0), as the PyTorch protocol
    does for a subset with none of a sample's modalities: it is defined, not
    NaN. Logits are upsampled from the head's resolution to the input size
    as mmseg's ``predict_by_feat`` does.

    Args:
        model: The predicting :class:`AnymodalEncoderDecoder` (eval mode).
        missing: ``'drop'`` or ``'zero'``; None takes the model's
            ``test_cfg.missing`` (validated for its backbone).
        output: ``'logits'`` (``[1, K, H, W]`` float) or ``'labels'``
            (``[1, H, W]`` int64).

    Shapes:
        - inputs: ``[1, M, 3, H, W]`` float32, raw pixel values.
        - modality_mask: ``[1, M]`` bool.
    """

    def __init__(self, model: nn.Module, missing: Optional[str] = None,
                 output: str = 'logits') -> None:
        super().__init__()
        if output not in OUTPUTS:
            raise ValueError(f'output={output!r}; expected one of {OUTPUTS}')
        self.model = model
        self.missing = check_missing_convention(missing or model.test_protocol.missing,
                                                model.backbone)
        self.output = output
        preprocessor = model.data_preprocessor
        num_mod = len(preprocessor.modalities)
        self.register_buffer('mean', preprocessor.mean.view(1, num_mod, -1, 1, 1).clone())
        self.register_buffer('std', preprocessor.std.view(1, num_mod, -1, 1, 1).clone())

    def fused_features(self, inputs: Tensor, mask: Tensor):
        """Fused multi-scale features of normalised ``[B, M, C, H, W]`` inputs under ``mask``."""
        backbone = self.model.backbone
        if self.missing == 'zero':
            inputs = zero_fill(inputs, mask, inputs.shape[1])
            if not backbone.can_drop_modalities:
                return backbone(inputs.flatten(1, 2), None)
            return backbone.fuse_masked(backbone.forward_modalities(inputs, None), None)
        return backbone.fuse_weighted(backbone.forward_modalities(inputs, None),
                                      mask_weights(mask, inputs.dtype))

    def forward(self, inputs: Tensor, modality_mask: Tensor) -> Tensor:
        mask = modality_mask.to(torch.bool)
        fused = self.fused_features((inputs - self.mean) / self.std, mask)
        if self.model.with_neck:
            fused = self.model.neck(fused)
        head = self.model.decode_head
        logits = head.forward(fused) * mask.any(dim=1).to(inputs.dtype)[:, None, None, None]
        logits = resize(logits, size=inputs.shape[-2:], mode='bilinear',
                        align_corners=head.align_corners)
        return logits if self.output == 'logits' else logits.argmax(dim=1)


def dataset_metainfo(cfg) -> dict:
    """Classes and palette of a config's test dataset: its ``metainfo``, else its class's."""
    dataset = (cfg or {}).get('test_dataloader', {}).get('dataset', {})
    if dataset.get('metainfo'):
        return dict(dataset['metainfo'])
    dataset_type = dataset.get('type')
    cls = DATASETS.get(dataset_type) if isinstance(dataset_type, str) else dataset_type
    return dict(getattr(cls, 'METAINFO', {}))


def deployment_metadata(model: nn.Module, graph: OnnxAnymodalGraph, shape: Tuple[int, int],
                        config: str, checkpoint: str) -> Dict[str, str]:
    """What a deployment needs to feed and read the graph, as ONNX metadata strings.

    Keys: ``modalities`` (JSON list, the input order), ``input_size``
    (``[H, W]``), ``classes`` and ``palette`` (JSON; from the checkpoint's
    ``dataset_meta``, else the config's test dataset), ``missing``,
    ``output``, ``mean`` and ``std`` (per modality, applied in the graph),
    ``channel_order`` (``'rgb'``), ``config`` and ``checkpoint``.
    """
    preprocessor = model.data_preprocessor
    meta = getattr(model, 'dataset_meta', None) or dataset_metainfo(getattr(model, 'cfg', None))
    classes = list(meta.get('classes') or [str(i) for i in range(model.out_channels)])
    palette = [list(map(int, c)) for c in meta.get('palette') or []]
    num_mod = len(preprocessor.modalities)
    return dict(
        modalities=json.dumps(list(preprocessor.modalities)),
        input_size=json.dumps(list(shape)),
        classes=json.dumps(classes),
        palette=json.dumps(palette),
        missing=graph.missing,
        output=graph.output,
        mean=json.dumps(preprocessor.mean.view(num_mod, -1).tolist()),
        std=json.dumps(preprocessor.std.view(num_mod, -1).tolist()),
        channel_order='rgb',
        config=str(config),
        checkpoint=str(checkpoint))
