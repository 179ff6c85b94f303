"""The anymodal test protocol: which subsets, which missing convention, which corruption."""
from typing import Callable, Iterable, List, Optional, Sequence, Tuple

import torch
from mmengine.structures import PixelData
from mmseg.models.utils import resize
from mmseg.utils import SampleList
from torch import Tensor

from .corruptions import check_corruption, corrupt_batch
from ...utils import modality_names, resolve_subsets, subset_name
from ..backbones import AnymodalBackbone, split_modalities
from ..missing_modality import check_fill
from .subset_passes import per_subset_logits, shared_subset_logits

INFERENCE_MODES = ('whole', 'slide')


def check_missing_convention(missing: Optional[str], backbone: AnymodalBackbone) -> str:
    """``test_cfg.missing`` validated for ``backbone``; its default when None.

    Raises:
        ValueError: an unknown convention, or ``'drop'`` for a fixed-branch backbone.
    """
    if missing is None:
        return 'drop' if backbone.can_drop_modalities else 'zero'
    check_fill(missing, 'test_cfg.missing')
    if missing == 'drop' and not backbone.can_drop_modalities:
        raise ValueError(f"test_cfg.missing='drop' needs a backbone that can leave a modality "
                         f'out; {type(backbone).__name__} has a fixed branch per modality: use '
                         "test_cfg.missing='zero'")
    return missing


def sliding_window(inputs: Sequence[Optional[Tensor]], batch_img_metas: List[dict],
                   decode: Callable[..., Tensor], out_channels: int,
                   crop_size: Tuple[int, int], stride: Tuple[int, int]) -> Tensor:
    """Average ``decode(*crops, metas)`` over overlapping crops of every input alike.

    The crop grid is mmseg's ``EncoderDecoder.slide_inference``; that method is
    not reused because it crops one input and decodes one prediction with
    ``encode_decode``, where the shared subset pass crops the clean and the
    damaged inputs together and decodes every subset of each crop at once.

    Args:
        inputs: Tensors ``[B, ..., H, W]`` cropped together (None passes through).
        batch_img_metas: Image metainfo; each crop's gets its ``img_shape``.
        decode: Maps the crops and their metainfo to ``[B, out_channels, h, w]``.
        out_channels: Channels of ``decode``'s output.
        crop_size: ``(h, w)`` of a crop.
        stride: ``(h, w)`` step between crops.

    Returns:
        ``[B, out_channels, H, W]`` averaged logits.
    """
    (h_stride, w_stride), (h_crop, w_crop) = stride, crop_size
    first = inputs[0]
    h_img, w_img = first.shape[-2:]
    h_grids = max(h_img - h_crop + h_stride - 1, 0) // h_stride + 1
    w_grids = max(w_img - w_crop + w_stride - 1, 0) // w_stride + 1
    preds = first.new_zeros((first.shape[0], out_channels, h_img, w_img))
    count = first.new_zeros((first.shape[0], 1, h_img, w_img))
    metas = [dict(meta) for meta in batch_img_metas]
    for h_idx in range(h_grids):
        for w_idx in range(w_grids):
            y2 = min(h_idx * h_stride + h_crop, h_img)
            x2 = min(w_idx * w_stride + w_crop, w_img)
            y1, x1 = max(y2 - h_crop, 0), max(x2 - w_crop, 0)
            crops = [x if x is None else x[..., y1:y2, x1:x2] for x in inputs]
            for meta in metas:
                meta['img_shape'] = crops[0].shape[-2:]
            preds[..., y1:y2, x1:x2] += decode(*crops, metas)
            count[..., y1:y2, x1:x2] += 1
    return preds / count


def restore_labels(seg_logits: Tensor, batch_img_metas: List[dict],
                   align_corners: bool = False, threshold: float = 0.3) -> Tensor:
    """Labels in the original image frame: ``postprocess_result``'s ``pred_sem_seg``.

    The same steps as mmseg's ``BaseSegmentor.postprocess_result`` (padding
    removed, flip undone, bilinear resize to ``ori_shape``, arg-max over the
    classes), without its float logits kept per sample and with two exact
    shortcuts that matter for the 15 subsets at full resolution: a resize to
    the size the logits already have is skipped (bilinear interpolation at
    scale one returns its input), and the arg-max is ``max(dim=0).indices``
    (the first maximal class, as ``argmax``; several times faster on CPU).
    One channel is a binary head: its sigmoid above ``threshold``.

    Args:
        seg_logits: ``[B, K, H, W]`` logits at the padded input size (K > 1).
        batch_img_metas: Each sample's metainfo (``ori_shape``, optional
            ``padding_size``/``img_padding_size``, ``flip``, ``flip_direction``).
        align_corners: The segmentor's ``align_corners``.
        threshold: The decode head's ``threshold`` (binary heads only).

    Returns:
        ``[B, H_ori, W_ori]`` long labels (samples of one batch share ``ori_shape``).
    """
    height, width = seg_logits.shape[-2:]
    labels = []
    for logits, meta in zip(seg_logits, batch_img_metas):
        left, right, top, bottom = meta.get('img_padding_size',
                                            meta.get('padding_size', [0] * 4))
        logits = logits[:, top:height - bottom, left:width - right]
        if meta.get('flip'):
            logits = logits.flip(dims=(2,) if meta['flip_direction'] == 'horizontal' else (1,))
        if tuple(logits.shape[-2:]) != tuple(meta['ori_shape'][:2]):
            logits = resize(logits[None], size=meta['ori_shape'][:2], mode='bilinear',
                            align_corners=align_corners, warning=False)[0]
        if len(logits) == 1:
            labels.append((logits[0].sigmoid() > threshold).long())
        else:
            labels.append(logits.max(dim=0).indices)
    return torch.stack(labels)


class AnymodalTestProtocol:
    """How an :class:`AnymodalEncoderDecoder` predicts, from its ``test_cfg``.

    Built, and so validated, whenever the segmentor's ``test_cfg`` is set. Keys
    besides mmseg's ``mode``, ``crop_size`` and ``stride``:

    - ``modalities``: predict with this fixed subset only, e.g.
      ``('depth', 'lidar')`` (intersected with what each sample has).
    - ``subsets``: also predict every listed subset (``'all'``, an int size,
      or a list of subsets or codes such as ``'RD'``) into
      ``subset_pred_sem_seg`` (``[S, H, W]``), with ``subset_names`` and,
      per subset, whether the sample had any of its modalities
      (``subset_valid``) in the metainfo.
    - ``missing``: how a modality outside the evaluated subset (or missing on
      disk) enters the model: ``'drop'`` (default where the backbone can,
      AnySeg's evaluation) leaves it out of the fusion; ``'zero'`` feeds a
      zero image after normalisation (the convention of fixed-branch models,
      their only one, and of the sensor-failure benchmark).
    - ``corruption``: test-time sensor corruption of the normalised inputs
      (:mod:`mmseg_anyseg.models.test_protocol.corruptions`): ``dict(type=
      'random_missing', rate=r, seed=0)`` damages, for each subset, the
      modalities outside it (they stay in the fusion, elements zeroed at
      rate r: the benchmark's RMM); ``dict(type='noise', level='low'|'mid'|
      'high', seed=0)`` adds the benchmark's noise to every modality (NM).

    Every prediction, the kept set's included, comes from one strategy
    (:mod:`.subset_passes`): one backbone pass per modality shared by all
    subsets when the backbone ``has_modality_features``, else one forward per
    subset. The convention and the corruption are written into each
    predicted sample's metainfo (``missing_convention``, ``corruption``).

    Args:
        test_cfg: The segmentor's ``test_cfg`` (None: whole-image, defaults).
        backbone: The segmentor's backbone.
    """

    def __init__(self, test_cfg: Optional[dict], backbone: AnymodalBackbone) -> None:
        cfg = dict(test_cfg or {})
        self.mode = cfg.get('mode', 'whole')
        if self.mode not in INFERENCE_MODES:
            raise ValueError(f'test_cfg.mode={self.mode!r}; expected one of {INFERENCE_MODES}')
        if self.mode == 'slide':
            missing_keys = [key for key in ('crop_size', 'stride') if key not in cfg]
            if missing_keys:
                raise KeyError(f"test_cfg.mode='slide' needs test_cfg.{missing_keys[0]}")
            self.crop_size, self.stride = tuple(cfg['crop_size']), tuple(cfg['stride'])
        self.modalities = tuple(cfg['modalities']) if cfg.get('modalities') else None
        self.subsets = cfg.get('subsets')
        self.missing = check_missing_convention(cfg.get('missing'), backbone)
        self.corruption = check_corruption(cfg.get('corruption'))
        self.subset_logits = (shared_subset_logits
                              if backbone.has_modality_features else per_subset_logits)
        self.num_modalities = backbone.num_modalities

    def restrict(self, mask: Tensor, names: Sequence[str]) -> Tensor:
        """``[B, M]`` kept mask intersected with ``test_cfg.modalities``."""
        if self.modalities is None:
            return mask
        unknown = [m for m in self.modalities if m not in names]
        if unknown:
            raise ValueError(f'test_cfg.modalities names {unknown}, not among the modalities '
                             f'{tuple(names)} of the data')
        return mask & torch.tensor([m in self.modalities for m in names], device=mask.device)

    def corrupt(self, inputs: Tensor, batch_img_metas: List[dict],
                names: Sequence[str]) -> Tuple[Tensor, Optional[Tensor]]:
        """The inputs the subsets see and, under random missing, the damaged copies.

        Returns:
            ``[B, M, C, H, W]`` inputs (noisy under noise) and damaged copies or None.
        """
        split = split_modalities(inputs, self.num_modalities)
        if self.corruption is None:
            return split, None
        keys = [str(meta.get('img_path', index)) for index, meta in enumerate(batch_img_metas)]
        corrupted = corrupt_batch(split, self.corruption, keys, names)
        if self.corruption['type'] == 'noise':
            return corrupted, None
        return split, corrupted

    def head_logits(self, model, inputs: Tensor, damaged: Optional[Tensor],
                    masks: Tensor) -> Tensor:
        """``[S, B, K, h, w]`` head logits of the ``[S, B, M]`` subsets (zero where empty)."""
        raw = self.subset_logits(model, inputs, damaged, masks, self.missing)
        return raw * masks.any(dim=-1)[..., None, None, None]

    def logits(self, model, inputs: Tensor, damaged: Optional[Tensor],
               batch_img_metas: List[dict], masks: Tensor) -> Tensor:
        """``[B, S*K, H, W]`` logits of the ``[S, B, M]`` subsets, subset-major."""
        raw = self.head_logits(model, inputs, damaged, masks)
        num_subsets, batch = masks.shape[:2]
        logits = model.decode_head.predict_by_feat(raw.flatten(0, 1), batch_img_metas)
        return logits.unflatten(0, (num_subsets, batch)).transpose(0, 1).flatten(1, 2)

    def predict(self, model, inputs: Tensor, data_samples: SampleList) -> SampleList:
        """Predict the kept modalities and, with ``subsets``, every listed subset.

        Args:
            model: The :class:`AnymodalEncoderDecoder` (eval mode).
            inputs: ``[B, M, C, H, W]`` pre-processed inputs.
            data_samples: Their samples, with the modality metainfo.
        """
        metas = [ds.metainfo for ds in data_samples]
        names = modality_names(metas)
        kept = model.modality_mask(inputs, metas)
        subsets = [] if self.subsets is None else resolve_subsets(names, self.subsets)
        subset_masks = torch.tensor([[m in s for m in names] for s in subsets],
                                    dtype=torch.bool, device=inputs.device).view(-1, len(names))
        masks = torch.cat([kept[None] & subset_masks[:, None], kept[None]])
        clean, damaged = self.corrupt(inputs, metas, names)

        def decode(x: Tensor, x_damaged: Optional[Tensor], img_metas: List[dict]) -> Tensor:
            return self.logits(model, x, x_damaged, img_metas, masks)

        channels = len(masks) * model.out_channels
        if self.mode == 'slide':
            logits = sliding_window((clean, damaged), metas, decode, channels, self.crop_size,
                                    self.stride)
            *per_subset, own = logits.split(model.out_channels, dim=1)
        else:  # one subset at full resolution at a time: no [B, S*K, H, W] tensor
            raw = self.head_logits(model, clean, damaged, masks)
            own = model.decode_head.predict_by_feat(raw[-1], metas)
            per_subset = (model.decode_head.predict_by_feat(r, metas) for r in raw[:-1])
        data_samples = model.postprocess_result(own, data_samples)
        if subsets:
            self._pack_subsets(model, per_subset, data_samples, subsets, masks[:-1])
        for ds in data_samples:
            ds.set_metainfo(dict(missing_convention=self.missing,
                                 corruption=dict(self.corruption) if self.corruption else None))
        return data_samples

    @staticmethod
    def _pack_subsets(model, per_subset: Iterable[Tensor], data_samples: SampleList,
                      subsets: list, masks: Tensor) -> None:
        """Write ``subset_pred_sem_seg``, ``subset_names`` and ``subset_valid``.

        Args:
            per_subset: Each subset's ``[B, K, H, W]`` logits at the input size, in turn.
        """
        dtype = torch.uint8 if model.out_channels < 256 else torch.long
        metas = [ds.metainfo for ds in data_samples]
        threshold = getattr(model.decode_head, 'threshold', 0.3)
        preds = torch.stack([
            restore_labels(logits, metas, model.align_corners, threshold).to(dtype)
            for logits in per_subset], dim=1)
        for ds, pred, ok in zip(data_samples, preds, masks.any(dim=-1).T.tolist()):
            ds.set_data(dict(subset_pred_sem_seg=PixelData(data=pred)))
            ds.set_metainfo(dict(subset_names=[subset_name(s) for s in subsets],
                                 subset_valid=ok))
