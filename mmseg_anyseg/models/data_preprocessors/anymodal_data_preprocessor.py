"""Batching, normalisation and anymodal dropout of stacked modalities."""
from itertools import product
from typing import Dict, List, Optional, Sequence, Union

import torch
from mmseg.models.data_preprocessor import SegDataPreProcessor
from mmseg.registry import MODELS
from torch import Tensor

from ..missing_modality import check_fill
from ...utils import KEPT_KEY, batch_modality_mask, modality_names

DROPOUT_TYPES = ('size_uniform', 'subset', 'independent')
PerModality = Union[Dict[str, Sequence[float]], Sequence[Sequence[float]]]


@MODELS.register_module()
class AnymodalDataPreProcessor(SegDataPreProcessor):
    """mmseg's ``SegDataPreProcessor`` for samples of several modalities.

    Samples arrive with their M modalities stacked along channels (see
    ``LoadMultiModalImages``). This pre-processor normalises each modality
    with its own mean and std, pads and batches as mmseg does, reshapes to
    ``[B, M, C, H, W]`` and writes two ``[M]`` bool masks into each sample's
    metainfo:

    - ``modality_present``: the modalities whose files exist (from the dataset);
    - ``modality_mask``: the modalities the model may use. In training, with
      ``modality_dropout`` set, each sample keeps a random non-empty subset of
      its present modalities (anymodal dropout, paper Sec. 3.2). Otherwise it
      equals ``modality_present``.

    Args:
        modalities: Modality names in their stacked order.
        mean: Per modality, the per-channel mean: a dict keyed by modality or
            a list in modality order.
        std: Per modality, the per-channel std, like ``mean``.
        modality_dropout: None (off), or one of

            - ``dict(type='size_uniform', per='batch')``: the authors' draw
              (``zhengxuJosh/AnySeg``,
              ``semseg/models/segformer/seg_block_select_UMD.py``,
              ``Seg.forward``): the number of kept modalities is uniform in
              1..M, then a uniform subset of that size, one draw for the
              whole (per-GPU) batch. A sample lacking some of the drawn
              modalities keeps those it has; one that has none of them
              draws its own subset. ``per='sample'`` draws per sample among
              the modalities it has. With M = 4 the full set is kept 1/4 of
              the time.
            - ``dict(type='subset')``: uniform over the non-empty subsets of
              each sample's present modalities (the full set 1/15 of the
              time for M = 4).
            - ``dict(type='independent', drop_prob=p)``: drop each modality
              with probability ``p`` (a float, or a dict per modality),
              keeping one at random when all are dropped.

            Every type also takes ``fill``: ``'drop'`` (default) leaves a
            dropped modality out of the model's fusion (``modality_mask``
            False, "data loss"); ``'zero'`` feeds it as a zero image after
            normalisation, which the model fuses like any modality (the
            segmentor reads it from this pre-processor and applies it, so
            that a teacher still sees the real image), the zero-padding
            training of RobustSeg's ``*_zero_padding_*`` scripts (``RobustSeg/RobustSeg``,
            ``seg_block_select_UMD_zero_padding.py``).

            The attribute ``dropout_share`` (1.0 here) is the probability that a
            training sample goes through the dropout at all; the others keep every
            present modality. :class:`ModalityDropoutAnnealHook` lowers it over a
            schedule.
        **kwargs: Passed to :class:`SegDataPreProcessor` (``size``,
            ``size_divisor``, ``pad_val``, ``seg_pad_val``, ``test_cfg``...).
    """

    def __init__(self,
                 modalities: Sequence[str],
                 mean: PerModality,
                 std: PerModality,
                 modality_dropout: Optional[dict] = None,
                 **kwargs) -> None:
        if kwargs.pop('bgr_to_rgb', False) or kwargs.pop('rgb_to_bgr', False):
            raise ValueError('AnymodalDataPreProcessor: modalities are loaded in RGB order; '
                             'channel conversion is not supported')
        self.modalities = tuple(modalities)
        flat_mean = self._per_modality('mean', mean)
        flat_std = self._per_modality('std', std)
        super().__init__(mean=flat_mean, std=flat_std, **kwargs)
        self.modality_dropout = self._check_dropout(modality_dropout)
        self.dropout_share = 1.0
        subsets = [bits for bits in product((False, True), repeat=len(self.modalities))
                   if any(bits)]
        self.register_buffer('_subset_table', torch.tensor(subsets), persistent=False)

    def _per_modality(self, name: str, values: PerModality) -> List[float]:
        if isinstance(values, dict):
            missing = [m for m in self.modalities if m not in values]
            if missing:
                raise KeyError(f'AnymodalDataPreProcessor: {name} has no entry for {missing}')
            values = [values[m] for m in self.modalities]
        if len(values) != len(self.modalities):
            raise ValueError(f'AnymodalDataPreProcessor: {name} has {len(values)} entries for '
                             f'{len(self.modalities)} modalities {self.modalities}')
        return [float(v) for per_mod in values for v in per_mod]

    def _check_dropout(self, cfg: Optional[dict]) -> Optional[dict]:
        if cfg is None:
            return None
        cfg = dict(cfg)
        kind = cfg.get('type')
        cfg.setdefault('fill', 'drop')
        check_fill(cfg['fill'], 'modality_dropout fill')
        if kind == 'size_uniform':
            cfg.setdefault('per', 'batch')
            if cfg['per'] not in ('batch', 'sample'):
                raise ValueError(f"modality_dropout per={cfg['per']!r}; expected 'batch' or "
                                 "'sample'")
            return cfg
        if kind == 'subset':
            return cfg
        if kind == 'independent':
            prob = cfg.get('drop_prob', 0.5)
            if isinstance(prob, dict):
                prob = [prob.get(m, 0.0) for m in self.modalities]
            else:
                prob = [float(prob)] * len(self.modalities)
            if not all(0.0 <= p <= 1.0 for p in prob):
                raise ValueError(f'modality_dropout drop_prob {prob} must lie in [0, 1]')
            cfg['drop_prob'] = prob
            return cfg
        raise ValueError(f'modality_dropout type {kind!r}; expected one of {DROPOUT_TYPES}')

    def sample_modality_mask(self, present: Tensor) -> Tensor:
        """Draw the kept modalities of each sample (anymodal dropout).

        Args:
            present: ``[B, M]`` bool, the modalities available per sample.

        Returns:
            ``[B, M]`` bool, a non-empty subset of ``present`` per sample.
        """
        kind = self.modality_dropout['type']
        if kind == 'size_uniform':
            return self._size_uniform(present, self.modality_dropout['per'])
        if kind == 'subset':
            table = self._subset_table.to(present.device)
            allowed = ~(table[None] & ~present[:, None]).any(dim=-1)
            choice = torch.multinomial(allowed.float(), 1).squeeze(1)
            return table[choice]
        prob = torch.tensor(self.modality_dropout['drop_prob'], device=present.device)
        keep = (torch.rand(present.shape, device=present.device) >= prob) & present
        empty = ~keep.any(dim=1)
        if bool(empty.any()):
            fallback = torch.multinomial(present[empty].float(), 1).squeeze(1)
            keep[empty] = torch.nn.functional.one_hot(
                fallback, present.shape[1]).bool()
        return keep

    @staticmethod
    def _size_uniform(present: Tensor, per: str) -> Tensor:
        """Kept-set size uniform in 1..n, then a uniform subset of that size."""

        def draw(candidates: Tensor) -> Tensor:
            size = int(torch.randint(1, len(candidates) + 1, ()))
            chosen = candidates[torch.randperm(len(candidates))[:size]]
            row = torch.zeros(present.shape[1], dtype=torch.bool)
            row[chosen] = True
            return row.to(present.device)

        keep = torch.zeros_like(present)
        if per == 'batch':
            keep = present & draw(torch.arange(present.shape[1]))[None]
        for index in (~keep.any(dim=1)).nonzero().flatten().tolist():
            keep[index] = draw(present[index].nonzero().flatten().cpu())
        return keep

    def forward(self, data: dict, training: bool = False) -> dict:
        """Normalise, pad and batch; reshape to ``[B, M, C, H, W]``; set masks."""
        data = super().forward(data, training)
        inputs: Tensor = data['inputs']
        batch, channels, height, width = inputs.shape
        num_mod = len(self.modalities)
        if channels % num_mod:
            raise ValueError(f'inputs have {channels} channels, not divisible by the '
                             f'{num_mod} modalities {self.modalities}')
        data['inputs'] = inputs.view(batch, num_mod, channels // num_mod, height, width)
        samples = data.get('data_samples')
        if samples is None:
            return data
        for sample in samples:
            if modality_names([sample.metainfo]) != self.modalities:
                raise ValueError(f'sample {sample.metainfo.get("img_path")} has modalities '
                                 f'{sample.metainfo["modalities"]}; the pre-processor expects '
                                 f'{self.modalities}')
        present = batch_modality_mask([s.metainfo for s in samples], kept=False,
                                      device=inputs.device)
        mask = present
        if training and self.modality_dropout is not None:
            mask = self.sample_modality_mask(present)
            if self.dropout_share < 1.0:
                drawn = torch.rand(batch, device=inputs.device) < self.dropout_share
                mask = torch.where(drawn[:, None], mask, present)
        for sample, row in zip(samples, mask.tolist()):
            sample.set_metainfo({KEPT_KEY: tuple(row)})
        return data
