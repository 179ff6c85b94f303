"""MAGIC's training with the arbitrary-modal selection module (ASM).

MAGIC (Zheng et al., ECCV 2024, arXiv 2407.11344) has no public code; its
abstract describes the ASM as "a unified arbitrary-modal selection module ...
to utilize the aggregated features as the benchmark to rank the multi-modal
features based on the similarity scores", which serves to "discern robust and
fragile modalities, and incorporate the most robust and fragile ones". The
details below are decisions of this project (see also
:mod:`mmseg_anyseg.models.backbones.magic_mit`):

1. Ranking: per sample, the cosine similarity between each present
   modality's deepest-stage feature and the aggregated (MAM) deepest-stage
   feature, both flattened; ranks are not back-propagated.
2. Selection: the most similar (robust) and the least similar (fragile)
   present modality; a sample with one modality selects it.
3. The selected modalities go through the same mean, MAM and head as all of
   them; their prediction is supervised by the segmentation loss
   (``selection_loss_weight``) and pulled towards the all-modality prediction
   by a pixel KL divergence, summed over classes and averaged over pixels,
   with the all-modality prediction detached (``consistency_loss_weight``).
4. The ASM runs in training only; inference is the aggregated prediction of
   whatever modalities are present.
"""
from typing import Dict

import torch
import torch.nn.functional as F
from mmseg.registry import MODELS
from mmseg.utils import SampleList
from torch import Tensor

from .anymodal_encoder_decoder import AnymodalEncoderDecoder


def select_robust_and_fragile(per_modality: Tensor, aggregated: Tensor, mask: Tensor) -> Tensor:
    """The most and the least similar present modality of each sample.

    Args:
        per_modality: ``[B, M, C, h, w]`` features of one stage.
        aggregated: ``[B, C, h, w]`` aggregated feature of that stage.
        mask: ``[B, M]`` bool, the present modalities.

    Returns:
        ``[B, M]`` bool, the selected modalities (one or two per sample).
    """
    similarity = F.cosine_similarity(per_modality.flatten(2), aggregated.flatten(1)[:, None],
                                     dim=-1)
    robust = similarity.masked_fill(~mask, float('-inf')).argmax(dim=1)
    fragile = similarity.masked_fill(~mask, float('inf')).argmin(dim=1)
    selected = torch.zeros_like(mask)
    rows = torch.arange(mask.shape[0], device=mask.device)
    selected[rows, robust] = True
    selected[rows, fragile] = True
    return selected


@MODELS.register_module()
class MAGICEncoderDecoder(AnymodalEncoderDecoder):
    """:class:`AnymodalEncoderDecoder` with MAGIC's training-only selection losses.

    Needs a backbone with per-modality features (:class:`MAGICMiT`). Losses: the decode head's loss on the aggregated
    features of the present modalities, plus, on the selected modalities
    (module docstring), the head's loss times ``selection_loss_weight``
    (``select.*``) and ``loss_consistency``.

    Args:
        selection_loss_weight: Weight of the segmentation loss of the
            selected modalities.
        consistency_loss_weight: Weight of the KL divergence from the
            all-modality prediction to the selected one.
        **kwargs: Arguments of :class:`AnymodalEncoderDecoder`.
    """

    def __init__(self, selection_loss_weight: float = 1.0,
                 consistency_loss_weight: float = 1.0, **kwargs) -> None:
        super().__init__(**kwargs)
        if not self.backbone.has_modality_features:
            raise TypeError(f'MAGICEncoderDecoder needs a backbone with per-modality features '
                            f'(e.g. MAGICMiT), got {type(self.backbone).__name__}')
        self.selection_loss_weight = selection_loss_weight
        self.consistency_loss_weight = consistency_loss_weight

    def loss(self, inputs: Tensor, data_samples: SampleList) -> Dict[str, Tensor]:
        mask = self.modality_mask(inputs, [ds.metainfo for ds in data_samples])
        per_modality = self.backbone.forward_modalities(inputs, mask)
        fused, logits = self.fuse_and_decode(per_modality, mask)
        losses = self.head_losses(logits, fused, data_samples)
        with torch.no_grad():
            selected = select_robust_and_fragile(per_modality[-1], fused[-1], mask)
        _, selected_logits = self.fuse_and_decode(per_modality, selected)
        for name, value in self.decode_head.loss_by_feat(selected_logits, data_samples).items():
            weight = self.selection_loss_weight if 'loss' in name else 1.0
            losses[f'select.{name}'] = value * weight
        target = F.softmax(logits.detach(), dim=1)
        kl = F.kl_div(F.log_softmax(selected_logits, dim=1), target, reduction='none')
        losses['loss_consistency'] = self.consistency_loss_weight * kl.sum(dim=1).mean()
        return losses
