"""What one distillation step computed, named, for the configured losses to read."""
from typing import Callable, Dict, List

import torch
from mmseg.utils import SampleList
from torch import Tensor


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


# Every field of the record: what it holds. Per-modality features are per stage
# ``[B, M, C_i, h_i, w_i]``; fused ones per stage ``[B, C_i, h_i, w_i]``.
RECORD_FIELDS = {
    'student.features': "the student's per-modality backbone features (its own widths)",
    'student.connected': "the student's per-modality features at the teacher's widths "
                         '(the connectors)',
    'student.connected_random_partners': "'student.connected' with each teacher modality "
                                         'met by a random kept student modality, drawn anew '
                                         'at every read (RobustSeg zero-padding random)',
    'student.fused': "the student's fused features (what its head decodes)",
    'student.fused_slot': "the student's fused features at the teacher's widths as one "
                          'modality slot, per stage [B, 1, C_i, h_i, w_i]',
    'student.logits': "the student's logits [B, K, h, w] at the head's resolution",
    'teacher.features': "the teacher's per-modality features (every present modality)",
    'teacher.fused': "the teacher's fused features",
    'teacher.fused_slot': "the teacher's fused features as one modality slot",
    'teacher.logits': "the teacher's logits [B, K, h, w]",
    'kept': '[B, M] bool, the modalities the student kept',
    'present': '[B, M] bool, the modalities each sample has',
    'one_slot': '[B, 1] bool, all True: the mask of the *_slot fields',
    'labels': '[B, H, W] long, the ground truth',
    'input_size': '(H, W) of the network input',
}
# Fields that need the teacher's per-modality features.
TEACHER_MODALITY_FIELDS = ('teacher.features', )


class DistillRecord:
    """The tensors of one training step, computed once and read by name.

    Fields (:data:`RECORD_FIELDS`) that derive from others are computed on
    first read and cached, except the random partners, drawn anew at every
    read so that two losses asking for them draw independently, as the
    released scripts do.

    Args:
        computed: The fields the distiller computed in the step.
        connect: Maps per-stage student features to the teacher's widths.
        data_samples: The batch's samples (for ``labels``).
    """

    def __init__(self, computed: Dict[str, object], connect: Callable,
                 data_samples: SampleList) -> None:
        self._values = dict(computed)
        self._derived = {
            'student.connected': lambda: connect(self['student.features']),
            'student.fused_slot': lambda: connect([f[:, None] for f in self['student.fused']]),
            'teacher.fused_slot': lambda: [f[:, None] for f in self['teacher.fused']],
            'one_slot': lambda: self['kept'].new_ones((self['kept'].shape[0], 1)),
            'labels': lambda: torch.stack([ds.gt_sem_seg.data[0] for ds in data_samples]),
        }

    def __getitem__(self, name: str):
        if name == 'student.connected_random_partners':
            return random_modality_partners(self['student.connected'], self['kept'])
        if name not in self._values:
            if name not in self._derived:
                raise KeyError(f'distillation record has no field {name!r}; fields: '
                               f'{sorted(RECORD_FIELDS)}')
            self._values[name] = self._derived[name]()
        return self._values[name]
