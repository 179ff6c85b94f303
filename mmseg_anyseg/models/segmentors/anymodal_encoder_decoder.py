"""EncoderDecoder that knows which modalities each sample may use."""
import copy
from typing import Callable, List, Optional, Sequence

import torch
from mmengine.structures import PixelData
from mmseg.models.segmentors import EncoderDecoder
from mmseg.registry import MODELS
from mmseg.structures import SegDataSample
from mmseg.utils import OptSampleList, SampleList
from torch import Tensor

from ...evaluation.corruptions import check_corruption, corrupt_batch
from ...utils import resolve_subsets, subset_name
from ..backbones import check_modality_mask
from ..backbones.multimodal_mit import split_modalities
from .subset_decoding import decode_segformer_subsets, supports_shared_decoding

MISSING_CONVENTIONS = ('drop', 'zero')


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
    return (split * keep).reshape(inputs.shape)


@MODELS.register_module()
class AnymodalEncoderDecoder(EncoderDecoder):
    """An mmseg ``EncoderDecoder`` over any subset of the modalities.

    The backbone (e.g. :class:`MultiModalMiT`) receives ``[B, M, C, H, W]``
    inputs with a ``[B, M]`` modality mask, which this segmentor reads from
    the ``modality_mask`` metainfo that :class:`AnymodalDataPreProcessor` writes
    (falling back to ``modality_present``, then to all modalities).

    Extra ``test_cfg`` keys:

    - ``modalities``: predict with this fixed subset only, e.g.
      ``('depth', 'lidar')`` (intersected with what each sample has).
    - ``subsets``: also predict every listed subset (``'all'``, an int size,
      or a list of subsets or codes such as ``'RD'``) with one backbone pass
      per modality: each subset's fused features are the mean of its
      modalities' features, so only the decode head runs once per subset.
      Predictions land in ``subset_pred_sem_seg`` (``[S, H, W]``) with the
      subset names in the ``subset_names`` metainfo and, per subset, whether
      the sample had any of its modalities in ``subset_valid``.
    - ``missing``: how a modality outside the evaluated subset (or missing
      on disk) enters the model. ``'drop'`` (default, AnySeg's own
      evaluation) leaves it out of the fusion mean; ``'zero'`` feeds a zero
      image after normalisation, whose features enter the mean like any
      modality's (the convention of fixed-branch models and of the
      sensor-failure robustness benchmark). The backbone shares its weights
      over modalities, so one zero image per sample gives every modality's
      zero features. Backbones with a fixed branch per modality (:class:`CMNeXt`,
      :class:`CMX`: ``can_drop_modalities = False``) only admit ``'zero'``,
      their default; they also get zero images for the modalities a training sample lacks.
    - ``corruption``: test-time sensor corruption of the normalised inputs
      (see :mod:`mmseg_anyseg.evaluation.corruptions`):
      ``dict(type='random_missing', rate=r, seed=0)`` damages, for each
      subset, the modalities outside it (they stay in the fusion, with
      elements zeroed at rate r: the benchmark's RMM, where a subset names
      the intact modalities); ``dict(type='noise', level='low'|'mid'|'high',
      seed=0)`` adds the benchmark's noise to every modality (NM).

    The convention and the corruption are written into each predicted
    sample's metainfo (``missing_convention``, ``corruption``) for the metric.

    Subsets are predicted from one backbone pass per modality when the
    backbone exposes ``forward_modalities`` (per-modality features fused by
    their mean, then by the backbone's ``aggregate`` if it has one, e.g.
    :class:`MAGICMiT`); fixed-branch backbones run once per subset on inputs
    where the modalities outside the subset are zero images (or their damaged
    copies under random missing).

    Args:
        **kwargs: Passed to :class:`mmseg.models.segmentors.EncoderDecoder`.
    """

    # ---------------------------------------------------------------- masks
    def _modality_mask(self, inputs: Tensor, batch_img_metas: Optional[Sequence[dict]]) -> Tensor:
        batch, num_mod = inputs.shape[0], self.backbone.num_modalities
        mask = inputs.new_ones((batch, num_mod), dtype=torch.bool)
        if batch_img_metas:
            for key in ('modality_present', 'modality_mask'):
                if key in batch_img_metas[0]:
                    mask = torch.tensor([list(meta[key]) for meta in batch_img_metas],
                                        dtype=torch.bool, device=inputs.device)
        fixed = self.test_cfg.get('modalities') if not self.training else None
        if fixed is not None:
            names = self._modality_names(batch_img_metas)
            unknown = [m for m in fixed if m not in names]
            if unknown:
                raise ValueError(f'test_cfg.modalities names {unknown}, not among the '
                                 f'modalities {names} of the data')
            keep = torch.tensor([m in fixed for m in names], device=inputs.device)
            mask = mask & keep
        return check_modality_mask(mask, batch, num_mod)

    def _modality_names(self, batch_img_metas: Optional[Sequence[dict]]) -> tuple:
        if batch_img_metas and 'modalities' in batch_img_metas[0]:
            return tuple(batch_img_metas[0]['modalities'])
        raise ValueError('the data samples carry no "modalities" metainfo; use a '
                         'multimodal dataset (e.g. DELIVERDataset) and PackSegInputs with '
                         "meta_keys including 'modalities' and 'modality_present'")

    # ------------------------------------------------------------- features
    @property
    def can_drop_modalities(self) -> bool:
        """Whether the backbone can leave a modality out of its fusion."""
        return getattr(self.backbone, 'can_drop_modalities', True)

    def extract_feat(self, inputs: Tensor, modality_mask: Optional[Tensor] = None) -> List[Tensor]:
        """Fused multi-scale features of the modalities in ``modality_mask``.

        A fixed-branch backbone gets the modalities outside the mask as zero
        images instead.
        """
        if modality_mask is not None and not self.can_drop_modalities:
            inputs = zero_fill(inputs, modality_mask, self.backbone.num_modalities)
            modality_mask = None
        x = self.backbone(inputs, modality_mask)
        if self.with_neck:
            x = self.neck(x)
        return x

    def encode_decode(self, inputs: Tensor, batch_img_metas: List[dict]) -> Tensor:
        mask = self._modality_mask(inputs, batch_img_metas)
        return self._subset_logits(inputs, batch_img_metas, mask[None])

    def decode_modalities(self, per_modality: List[Tensor], masks: Tensor) -> Tensor:
        """Decode-head logits of modality subsets from per-modality features.

        Args:
            per_modality: Per stage, ``[B, M, C_i, h_i, w_i]`` backbone features.
            masks: ``[S, B, M]`` bool, the modalities of each subset per sample.

        Returns:
            ``[S, B, K, h, w]`` logits at the head's resolution, zero for a
            subset with no modality in a sample.
        """
        weights = masks.to(per_modality[0].dtype)
        weights = weights / weights.sum(dim=-1, keepdim=True).clamp(min=1)
        return self.decode_weighted(per_modality, weights) * masks.any(dim=-1)[..., None, None,
                                                                               None]

    def decode_weighted(self, features: List[Tensor], weights: Tensor) -> Tensor:
        """Decode-head logits of weighted means of per-slot features.

        With a SegFormer head and no neck, the head's linear parts run once per
        slot (see ``subset_decoding``); otherwise the head runs on each
        weighted mean.

        Args:
            features: Per stage, ``[B, N, C_i, h_i, w_i]`` features of N slots
                (modalities, their corrupted versions, a zero image).
            weights: ``[S, B, N]`` averaging weights of each subset (rows sum
                to one, or are all zero).

        Returns:
            ``[S, B, K, h, w]`` logits at the head's resolution.
        """
        aggregate = getattr(self.backbone, 'aggregate', None)
        if aggregate is None and not self.with_neck and supports_shared_decoding(
                self.decode_head):
            return decode_segformer_subsets(self.decode_head, features, weights)
        raw = []
        for weight in weights:
            fused = [torch.einsum('bn,bnchw->bchw', weight, feat) for feat in features]
            if aggregate is not None:
                fused = aggregate(fused)
            raw.append(self.decode_head.forward(self.neck(fused) if self.with_neck else fused))
        return torch.stack(raw)

    # ------------------------------------------------------------ robustness
    def __init__(self, **kwargs) -> None:
        super().__init__(**kwargs)
        self._check_missing_convention()

    @property
    def missing_convention(self) -> str:
        """``test_cfg.missing``; by default ``'drop'``, or ``'zero'`` for fixed branches."""
        return self._check_missing_convention()

    def _check_missing_convention(self) -> str:
        default = 'drop' if self.can_drop_modalities else 'zero'
        missing = self.test_cfg.get('missing', default) if self.test_cfg else default
        if missing not in MISSING_CONVENTIONS:
            raise ValueError(f'test_cfg.missing={missing!r}; expected one of '
                             f'{MISSING_CONVENTIONS}')
        if missing == 'drop' and not self.can_drop_modalities:
            raise ValueError(f"test_cfg.missing='drop' needs a backbone that can leave a "
                             f'modality out; {type(self.backbone).__name__} has a fixed branch '
                             "per modality: use test_cfg.missing='zero'")
        return missing

    @property
    def corruption(self) -> Optional[dict]:
        return check_corruption(self.test_cfg.get('corruption') if self.test_cfg else None)

    def prepare_inputs(self, inputs: Tensor, batch_img_metas: List[dict]) -> Tensor:
        """Apply ``test_cfg.corruption`` to the whole normalised images, once.

        Noise replaces the inputs. For random missing, the damaged copy of
        every modality is stacked after the clean ones (``[B, 2M*C, H, W]``),
        so that sliding windows crop both alike; :meth:`_subset_logits`
        picks, per subset, the clean or the damaged copy.
        """
        corruption = self.corruption
        if corruption is None:
            return inputs
        num_mod = self.backbone.num_modalities
        split = split_modalities(inputs, num_mod)
        keys = [str(meta.get('img_path', index)) for index, meta in enumerate(batch_img_metas)]
        names = self._modality_names(batch_img_metas)
        corrupted = corrupt_batch(split, corruption, keys, names)
        if corruption['type'] == 'noise':
            return corrupted.flatten(1, 2)
        return torch.cat([split, corrupted], dim=1).flatten(1, 2)

    def _slots(self, inputs: Tensor, masks: Tensor):
        """Backbone features of every slot a subset may use, and each subset's weights.

        Slots: the M modalities; under random missing, their M damaged copies;
        under ``missing='zero'``, one zero image.

        Returns:
            Per stage ``[B, N, C_i, h_i, w_i]`` features and ``[S, B, N]``
            weights (rows sum to one, or are zero for a subset with no
            modality in a sample).
        """
        num_mod = self.backbone.num_modalities
        corruption = self.corruption
        damaged_copy = corruption is not None and corruption['type'] == 'random_missing'
        channels = inputs.shape[1] if inputs.dim() == 4 else inputs.shape[1] * inputs.shape[2]
        split = inputs.reshape(inputs.shape[0], -1, channels // ((2 if damaged_copy else 1) *
                                                                 num_mod), *inputs.shape[-2:])
        clean = split[:, :num_mod]
        available = masks.any(dim=0)
        slots = [self.backbone.forward_modalities(clean, available)]
        weights = [masks]
        absent = ~masks
        if damaged_copy:
            damaged = available[None] & ~masks
            if bool(damaged.any()):
                needed = damaged.any(dim=0)
                needed[~needed.any(dim=1), 0] = True  # unused; keeps every sample non-empty
                slots.append(self.backbone.forward_modalities(split[:, num_mod:], needed))
                weights.append(damaged)
            absent = absent & ~damaged
        weights = [w.to(slots[0][0].dtype) for w in weights]
        if self.missing_convention == 'zero' and bool(absent.any()):
            only_first = torch.zeros_like(available)
            only_first[:, 0] = True
            zero = self.backbone.forward_modalities(torch.zeros_like(clean), only_first)
            slots.append([feat[:, :1] for feat in zero])
            weights.append(absent.sum(dim=-1, keepdim=True).to(weights[0].dtype))
        features = [torch.cat(parts, dim=1) for parts in zip(*slots)]
        weights = torch.cat(weights, dim=-1)
        weights = weights * masks.any(dim=-1, keepdim=True)
        return features, weights / weights.sum(dim=-1, keepdim=True).clamp(min=1e-12)

    def _fixed_branch_subsets(self, inputs: Tensor, masks: Tensor) -> Tensor:
        """Decode-head logits of each subset from one full forward per subset.

        The modalities outside a subset are zero images, or their damaged
        copies under random missing when the sample has them.

        Returns:
            ``[S, B, K, h, w]`` logits at the head's resolution.
        """
        num_mod = self.backbone.num_modalities
        corruption = self.corruption
        copies = 2 if corruption is not None and corruption['type'] == 'random_missing' else 1
        split = inputs.reshape(inputs.shape[0], copies * num_mod, -1, *inputs.shape[-2:])
        clean = split[:, :num_mod]
        damaged = split[:, num_mod:] if copies == 2 else torch.zeros_like(clean)
        available = masks.any(dim=0)
        raw = []
        for mask in masks:
            fill = torch.where((available & ~mask)[..., None, None, None], damaged, 0)
            subset_inputs = torch.where(mask[..., None, None, None], clean, fill)
            raw.append(self.decode_head.forward(self.extract_feat(subset_inputs.flatten(1, 2))))
        return torch.stack(raw)

    def _subset_logits(self, inputs: Tensor, batch_img_metas: List[dict],
                       masks: Tensor) -> Tensor:
        """Logits of several modality subsets from one backbone pass per modality.

        Args:
            inputs: Prepared inputs (:meth:`prepare_inputs`), or a crop of them.
            batch_img_metas: Image metainfo of the batch.
            masks: ``[S, B, M]`` bool, the (intact) modalities of each subset
                for each sample. A subset with no modality for a sample gets
                zeros.

        Returns:
            ``[B, S*K, H, W]`` logits, subset-major along channels.
        """
        if hasattr(self.backbone, 'forward_modalities'):
            features, weights = self._slots(inputs, masks)
            raw = self.decode_weighted(features, weights)
        else:
            raw = self._fixed_branch_subsets(inputs, masks)
        raw = raw * masks.any(dim=-1)[..., None, None, None]
        num_subsets, batch = masks.shape[:2]
        logits = self.decode_head.predict_by_feat(raw.flatten(0, 1), batch_img_metas)
        return logits.unflatten(0, (num_subsets, batch)).transpose(0, 1).flatten(1, 2)

    def loss(self, inputs: Tensor, data_samples: SampleList) -> dict:
        metas = [ds.metainfo for ds in data_samples]
        x = self.extract_feat(inputs, self._modality_mask(inputs, metas))
        losses = self._decode_head_forward_train(x, data_samples)
        if self.with_auxiliary_head:
            losses.update(self._auxiliary_head_forward_train(x, data_samples))
        return losses

    def _forward(self, inputs: Tensor, data_samples: OptSampleList = None) -> Tensor:
        metas = [ds.metainfo for ds in data_samples] if data_samples else None
        x = self.extract_feat(inputs, self._modality_mask(inputs, metas))
        return self.decode_head.forward(x)

    # ------------------------------------------------------------ inference
    def _sliding_window(self, inputs: Tensor, batch_img_metas: List[dict],
                        decode: Callable[[Tensor, List[dict]], Tensor],
                        out_channels: int) -> Tensor:
        """Average ``decode`` over overlapping crops (``test_cfg.crop_size/stride``)."""
        h_stride, w_stride = self.test_cfg.stride
        h_crop, w_crop = self.test_cfg.crop_size
        batch = inputs.shape[0]
        h_img, w_img = inputs.shape[-2:]
        h_grids = max(h_img - h_crop + h_stride - 1, 0) // h_stride + 1
        w_grids = max(w_img - w_crop + w_stride - 1, 0) // w_stride + 1
        preds = inputs.new_zeros((batch, out_channels, h_img, w_img))
        count = inputs.new_zeros((batch, 1, h_img, w_img))
        metas = [dict(meta) for meta in batch_img_metas]
        for h_idx in range(h_grids):
            for w_idx in range(w_grids):
                y2 = min(h_idx * h_stride + h_crop, h_img)
                x2 = min(w_idx * w_stride + w_crop, w_img)
                y1, x1 = max(y2 - h_crop, 0), max(x2 - w_crop, 0)
                crop = inputs[..., y1:y2, x1:x2]
                for meta in metas:
                    meta['img_shape'] = crop.shape[-2:]
                preds[..., y1:y2, x1:x2] += decode(crop, metas)
                count[..., y1:y2, x1:x2] += 1
        return preds / count

    def slide_inference(self, inputs: Tensor, batch_img_metas: List[dict]) -> Tensor:
        return self._sliding_window(inputs, batch_img_metas, self.encode_decode,
                                    self.out_channels)

    def predict(self, inputs: Tensor, data_samples: OptSampleList = None) -> SampleList:
        """Predict on the kept modalities and, with ``test_cfg.subsets``, every subset.

        All subsets and the kept set share one backbone pass per modality.
        """
        if self.test_cfg.get('subsets') is None or data_samples is None:
            return self._record_protocol(super().predict(inputs, data_samples))
        metas = [ds.metainfo for ds in data_samples]
        names = self._modality_names(metas)
        subsets = resolve_subsets(names, self.test_cfg['subsets'])
        subset_masks = torch.tensor([[m in s for m in names] for s in subsets],
                                    device=inputs.device)
        kept = self._modality_mask(inputs, metas)
        masks = torch.cat([kept[None] & subset_masks[:, None], kept[None]])
        valid = masks[:-1].any(dim=-1).T

        def decode(x: Tensor, img_metas: List[dict]) -> Tensor:
            return self._subset_logits(x, img_metas, masks)

        prepared = self.prepare_inputs(inputs, metas)
        if self.test_cfg.mode == 'slide':
            logits = self._sliding_window(prepared, metas, decode,
                                          len(masks) * self.out_channels)
        else:
            logits = decode(prepared, metas)
        *per_subset, own = logits.split(self.out_channels, dim=1)
        data_samples = self.postprocess_result(own, data_samples)
        preds = []
        for subset_logits in per_subset:
            shells = [SegDataSample(metainfo=copy.copy(ds.metainfo)) for ds in data_samples]
            shells = self.postprocess_result(subset_logits, shells)
            preds.append(torch.stack([s.pred_sem_seg.data[0] for s in shells]))
        preds = torch.stack(preds, dim=1).to(torch.uint8 if self.out_channels < 256 else torch.long)
        for ds, pred, ok in zip(data_samples, preds, valid.tolist()):
            ds.set_data(dict(subset_pred_sem_seg=PixelData(data=pred)))
            ds.set_metainfo(dict(subset_names=[subset_name(s) for s in subsets],
                                 subset_valid=ok))
        return self._record_protocol(data_samples)

    def _record_protocol(self, data_samples: SampleList) -> SampleList:
        """Write the missing-modality convention and the corruption into the metainfo."""
        corruption = self.corruption
        for ds in data_samples:
            ds.set_metainfo(dict(missing_convention=self.missing_convention,
                                 corruption=dict(corruption) if corruption else None))
        return data_samples

    def inference(self, inputs: Tensor, batch_img_metas: List[dict]) -> Tensor:
        # mmseg's tiling indexes the last two dims; keep modalities stacked on channels.
        if inputs.dim() == 5:
            inputs = inputs.flatten(1, 2)
        return super().inference(self.prepare_inputs(inputs, batch_img_metas), batch_img_metas)
