"""RobustSeg: AnySeg's distiller with hybrid prototype distillation and representation regularization."""
from typing import Dict, List, Optional

import torch
from mmseg.registry import MODELS
from mmseg.utils import SampleList
from torch import Tensor

from .anyseg_distiller import AnySegDistiller

MODALITY_PAIRINGS = ('same', 'random')


def random_modality_partners(student: List[Tensor], kept: Tensor) -> List[Tensor]:
    """The student's features re-indexed so that each modality meets a random kept one.

    The ``*_zero_padding_random`` variants of ``RobustSeg/RobustSeg``
    (``mmkd/PCUMD_zero_padding_random.py``, ``mmkd/RUMD_zero_padding_random.py``)
    compare the teacher's modality k with the student's modality
    ``random.sample(range(M), M)[k]``, drawing a new permutation for every sample,
    stage and k: a student modality drawn uniformly and independently (with
    replacement) for each pair. The draw here is among the sample's kept modalities
    (all of them under zero-filled training, as there) and uses torch's generator.

    Args:
        student: Per stage, ``[B, M, C_i, h_i, w_i]`` features.
        kept: ``[B, M]`` bool, at least one True per sample.

    Returns:
        Per stage, ``[B, M, C_i, h_i, w_i]``: entry ``[b, k]`` is the student's
        feature of a random kept modality of sample b.
    """
    rows = torch.arange(kept.shape[0], device=kept.device)[:, None]
    return [feat[rows, torch.multinomial(kept.float(), kept.shape[1], replacement=True)]
            for feat in student]


@MODELS.register_module()
class RobustSegDistiller(AnySegDistiller):
    """RobustSeg (Tan et al., arXiv 2505.12861; code ``RobustSeg/RobustSeg``).

    The same frozen PML teacher and anymodal student as :class:`AnySegDistiller`;
    ``tools/train_deliver_mad50_proto_cur_reg.py`` trains the student with the
    segmentation loss, MAD (weight 50) and, on the per-modality features of
    every stage and kept modality, the prototype KL of HPDM
    (:class:`PrototypeDistillLoss`, weight 100) and the functional-entropy term
    of RRM (:class:`FunctionalEntropyRegLoss`, weight 12); UMD and CMD are off.
    The student's features reach the teacher's widths through the connectors,
    as for UMD. Like the connectors, both terms are built only with the
    teacher (``num_classes`` and the prototypes' ``stage_channels`` default to
    the student's classes and the teacher's stage widths).

    Each term compares the teacher's modality k with the student's modality k
    (``'same'``), or with a random kept student modality (``'random'``,
    :func:`random_modality_partners`): the released zero-padding scripts use
    ``'random'`` for both terms (``*_zero_padding_random``) or for HPDM alone
    (``*_zero_padding_mixed``).

    Args:
        prototype_loss: Config of :class:`PrototypeDistillLoss`, or None.
        regularization_loss: Config of :class:`FunctionalEntropyRegLoss`, or None.
        prototype_pairing: ``'same'`` or ``'random'``, for HPDM.
        regularization_pairing: ``'same'`` or ``'random'``, for RRM.
        umd_loss: As for :class:`AnySegDistiller`; None in the released runs.
        cmd_loss: As for :class:`AnySegDistiller`; None in the released runs.
        **kwargs: Arguments of :class:`AnySegDistiller`.
    """

    def __init__(self, prototype_loss: Optional[dict] = None,
                 regularization_loss: Optional[dict] = None,
                 prototype_pairing: str = 'same', regularization_pairing: str = 'same',
                 umd_loss: Optional[dict] = None, cmd_loss: Optional[dict] = None,
                 **kwargs) -> None:
        for name, value in (('prototype_pairing', prototype_pairing),
                            ('regularization_pairing', regularization_pairing)):
            if value not in MODALITY_PAIRINGS:
                raise ValueError(f'RobustSegDistiller: {name}={value!r}; expected one of '
                                 f'{MODALITY_PAIRINGS}')
        super().__init__(umd_loss=umd_loss, cmd_loss=cmd_loss, **kwargs)
        self.prototype_pairing = prototype_pairing
        self.regularization_pairing = regularization_pairing
        self.prototype_loss = self.regularization_loss = None
        if self.teacher is None:  # testing without the teacher's files: no training terms
            return
        if (prototype_loss or regularization_loss) and \
                not self.teacher.backbone.has_modality_features:
            raise ValueError(f'RobustSegDistiller: the teacher {self.teacher_config} has no '
                             'per-modality features, which HPDM and RRM need')
        if prototype_loss:
            prototype_loss = dict(prototype_loss)
            prototype_loss.setdefault('num_classes', self.student.num_classes)
            prototype_loss.setdefault('stage_channels', self._stage_widths(self.teacher))
            self.prototype_loss = MODELS.build(prototype_loss)
        if regularization_loss:
            self.regularization_loss = MODELS.build(regularization_loss)

    def modality_feature_losses(self, student: List[Tensor], teacher: List[Tensor],
                                kept: Tensor, data_samples: SampleList) -> Dict[str, Tensor]:
        """UMD and CMD when configured, plus HPDM and RRM."""
        losses = super().modality_feature_losses(student, teacher, kept, data_samples)
        if self.prototype_loss is None and self.regularization_loss is None:
            return losses
        connected = self.connect(student)

        def paired(pairing: str) -> List[Tensor]:
            return connected if pairing == 'same' else random_modality_partners(connected, kept)

        if self.prototype_loss is not None:
            labels = torch.stack([ds.gt_sem_seg.data[0] for ds in data_samples])
            losses[self.prototype_loss.loss_name] = self.prototype_loss(
                paired(self.prototype_pairing), teacher, kept, labels)
        if self.regularization_loss is not None:
            losses[self.regularization_loss.loss_name] = self.regularization_loss(
                paired(self.regularization_pairing), teacher, kept)
        return losses
