"""MAGIC's training with the arbitrary-modal selection module (ASM).

Sources as in :mod:`mmseg_anyseg.models.backbones.magic_mit`: [A] the MAGIC
abstract, [S] a public summary with the paper's equations (secondary),
[T] the AnySeg paper. Confirmed by [S] (and for the
ranking and selection by [A]): the aggregated feature ``f_se`` is the benchmark
that ranks the modalities by cosine similarity; the most robust (Top-1) and
the most fragile (Last-1) are selected and go through **another MAM** to the
salient feature ``f_sa`` and the prediction ``P_s``; the losses are

- ``L_M``: cross-entropy of the MAM prediction ``P_m`` (the decode head's loss);
- ``L_S = -sum M log P_s``, selective GT smoothing: ``P_s`` is supervised only
  where ``argmax P_m`` agrees with the label;
- ``L_C``: cross-modal semantic consistency of the remaining (unselected)
  features ``f_rm``: ``c_1 log(c_1 / m) + c_2 log(c_2 / m)``, ``m = (c_1 +
  c_2) / 2``, between their cosine similarities ``c_1, c_2`` with ``f_sa``;
- ``L = L_M + lambda L_S + beta L_C``; the ASM runs in training only, and
  inference is the backbone and MAM.

Decisions of this project where [S] is silent:

1. Ranking: per sample, the cosine similarity between each present
   modality's deepest-stage backbone feature and the deepest-stage ``f_se``,
   both flattened; ranks are not back-propagated. A sample with one
   modality selects it; with two, both are selected and none remain.
2. The second MAM has its own weights, one per stage like the first (it is
   a training-only module, not used in ``predict``), and averages the two
   selected modalities; the decode head is shared by ``P_m`` and ``P_s``.
   ``shared_selection_mam=True`` reads "another MAM" as another pass through
   the same MAM instead, which then also learns from the selected subsets.
3. ``L_S`` is the decode head's own loss (the configs' OHEM cross-entropy)
   with the label set to ``ignore_index`` where ``argmax P_m``, upsampled
   to the label like the logits, disagrees; ``P_m`` is detached there.
4. ``L_C``: ``c_i`` is the softmax over the pixels of the per-pixel cosine
   similarity (over channels) between remaining feature i and ``f_sa`` at
   the deepest stage, a distribution over pixels; the term is summed over
   pixels, averaged over the pairs of remaining modalities of a sample and
   over the samples that have a pair (zero when none has).
5. Weights (not given by [S]): ``lambda = beta = 1`` (``selection_loss_weight``,
   ``consistency_loss_weight``).
"""
import copy
from itertools import combinations
from typing import Dict, List

import torch
import torch.nn.functional as F
from mmengine.structures import PixelData
from mmseg.models.utils import resize
from mmseg.registry import MODELS
from mmseg.utils import SampleList
from torch import Tensor

from ..backbones.anymodal_backbone import mask_weights
from ..backbones.magic_mit import MAGICMiT, aggregate_stages, build_aggregation
from ..losses.precision import computes_in_float32
from ..missing_modality import dropout_fill
from .anymodal_encoder_decoder import AnymodalEncoderDecoder


def select_robust_and_fragile(per_modality: Tensor, aggregated: Tensor, mask: Tensor) -> Tensor:
    """The most and the least similar present modality of each sample (decision 1).

    Args:
        per_modality: ``[B, M, C, h, w]`` features of one stage.
        aggregated: ``[B, C, h, w]`` aggregated feature ``f_se`` of that stage.
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


@computes_in_float32
def consistency_loss(per_modality: Tensor, salient: Tensor, remaining: Tensor) -> Tensor:
    """``L_C`` (decision 4) over the remaining modalities of each sample.

    Args:
        per_modality: ``[B, M, C, h, w]`` features of one stage.
        salient: ``[B, C, h, w]`` the salient feature ``f_sa`` of that stage.
        remaining: ``[B, M]`` bool, the present modalities not selected.

    Returns:
        Scalar loss.
    """
    similarity = F.cosine_similarity(per_modality, salient[:, None], dim=2)  # [B, M, h, w]
    dist = F.softmax(similarity.flatten(2), dim=-1)  # [B, M, h*w]
    terms = []
    for index, rows in enumerate(remaining.tolist()):
        pairs = list(combinations([m for m, ok in enumerate(rows) if ok], 2))
        for a, b in pairs:
            c1, c2 = dist[index, a], dist[index, b]
            mid = (c1 + c2) / 2
            terms.append(((c1 * (c1 / mid).log()).sum() + (c2 * (c2 / mid).log()).sum()) /
                         len(pairs))
    if not terms:
        return salient.sum() * 0
    return torch.stack(terms).sum() / sum(
        1 for rows in remaining.tolist() if sum(rows) >= 2)


def agreeing_labels(logits: Tensor, data_samples: SampleList, ignore_index: int,
                    align_corners: bool) -> SampleList:
    """Copies of the samples whose labels are ``ignore_index`` where ``argmax`` disagrees.

    Args:
        logits: ``[B, K, h, w]`` logits of ``P_m`` (detached by the caller).
        data_samples: Samples with ``gt_sem_seg``.
        ignore_index: The label value that the loss ignores.
        align_corners: As the decode head upsamples its logits.
    """
    masked = []
    for sample, logit in zip(data_samples, logits):
        label = sample.gt_sem_seg.data
        pred = resize(logit[None], size=label.shape[-2:], mode='bilinear',
                      align_corners=align_corners).argmax(dim=1)
        copy_ = copy.copy(sample)
        copy_.gt_sem_seg = PixelData(data=torch.where(pred == label, label, ignore_index))
        masked.append(copy_)
    return masked


@MODELS.register_module()
class MAGICEncoderDecoder(AnymodalEncoderDecoder):
    """:class:`AnymodalEncoderDecoder` with MAGIC's training-only ASM (module docstring).

    Needs a :class:`MAGICMiT` backbone. Losses: ``decode.*`` (``L_M`` on the
    MAM prediction), ``select.*`` (``L_S`` times ``selection_loss_weight``)
    and ``loss_consistency`` (``L_C`` times ``consistency_loss_weight``).

    Args:
        selection_loss_weight: lambda, the weight of ``L_S``.
        consistency_loss_weight: beta, the weight of ``L_C``.
        shared_selection_mam: Whether the ASM passes the selected modalities
            through the inference MAM instead of its own (decision 2).
        **kwargs: Arguments of :class:`AnymodalEncoderDecoder`.
    """

    def __init__(self, selection_loss_weight: float = 1.0,
                 consistency_loss_weight: float = 1.0, shared_selection_mam: bool = False,
                 **kwargs) -> None:
        super().__init__(**kwargs)
        if not isinstance(self.backbone, MAGICMiT):
            raise TypeError(f'MAGICEncoderDecoder needs a MAGICMiT backbone, got '
                            f'{type(self.backbone).__name__}')
        self.selection_aggregation = (None if shared_selection_mam else
                                      build_aggregation(self.backbone.widths))
        self.selection_loss_weight = selection_loss_weight
        self.consistency_loss_weight = consistency_loss_weight

    def _salient(self, per_modality: List[Tensor], selected: Tensor) -> List[Tensor]:
        """``f_sa``: the second MAM over the selected modalities, per stage."""
        weight = mask_weights(selected, per_modality[0].dtype)
        aggregation = self.selection_aggregation
        if aggregation is None:
            aggregation = self.backbone.aggregation
        return aggregate_stages(aggregation, per_modality, weight)

    def loss(self, inputs: Tensor, data_samples: SampleList) -> Dict[str, Tensor]:
        inputs, mask = self.training_view(inputs, [ds.metainfo for ds in data_samples],
                                          dropout_fill(self.data_preprocessor))
        per_modality = self.backbone.forward_modalities(inputs, mask)
        fused, logits = self.fuse_and_decode(per_modality, mask)
        losses = self.head_losses(logits, fused, data_samples)
        with torch.no_grad():
            selected = select_robust_and_fragile(per_modality[-1], fused[-1], mask)
            masked_samples = agreeing_labels(logits, data_samples,
                                             self.decode_head.ignore_index,
                                             self.decode_head.align_corners)
        salient = self._salient(per_modality, selected)
        salient_logits = self.decode_head.forward(self.neck(salient) if self.with_neck else salient)
        for name, value in self.decode_head.loss_by_feat(salient_logits, masked_samples).items():
            weight = self.selection_loss_weight if 'loss' in name else 1.0
            losses[f'select.{name}'] = value * weight
        losses['loss_consistency'] = self.consistency_loss_weight * consistency_loss(
            per_modality[-1], salient[-1], mask & ~selected)
        return losses
