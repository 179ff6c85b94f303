"""Cross-modal correspondence distillation (CMD): paper eq. 5, or the released loop's ``CMD.py``."""
from itertools import combinations
from typing import Sequence

import torch
import torch.nn as nn
import torch.nn.functional as F
from mmseg.registry import MODELS
from torch import Tensor

from .precision import computes_in_float32


def pairwise_similarity(features: Tensor, pairs: Tensor) -> Tensor:
    """Cosine similarity, mapped to [0, 1], between modality pairs per position.

    Args:
        features: ``[B, M, C, h, w]``.
        pairs: ``[P, 2]`` long, modality index pairs.

    Returns:
        ``[B, P, h, w]`` with ``S = (1 + cos) / 2``.
    """
    unit = F.normalize(features, dim=2)
    cos = (unit[:, pairs[:, 0]] * unit[:, pairs[:, 1]]).sum(dim=2)
    return (1 + cos) / 2


def global_similarity(features: Tensor, pairs: Tensor) -> Tensor:
    """Cosine similarity, mapped to [0, 1], of whole feature maps per sample.

    Args:
        features: ``[B, M, C, h, w]``.
        pairs: ``[P, 2]`` long, modality index pairs.

    Returns:
        ``[B, P]`` with ``S = (1 + cos) / 2`` of the flattened ``C*h*w`` maps.
    """
    unit = F.normalize(features.flatten(2), dim=2)
    cos = (unit[:, pairs[:, 0]] * unit[:, pairs[:, 1]]).sum(dim=2)
    return (1 + cos) / 2


def correlation_matrix(entries: Tensor, log: bool) -> Tensor:
    """The released CMD's correlation matrix of a set of feature maps.

    Each ``[C, h, w]`` map goes through ``log_softmax`` (student) or
    ``softmax`` (teacher) along its height axis; entry ``(a, b)`` is the
    cosine similarity of the two maps' channels (each an ``h*w`` vector),
    averaged over the channels, and the diagonal is 1.

    Args:
        entries: ``[N, C, h, w]``, one map per kept (sample, modality).
        log: ``log_softmax`` if True, else ``softmax``.

    Returns:
        ``[N, N]``.
    """
    maps = F.log_softmax(entries, dim=2) if log else F.softmax(entries, dim=2)
    unit = F.normalize(maps.flatten(2), dim=2, eps=1e-8)
    corr = torch.einsum('ack,bck->ab', unit, unit) / entries.shape[1]
    eye = torch.eye(corr.shape[0], dtype=torch.bool, device=corr.device)
    return torch.where(eye, torch.ones_like(corr), corr)


GRANULARITIES = ('global', 'pixel')
MODES = ('literal', 'bernoulli', 'released')


@MODELS.register_module()
class CrossModalDistillLoss(nn.Module):
    """Transfer the teacher's cross-modal similarities to the student (eq. 5).

    For every stage and every pair (j, k) of modalities the student kept,
    the similarity ``S = (1 + cos(f_j, f_k)) / 2`` in [0, 1] of the teacher
    (``S_t``) and of the student (``S_s``) are compared.

    Granularity. ``'global'`` (default, the paper's reading of eq. 5: "S(x, y)
    denotes the cosine similarity between feature vectors x and y ... we
    average the similarity scores across batch samples with the same feature
    shape") takes one similarity per sample, pair and stage from the
    flattened ``C*h*w`` features, averages it over the samples that kept
    both modalities, takes the divergence of the two averages and **sums**
    over pairs, as eq. 5 does. ``'pixel'`` compares the similarities of the
    channel vectors at every position and averages the divergence over
    positions and (sample, pair) entries. Stages are summed in both.

    Divergence. ``mode='literal'`` (default) is eq. 5 as written, the single
    term ``S_t log(S_t / S_s)``. It decreases monotonically in ``S_s`` (its
    derivative is ``-S_t / S_s < 0``), so it pulls the student's similarity
    of every kept pair towards 1, weighted by the teacher's: it aligns the
    student's modalities, which is what Sec. 3.2 says CMD is for.
    ``mode='bernoulli'`` (this project's reading, not the paper's) treats
    each similarity as the parameter of a Bernoulli distribution, which adds
    the complementary term and gives a proper KL divergence::

        KL(S_t || S_s) = S_t log(S_t / S_s) + (1 - S_t) log((1 - S_t) / (1 - S_s))

    whose derivative in ``S_s``, ``(S_s - S_t) / (S_s (1 - S_s))``, vanishes only
    at ``S_s = S_t``: it copies the teacher's similarities instead.

    Released. ``mode='released'`` is the released training loop
    (``RobustSeg/RobustSeg``, led by AnySeg's first author,
    ``semseg/models/segformer/CMD.py``, imported as ``CMD`` and called as
    ``CMD(index, ms_feat, ms_feat_s) * 10``), not eq. 5: every kept
    (sample, modality) map of a stage, over the **whole batch**, enters one
    correlation matrix (:func:`correlation_matrix`: height-axis
    ``log_softmax`` for the student, ``softmax`` for the teacher, the
    channel-averaged cosine of two maps, diagonal 1); the loss is
    ``nn.MSELoss()`` between the student's and the teacher's ``[N, N]``
    matrix, summed over stages and divided by the batch size. (``CMD.py``
    grows its lists over the loop on samples and keeps only the last pass's
    total, whose matrices span every kept entry of the batch.) Its gradient
    vanishes when the student's similarities equal the teacher's.
    ``granularity`` does not apply. The student's maps may be narrower than
    the teacher's.

    A batch where no sample kept two modalities gives zero.

    Args:
        granularity: ``'global'`` or ``'pixel'``, see above.
        mode: ``'literal'``, ``'bernoulli'`` or ``'released'``, see above.
        eps: Similarities are clamped to ``[eps, 1 - eps]`` before the logs.
        loss_weight: Weight of the loss (beta in the paper).
        loss_name: Name under which the loss is logged.

    Shapes:
        - student, teacher: per stage ``[B, M, C, h, w]`` (widths may differ).
        - modality_mask: ``[B, M]`` bool, the modalities the student kept.
    """

    def __init__(self, granularity: str = 'global', mode: str = 'literal',
                 eps: float = 1e-6, loss_weight: float = 10.0,
                 loss_name: str = 'loss_cmd') -> None:
        super().__init__()
        if granularity not in GRANULARITIES:
            raise ValueError(f'CrossModalDistillLoss granularity={granularity!r}; expected one '
                             f'of {GRANULARITIES}')
        if mode not in MODES:
            raise ValueError(f'CrossModalDistillLoss mode={mode!r}; expected one of {MODES}')
        self.granularity = granularity
        self.mode = mode
        self.eps = eps
        self.loss_weight = loss_weight
        self._loss_name = loss_name

    def divergence(self, s_teacher: Tensor, s_student: Tensor) -> Tensor:
        """Elementwise divergence between teacher and student similarities."""
        t = s_teacher.clamp(self.eps, 1 - self.eps)
        s = s_student.clamp(self.eps, 1 - self.eps)
        kl = t * (t.log() - s.log())
        if self.mode == 'bernoulli':
            kl = kl + (1 - t) * ((1 - t).log() - (1 - s).log())
        return kl

    def released(self, student: Sequence[Tensor], teacher: Sequence[Tensor],
                 mask: Tensor) -> Tensor:
        """``CMD.py``'s value: MSE of the batch's correlation matrices, per stage."""
        total = student[0].new_zeros(())
        for s_feat, t_feat in zip(student, teacher, strict=True):
            s_corr = correlation_matrix(s_feat[mask], log=True)
            with torch.no_grad():
                t_corr = correlation_matrix(t_feat[mask], log=False)
            total = total + F.mse_loss(s_corr, t_corr)
        return total / mask.shape[0]

    @computes_in_float32
    def forward(self, student: Sequence[Tensor], teacher: Sequence[Tensor],
                modality_mask: Tensor) -> Tensor:
        mask = modality_mask.bool()
        if self.mode == 'released':
            return self.loss_weight * self.released(student, teacher, mask)
        num_mod = mask.shape[1]
        total = student[0].new_zeros(())
        if num_mod < 2:
            return total
        pairs = torch.tensor(list(combinations(range(num_mod), 2)), device=mask.device)
        pair_mask = mask[:, pairs[:, 0]] & mask[:, pairs[:, 1]]
        if not bool(pair_mask.any()):
            return total + sum(s.sum() for s in student) * 0
        for s_feat, t_feat in zip(student, teacher, strict=True):
            if self.granularity == 'pixel':
                s_sim = pairwise_similarity(s_feat, pairs)
                with torch.no_grad():
                    t_sim = pairwise_similarity(t_feat, pairs)
                total = total + self.divergence(t_sim[pair_mask], s_sim[pair_mask]).mean()
                continue
            weights = pair_mask.to(s_feat.dtype)
            count = weights.sum(dim=0)
            used = count > 0
            s_sim = (global_similarity(s_feat, pairs) * weights).sum(dim=0)[used] / count[used]
            with torch.no_grad():
                t_sim = (global_similarity(t_feat, pairs) * weights).sum(dim=0)[used]
                t_sim = t_sim / count[used]
            total = total + self.divergence(t_sim, s_sim).sum()
        return self.loss_weight * total

    @property
    def loss_name(self) -> str:
        return self._loss_name
