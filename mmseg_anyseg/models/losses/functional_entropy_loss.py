"""RobustSeg's representation regularization (RRM): functional entropy of the distillation.

Written from the released code, ``RobustSeg/RobustSeg``: ``mmkd/RUMD.py`` and
``mmkd/regularization.py`` (after Gat et al., "Removing Bias in Multi-modal
Classifiers: Regularization by Maximizing Functional Entropies", NeurIPS
2020), called by ``tools/train_deliver_mad50_proto_cur_reg.py`` with
``RegParameters(1e-5)`` (lambda 1e-5, the L2 norm, ``estimation='ent'``,
``optim_method='max_ent'``, 10 perturbation samples) and weight 12.

For every sample, stage and kept modality, the student's and the teacher's
``[C, h, w]`` features are each repeated ``n`` times and perturbed
(``Perturbation.perturb_tensor``: the ``[C, n h w]`` repetition viewed as
``[C n, h w]`` gets Gaussian noise whose std, per column, is that column's
std); a log-softmax (student) and a softmax (teacher) turn them into
distributions and ``f = KLDivLoss(reduction='mean')`` (clamped at 0) compares
them. The information of each side is the mean over rows of the squared L2
norm of ``df/d(side)`` divided by ``f`` (``Regularization.get_batch_norm``,
the log-Sobolev estimate of the functional entropy); the term is
``lambda * ||(1 / I_s, 1 / I_t)||_2`` (``max_ent``), kept in the graph
(``create_graph=True``) so that it trains the student. Terms are summed over
stages and kept modalities and divided by the batch size.

``softmax_dim``: the released code applies the softmax and the gradient norm
on ``dim=1`` of the ``[n C, h, w]`` perturbed tensor, which is the **height**
axis, and mixes channels and samples on ``dim=0``. ``'channel'`` (default)
lays the samples out as ``[n, C, h, w]`` and takes the softmax and the norm
over the channels; ``'released'`` reproduces the height axis.
"""
from typing import Sequence

import torch
import torch.nn as nn
import torch.nn.functional as F
from mmseg.registry import MODELS
from torch import Tensor

from .precision import computes_in_float32

RRM_SOFTMAX_DIMS = ('channel', 'released')


def perturb(features: Tensor, num_samples: int) -> Tensor:
    """``perturb_tensor`` of the released code, for P pairs at once.

    ``[P, C, h, w]`` -> ``[P, n C, h, w]``: row ``c n + s`` of pair p is channel
    c's sample s, plus Gaussian noise whose std, per column, is the std of that
    pair's column. As in the released code, the result requires grad even for
    features that do not (the teacher's), so that the information of both sides
    can be measured.
    """
    pairs, channels, height, width = features.shape
    rows = features.reshape(pairs, channels, -1).repeat(1, 1, num_samples)
    rows = rows.reshape(pairs, channels * num_samples, -1)
    rows = rows + torch.randn_like(rows) * rows.std(dim=1, keepdim=True)
    rows = rows.reshape(pairs, channels * num_samples, height, width)
    return rows if rows.requires_grad else rows.requires_grad_()


def information(grad: Tensor, loss: Tensor, dim: int) -> Tensor:
    """``get_batch_norm`` with ``estimation='ent'`` per pair: ``mean(||grad||_2^2 over dim) / loss``.

    Args:
        grad: ``[P, ...]`` gradient of each pair's KL.
        loss: ``[P]`` KL of each pair.
        dim: The softmax axis of ``grad``.
    """
    return (grad.norm(p=2, dim=dim).pow(2).flatten(1) / loss[:, None]).mean(dim=1)


@MODELS.register_module()
class FunctionalEntropyRegLoss(nn.Module):
    """RRM of RobustSeg (module docstring).

    Args:
        loss_weight: Weight of the term (12 in the released script).
        reg_lambda: ``RegParameters.lambda_`` (1e-5 in the released script).
        num_samples: Perturbation samples per feature.
        norm: p of the norm over the two inverse informations.
        softmax_dim: ``'channel'`` or ``'released'`` (the height axis).
        loss_name: Name of the loss in the log.

    Shapes:
        - student, teacher: per stage ``[B, M, C_i, h_i, w_i]``.
        - kept: ``[B, M]`` bool, the pairs regularised.
    """

    def __init__(self, loss_weight: float = 12.0, reg_lambda: float = 1e-5,
                 num_samples: int = 10, norm: float = 2.0, softmax_dim: str = 'channel',
                 loss_name: str = 'loss_rrm') -> None:
        super().__init__()
        if softmax_dim not in RRM_SOFTMAX_DIMS:
            raise ValueError(f'softmax_dim={softmax_dim!r}; expected one of {RRM_SOFTMAX_DIMS}')
        self.loss_weight = loss_weight
        self.reg_lambda = reg_lambda
        self.num_samples = num_samples
        self.norm = norm
        self.softmax_dim = softmax_dim
        self._loss_name = loss_name

    @property
    def loss_name(self) -> str:
        return self._loss_name

    def pair_terms(self, student: Tensor, teacher: Tensor) -> Tensor:
        """``lambda * ||(1 / I_s, 1 / I_t)||`` of P student/teacher pairs.

        The released code loops over the pairs, one ``autograd.grad`` each; the
        pairs are independent, so one ``autograd.grad`` of the sum of their KLs
        gives every pair's own gradients.

        Args:
            student: ``[P, C, h, w]``.
            teacher: ``[P, C, h, w]`` (detached here).

        Returns:
            ``[P]``.
        """
        channels, height = student.shape[1:3]
        if self.softmax_dim == 'released' and height == 1:
            raise ValueError(
                "FunctionalEntropyRegLoss(softmax_dim='released'): a feature map 1 pixel high; "
                'the softmax over the height axis is then 1 and the KL 0, so the term is 0/0. '
                "Use larger crops or softmax_dim='channel'")
        s_noisy = perturb(student, self.num_samples)
        t_noisy = perturb(teacher.detach(), self.num_samples)
        if self.softmax_dim == 'channel':  # [P, C n, h, w] -> [P, n, C, h, w]
            s_noisy, t_noisy = (x.unflatten(1, (channels, self.num_samples)).transpose(1, 2)
                                for x in (s_noisy, t_noisy))
        # released: dim 1 of each pair's [n C, h, w], the height axis
        dim = 2
        log_p = F.log_softmax(s_noisy, dim=dim)
        target = F.softmax(t_noisy, dim=dim)
        loss = F.kl_div(log_p, target, reduction='none').flatten(1).mean(dim=1).clamp(min=0)
        grads = torch.autograd.grad(loss.sum(), [log_p, target], create_graph=True)
        scores = torch.stack([information(g, loss, dim) for g in grads], dim=1)
        return self.reg_lambda * torch.norm(1 / scores, p=self.norm, dim=1)

    @computes_in_float32
    def forward(self, student: Sequence[Tensor], teacher: Sequence[Tensor],
                kept: Tensor) -> Tensor:
        total = student[0].new_zeros(())
        for s_feat, t_feat in zip(student, teacher):
            total = total + self.pair_terms(s_feat[kept], t_feat[kept]).sum()
        return self.loss_weight * total / kept.shape[0]
