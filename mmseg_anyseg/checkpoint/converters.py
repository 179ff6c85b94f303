"""Convert weights of the official SegFormer / AnySeg code to this plugin's keys.

- :func:`convert_official_mit`: an ImageNet MiT checkpoint of the official
  SegFormer release (``mit_b0.pth`` ... ``mit_b5.pth``: ``patch_embed1.*``,
  ``block1.0.attn.q.*``, ...) to mmseg's ``MixVisionTransformer`` keys, which
  :class:`MultiModalMiT` shares.
- :func:`convert_anyseg_checkpoint`: a segmentor checkpoint of the authors'
  AnySeg code (``encoder.*`` = official MiT, ``decoder.*`` = official
  SegFormer head) to an :class:`AnymodalEncoderDecoder` with
  ``SegformerLinearHead``.
- :func:`convert_deliver_cmnext`: a CMNeXt checkpoint of ``jamycheung/DELIVER``
  (``backbone.*``, ``decode_head.*``) to an :class:`AnymodalEncoderDecoder`
  with the :class:`CMNeXt` backbone and ``SegformerLinearHead``.

Each returns the converted state dict and the source keys it could not map.
"""
import re
from collections import OrderedDict
from typing import Dict, List, Tuple

import torch
from torch import Tensor

from .loading import load_local_checkpoint

StateDict = Dict[str, Tensor]

_MIT_RULES = [
    (r'patch_embed(\d)\.proj\.(weight|bias)', 'layers.{0}.0.projection.{1}'),
    (r'patch_embed(\d)\.norm\.(weight|bias)', 'layers.{0}.0.norm.{1}'),
    (r'block(\d)\.(\d+)\.norm([12])\.(weight|bias)', 'layers.{0}.1.{1}.norm{2}.{3}'),
    (r'block(\d)\.(\d+)\.attn\.proj\.(weight|bias)', 'layers.{0}.1.{1}.attn.attn.out_proj.{2}'),
    (r'block(\d)\.(\d+)\.attn\.sr\.(weight|bias)', 'layers.{0}.1.{1}.attn.sr.{2}'),
    (r'block(\d)\.(\d+)\.attn\.norm\.(weight|bias)', 'layers.{0}.1.{1}.attn.norm.{2}'),
    (r'block(\d)\.(\d+)\.mlp\.fc1\.(weight|bias)', 'layers.{0}.1.{1}.ffn.layers.0.{2}'),
    (r'block(\d)\.(\d+)\.mlp\.dwconv\.dwconv\.(weight|bias)', 'layers.{0}.1.{1}.ffn.layers.1.{2}'),
    (r'block(\d)\.(\d+)\.mlp\.fc2\.(weight|bias)', 'layers.{0}.1.{1}.ffn.layers.4.{2}'),
    (r'norm(\d)\.(weight|bias)', 'layers.{0}.2.{1}'),
]


def load_foreign_state_dict(path: str) -> StateDict:
    """The state dict of a checkpoint from another code base.

    Loaded with ``weights_only=True``: such files hold plain tensors, and
    nothing else is unpickled (:func:`load_local_checkpoint`).
    """
    ckpt = load_local_checkpoint(path, map_location='cpu')
    return ckpt.get('state_dict', ckpt.get('model', ckpt))


def _stage(match: re.Match) -> List[str]:
    """Groups of a rule match, with the 1-based stage number made 0-based."""
    groups = list(match.groups())
    groups[0] = str(int(groups[0]) - 1)
    return groups


def convert_official_mit(state: StateDict) -> Tuple[StateDict, List[str]]:
    """Official SegFormer MiT keys to mmseg ``MixVisionTransformer`` keys.

    The query and key-value projections (``attn.q``, ``attn.kv``) become the
    ``in_proj`` of mmseg's multi-head attention (q, k, v stacked in that
    order); the MLP's linear layers become 1x1 convolutions. The ImageNet
    classification ``head`` is dropped.

    Returns:
        The converted state dict and the keys that were not mapped.
    """
    out: StateDict = OrderedDict()
    unmapped = []
    pending_q: Dict[str, Tensor] = {}
    for key, value in state.items():
        qkv = re.fullmatch(r'block(\d)\.(\d+)\.attn\.(q|kv)\.(weight|bias)', key)
        if qkv:
            stage, block, part, kind = _stage(qkv)
            target = f'layers.{stage}.1.{block}.attn.attn.in_proj_{kind}'
            pending_q.setdefault(target, {})[part] = value
            continue
        for pattern, template in _MIT_RULES:
            match = re.fullmatch(pattern, key)
            if match:
                target = template.format(*_stage(match))
                if '.ffn.layers.0.' in target or '.ffn.layers.4.' in target:
                    value = value.reshape(*value.shape, 1, 1) if value.dim() == 2 else value
                out[target] = value
                break
        else:
            if not key.startswith('head.'):
                unmapped.append(key)
    for target, parts in pending_q.items():
        if set(parts) != {'q', 'kv'}:
            unmapped.append(f'{target} (needs both attn.q and attn.kv)')
            continue
        out[target] = torch.cat([parts['q'], parts['kv']], dim=0)
    return out, unmapped


def convert_anyseg_checkpoint(state: StateDict) -> Tuple[StateDict, List[str]]:
    """The authors' AnySeg checkpoint to :class:`AnymodalEncoderDecoder` keys.

    ``encoder.*`` goes through :func:`convert_official_mit` into
    ``backbone.*``; the official SegFormer head (``decoder.linear_c{i}.proj``,
    ``decoder.linear_fuse.{conv,bn}``, ``decoder.linear_pred``) maps onto
    ``SegformerLinearHead`` (``decode_head.*``).

    Returns:
        The converted state dict and the keys that were not mapped.
    """
    state = _strip_module(state)
    encoder = {k[len('encoder.'):]: v for k, v in state.items() if k.startswith('encoder.')}
    backbone, unmapped = convert_official_mit(encoder)
    unmapped = [f'encoder.{k}' for k in unmapped]
    out: StateDict = OrderedDict((f'backbone.{k}', v) for k, v in backbone.items())
    head = {k: v for k, v in state.items() if not k.startswith('encoder.')}
    converted, head_unmapped = _convert_segformer_head(head, 'decoder')
    out.update(converted)
    return out, unmapped + head_unmapped


def _strip_module(state: StateDict) -> StateDict:
    """Keys without the ``module.`` prefix of a DataParallel/DDP checkpoint."""
    return OrderedDict((k[len('module.'):] if k.startswith('module.') else k, v)
                       for k, v in state.items())


def _convert_segformer_head(state: StateDict, prefix: str) -> Tuple[StateDict, List[str]]:
    """The official SegFormer head under ``prefix`` to ``SegformerLinearHead`` keys."""
    p = re.escape(prefix)
    rules = [
        (p + r'\.linear_c(\d)\.proj\.(weight|bias)', 'decode_head.convs.{0}.conv.{1}'),
        (p + r'\.linear_fuse\.conv\.(weight|bias)', 'decode_head.fusion_conv.conv.{0}'),
        (p + r'\.linear_fuse\.bn\.(\w+)', 'decode_head.fusion_conv.bn.{0}'),
        (p + r'\.linear_pred\.(weight|bias)', 'decode_head.conv_seg.{0}'),
    ]
    out: StateDict = OrderedDict()
    unmapped = []
    for key, value in state.items():
        for index, (pattern, template) in enumerate(rules):
            match = re.fullmatch(pattern, key)
            if match:
                groups = list(match.groups())
                if index == 0:
                    groups[0] = str(int(groups[0]) - 1)
                    value = value.reshape(*value.shape, 1, 1) if value.dim() == 2 else value
                out[template.format(*groups)] = value
                break
        else:
            unmapped.append(key)
    return out, unmapped


# DELIVER's CMNeXt auxiliary branch and fusion modules -> CMNeXt (stage numbers 1-based in
# extra_block{i} and extra_norm{i}, 0-based elsewhere).
_CMNEXT_RULES = [
    (r'extra_downsample_layers\.(\d)\.proj\.module\.(weight|bias)', 'aux_embeds.{0}.proj.{1}',
     False),
    (r'extra_downsample_layers\.(\d)\.norm\.ln_(\d+)\.(weight|bias)',
     'aux_embeds.{0}.norms.{1}.norm.{2}', False),
    (r'extra_score_predictor\.(\d)\.score_nets\.(\d+)\.([01])\.(weight|bias)',
     'hubs.{0}.score_nets.{1}.{2}.{3}', False),
    (r'extra_block(\d)\.(\d+)\.mlp\.dwconv\.dwconv\.(weight|bias)',
     'aux_blocks.{0}.{1}.mlp.dwconv.{2}', True),
    (r'extra_block(\d)\.(\d+)\.c_nets\.0\.weight', 'aux_blocks.{0}.{1}.channel_mix.weight', True),
    (r'extra_block(\d)\.(\d+)\.(norm[12]\.\w+|layer_scale_[12]|attn\.conv[04]\.\w+|'
     r'mlp\.fc[12]\.\w+)', 'aux_blocks.{0}.{1}.{2}', True),
    (r'extra_norm(\d)\.(weight|bias)', 'aux_norms.{0}.norm.{1}', True),
    (r'FRMs\.(\d)\.(.+)', 'rectify.{0}.{1}', False),
    (r'FFMs\.(\d)\.(.+)', 'fuse.{0}.{1}', False),
]


def convert_deliver_cmnext(state: StateDict) -> Tuple[StateDict, List[str]]:
    """A ``jamycheung/DELIVER`` CMNeXt checkpoint to :class:`CMNeXt` segmentor keys.

    The RGB branch (``backbone.patch_embed*``, ``block*``, ``norm*``) goes
    through :func:`convert_official_mit` into ``backbone.rgb.*``; the
    auxiliary branch, hub, FRM and FFM keys are renamed one to one (same
    shapes); the head (``decode_head.linear_*``) maps onto
    ``SegformerLinearHead``. The model must use
    ``aux_residual_layout='published'`` (the default) to compute what the
    original computes.

    Returns:
        The converted state dict and the keys that were not mapped.
    """
    state = _strip_module(state)
    backbone = {k[len('backbone.'):]: v for k, v in state.items() if k.startswith('backbone.')}
    extra = {k: v for k, v in backbone.items() if k.startswith(('extra_', 'FRMs.', 'FFMs.'))}
    rgb, unmapped = convert_official_mit(
        {k: v for k, v in backbone.items() if k not in extra})
    unmapped = [f'backbone.{k}' for k in unmapped]
    out: StateDict = OrderedDict((f'backbone.rgb.{k}', v) for k, v in rgb.items())
    for key, value in extra.items():
        for pattern, template, one_based in _CMNEXT_RULES:
            match = re.fullmatch(pattern, key)
            if match:
                groups = _stage(match) if one_based else list(match.groups())
                out[f'backbone.{template.format(*groups)}'] = value
                break
        else:
            unmapped.append(f'backbone.{key}')
    head = {k: v for k, v in state.items() if not k.startswith('backbone.')}
    converted, head_unmapped = _convert_segformer_head(head, 'decode_head')
    out.update(converted)
    return out, unmapped + head_unmapped
