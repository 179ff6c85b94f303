"""The record of one distillation step: its base tensors and the fields a config declares.

A loss of :class:`AnySegDistiller`'s table reads record fields by name. The
distiller fills the *base* fields (:data:`BASE_FIELDS`) in every step; every
other field is *declared*: a name bound to a field builder registered in
mmseg's ``TASK_UTILS`` (``dict(type='ConnectedFeatures', source=...)``),
computed from other fields on first read, once per step, and only when a loss
reads it. A new tensor for a new loss is therefore a config entry of
``model.record_fields``, as mmrazor's ``ConfigurableDistiller`` makes a new
recorder one; no hooks are needed, since the backbones here already return
what is recorded.
"""
from typing import Callable, Dict, List, Mapping, Optional, Sequence, Tuple

import torch
from mmseg.registry import TASK_UTILS
from torch import Tensor

# The tensors every step computes. Per-modality features are per stage
# ``[B, M, C_i, h_i, w_i]``; fused ones per stage ``[B, C_i, h_i, w_i]``.
BASE_FIELDS = {
    'inputs': '[B, M, C, H, W] pre-processed inputs, every present modality',
    'student.inputs': "[B, M, C, H, W] the student's view of them after anymodal dropout",
    'student.features': "the student's per-modality backbone features on its kept subset",
    'student.fused': "the student's fused features (what its head decodes)",
    'student.logits': "the student's logits [B, K, h, w] at the head's resolution",
    'teacher.features': "the teacher's per-modality features, every present modality "
                        '(None for a teacher that fuses inside its backbone)',
    'teacher.fused': "the teacher's fused features",
    'teacher.logits': "the teacher's logits [B, K, h, w]",
    'kept': '[B, M] bool, the modalities the student kept',
    'present': '[B, M] bool, the modalities each sample has',
    'input_size': '(H, W) of the network input',
    'data_samples': "the batch's SegDataSamples",
}


class RecordField:
    """Computes one record field from other fields of the step.

    Subclasses set ``reads`` (the fields they read, so that the distiller can
    check a table before training) and implement :meth:`__call__`. A field is
    computed once per step and cached, unless ``cached`` is False (a random
    draw that two losses should make independently).
    """
    cached: bool = True
    reads: Tuple[str, ...] = ()
    connector: Optional[str] = None

    def __call__(self, record: 'DistillRecord'):
        raise NotImplementedError


@TASK_UTILS.register_module()
class ConnectedFeatures(RecordField):
    """Per-modality features mapped through one of the distiller's named connectors.

    Args:
        source: A per-modality (``[B, M, C_i, h_i, w_i]`` per stage) field.
        connector: Key of the distiller's ``connectors``.
    """

    def __init__(self, source: str = 'student.features', connector: str = 'to_teacher') -> None:
        self.reads, self.connector = (source, ), connector

    def __call__(self, record: 'DistillRecord') -> List[Tensor]:
        return record.connectors[self.connector](record[self.reads[0]])


@TASK_UTILS.register_module()
class ModalitySlot(RecordField):
    """Fused features as one modality slot, ``[B, 1, C_i, h_i, w_i]`` per stage.

    Lets per-modality losses (UMD) compare fused features; read it with the
    mask of :class:`OneSlotMask`.

    Args:
        source: A fused (``[B, C_i, h_i, w_i]`` per stage) field.
        connector: Optional key of the distiller's ``connectors`` applied after.
    """

    def __init__(self, source: str, connector: Optional[str] = None) -> None:
        self.reads, self.connector = (source, ), connector

    def __call__(self, record: 'DistillRecord') -> List[Tensor]:
        slots = [f[:, None] for f in record[self.reads[0]]]
        return record.connectors[self.connector](slots) if self.connector else slots


@TASK_UTILS.register_module()
class OneSlotMask(RecordField):
    """``[B, 1]`` bool, all True: the mask of :class:`ModalitySlot` fields."""
    reads = ('kept', )

    def __call__(self, record: 'DistillRecord') -> Tensor:
        kept = record['kept']
        return kept.new_ones((kept.shape[0], 1))


@TASK_UTILS.register_module()
class GroundTruthLabels(RecordField):
    """``[B, H, W]`` long, the batch's ground truth."""
    reads = ('data_samples', )

    def __call__(self, record: 'DistillRecord') -> Tensor:
        return torch.stack([ds.gt_sem_seg.data[0] for ds in record['data_samples']])


@TASK_UTILS.register_module()
class RandomKeptPartners(RecordField):
    """A per-modality field re-indexed so that each modality meets a random kept one.

    The ``*_zero_padding_random`` variants of ``RobustSeg/RobustSeg``
    (``mmkd/PCUMD_zero_padding_random.py``, ``mmkd/RUMD_zero_padding_random.py``)
    compare the teacher's modality k with the student's modality
    ``random.sample(range(M), M)[k]``, drawing a new permutation for every sample,
    stage and k: a student modality drawn uniformly and independently (with
    replacement) for each pair. The draw here is among the sample's kept
    modalities (all of them under zero-filled training, as there) and uses
    torch's generator, anew at every read, so that two losses draw
    independently, as the released scripts do.

    Args:
        source: A per-modality field.
        mask: The ``[B, M]`` mask field of the modalities to draw from.
    """
    cached = False

    def __init__(self, source: str = 'student.connected', mask: str = 'kept') -> None:
        self.reads = (source, mask)

    def __call__(self, record: 'DistillRecord') -> List[Tensor]:
        return random_modality_partners(record[self.reads[0]], record[self.reads[1]])


@TASK_UTILS.register_module()
class StageOf(RecordField):
    """One stage of a per-stage field, as a one-stage list.

    Args:
        source: A per-stage field.
        stage: Index of the stage (0 is the highest resolution).
    """

    def __init__(self, source: str, stage: int) -> None:
        self.reads, self.stage = (source, ), stage

    def __call__(self, record: 'DistillRecord') -> List[Tensor]:
        return [record[self.reads[0]][self.stage]]


@TASK_UTILS.register_module()
class TeacherOnSubset(RecordField):
    """The teacher decoded on another subset of its per-modality features.

    With a PML teacher, the fused features of any subset are the mean of its
    per-modality features, so this costs one more fusion and decoder pass,
    no backbone pass. The default is the student's kept subset: what the
    teacher predicts from the sensors the student sees.

    Args:
        mask: The ``[B, M]`` mask field of the subset.
        output: ``'logits'`` (``[B, K, h, w]``) or ``'fused'`` (per stage).
    """

    def __init__(self, mask: str = 'kept', output: str = 'logits') -> None:
        if output not in ('logits', 'fused'):
            raise ValueError(f"TeacherOnSubset: output={output!r}; expected 'logits' or 'fused'")
        self.reads, self.output = ('teacher.features', mask), output

    def __call__(self, record: 'DistillRecord'):
        with torch.no_grad():
            fused, logits = record.teacher.fuse_and_decode(record['teacher.features'],
                                                           record[self.reads[1]])
        return logits if self.output == 'logits' else fused


@TASK_UTILS.register_module()
class StudentOnAllPresent(RecordField):
    """The student's own pass on every present modality (a second, full-set forward).

    Costs one more student forward with autograd, so that its self-distillation
    to the kept subset (or its own supervised loss) trains the student.

    Args:
        output: ``'logits'``, ``'fused'`` or ``'features'`` (per-modality).
    """
    reads = ('inputs', 'present')

    def __init__(self, output: str = 'logits') -> None:
        if output not in ('logits', 'fused', 'features'):
            raise ValueError(f'StudentOnAllPresent: output={output!r}; expected one of '
                             "'logits', 'fused', 'features'")
        self.output = output

    def __call__(self, record: 'DistillRecord'):
        key = ('student.all_present', )
        if key not in record.scratch:  # one forward for every output read in the step
            student = record.student
            per_modality = student.backbone.forward_modalities(record['inputs'],
                                                               record['present'])
            record.scratch[key] = dict(zip(('features', 'fused', 'logits'), (
                per_modality, *student.fuse_and_decode(per_modality, record['present']))))
        return record.scratch[key][self.output]


def random_modality_partners(student: Sequence[Tensor], kept: Tensor) -> List[Tensor]:
    """Per stage, entry ``[b, k]`` is the feature of a random kept modality of sample b.

    Args:
        student: Per stage, ``[B, M, C_i, h_i, w_i]`` features.
        kept: ``[B, M]`` bool, at least one True per sample.
    """
    rows = torch.arange(kept.shape[0], device=kept.device)[:, None]
    return [feat[rows, torch.multinomial(kept.float(), kept.shape[1], replacement=True)]
            for feat in student]


class DistillRecord:
    """The tensors of one training step, read by name.

    Args:
        base: The step's :data:`BASE_FIELDS`.
        fields: The declared fields, name to :class:`RecordField`.
        student: The student segmentor (for fields that run it again).
        teacher: The frozen teacher (for fields that decode it again).
        connectors: The distiller's named connectors.
    """

    def __init__(self, base: Dict[str, object], fields: Mapping[str, RecordField],
                 student: torch.nn.Module, teacher: Optional[torch.nn.Module],
                 connectors: Mapping[str, Callable]) -> None:
        self._values = dict(base)
        self._fields = fields
        self.student, self.teacher, self.connectors = student, teacher, connectors
        self.scratch: Dict[tuple, object] = {}

    def names(self) -> List[str]:
        return sorted(set(self._values) | set(self._fields))

    def __getitem__(self, name: str):
        if name in self._values:
            return self._values[name]
        if name not in self._fields:
            raise KeyError(f'distillation record has no field {name!r}; fields: {self.names()}')
        value = self._fields[name](self)
        if self._fields[name].cached:
            self._values[name] = value
        return value
