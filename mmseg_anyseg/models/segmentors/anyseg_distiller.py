"""AnySeg: distil a frozen PML teacher into an anymodal student, with a table of losses."""
import inspect
from typing import Callable, Dict, List, Optional, Tuple

import torch
import torch.nn as nn
from mmseg.models.segmentors import BaseSegmentor
from mmseg.registry import MODELS, TASK_UTILS
from mmseg.utils import OptSampleList, SampleList
from torch import Tensor

from ...utils import batch_modality_mask
from ..missing_modality import dropout_fill
from .distill_record import BASE_FIELDS, DistillRecord, RecordField
from .distill_teacher import (build_teacher_architecture, load_teacher_weights,
                              teacher_config_error)

# The fields every distiller declares; ``record_fields`` adds to them, replaces one or removes
# one (None). The losses of a table read these and BASE_FIELDS.
DEFAULT_RECORD_FIELDS = {
    'student.connected': dict(type='ConnectedFeatures', source='student.features',
                              connector='to_teacher'),
    'student.connected_random_partners': dict(type='RandomKeptPartners',
                                              source='student.connected', mask='kept'),
    'student.fused_slot': dict(type='ModalitySlot', source='student.fused',
                               connector='to_teacher'),
    'teacher.fused_slot': dict(type='ModalitySlot', source='teacher.fused'),
    'one_slot': dict(type='OneSlotMask'),
    'labels': dict(type='GroundTruthLabels'),
}
# The student's stage widths to the teacher's (StageConnectors fills both in).
DEFAULT_CONNECTORS = dict(to_teacher=dict(type='StageConnectors'))
ENTRY_KEYS = ('loss', 'inputs', 'log_name')
# Values the distiller gives to a loss class that lists them in ``distiller_args``.
DISTILLER_ARGS = ('num_classes', 'stage_channels')


@MODELS.register_module()
class AnySegDistiller(BaseSegmentor):
    """Knowledge-distillation segmentor: a frozen teacher, a student and a table of losses.

    A frozen teacher (an :class:`AnymodalEncoderDecoder` trained with PML)
    sees every present modality of a sample; the student sees the random
    subset kept by the pre-processor's anymodal dropout. The training loss is
    the student's segmentation loss plus every entry of ``distill_losses``:
    AnySeg's ``L_sup + lambda L_mad + alpha L_umd + beta L_cmd`` (paper
    Sec. 3.2-3.3; the weights are each loss's ``loss_weight``), the
    fused-feature KD of Tables 7/8 and RobustSeg's HPDM and RRM are all
    tables of this one class (``configs/_base_/models/*_distill_losses.py``).

    The loss table. Each entry is ``name=dict(loss=<loss config>,
    inputs=dict(<argument>=<record field>))`` and is logged as
    ``loss_<name>`` (or the entry's ``log_name``). The loss is built from its
    config and called with the named fields of one :class:`DistillRecord` of
    the training step; the arguments are checked against the loss's
    ``forward`` when the distiller is built, and a ``None`` entry is left out
    (``--cfg-options model.distill_losses.cmd=None``). A loss class that
    lists ``num_classes`` or ``stage_channels`` in its ``distiller_args``
    gets the student's classes and the teacher's stage widths unless its
    config sets them.

    The record. Its base fields (:data:`BASE_FIELDS`: the student's and
    teacher's per-modality and fused features and logits, the inputs, the
    masks, the samples) are computed in every step; further fields are
    declared by ``record_fields`` (:data:`DEFAULT_RECORD_FIELDS` and any the
    config adds: field builders registered in ``TASK_UTILS``, such as
    ``TeacherOnSubset`` or ``StudentOnAllPresent``), computed once per step
    and only when a loss reads them. A new loss reading a new tensor is two
    config entries, no code.

    Connectors are named modules (``connectors.<name>`` in the state dict)
    that fields refer to by name; the default ``to_teacher`` maps the
    student's stage widths to the teacher's.

    Other teachers (paper Table 7): any :class:`AnymodalEncoderDecoder`
    config, e.g. CMNeXt or MAGIC. Entries that read the teacher's
    per-modality features (``teacher.features``, directly or through a
    declared field: UMD, CMD, HPDM, RRM) need a teacher whose backbone has
    them; one that fuses inside (CMNeXt, CMX) is refused with an error naming
    those entries, and is distilled through its fused features
    (``*.fused_slot`` fields), as the paper does for its CMNeXt and MAGIC rows.

    The teacher is frozen (eval mode, no gradients) and is not a registered
    submodule: it is not in the optimizer, not wrapped by DDP and not saved in
    the student's checkpoints. Prediction uses the student alone; use
    ``tools/model_converters/extract_student.py`` for a checkpoint that
    :class:`AnymodalEncoderDecoder` loads directly.

    Starting the student from other weights. The state dict of a segmentor (keys
    ``backbone.*``, ``decode_head.*``: the teacher's checkpoint, when the student has
    its architecture and starts from it) given to the distiller, by ``load_from`` or
    ``load_checkpoint``, initialises the student: a state dict with no ``student.*`` key
    is read as the student's. A distiller's own checkpoint loads as saved.

    A step runs the teacher only when an entry of the table reads one of its
    fields (``teacher_in_step``): a table of self-distillation or a full-set
    path alone costs no teacher pass.

    The teacher is needed for training only. Its architecture is built from
    its config with the distiller (it sets the connectors' widths, is checked
    against the student and builds the losses); its checkpoint is loaded
    when the model is first put in training mode, which mmengine's train
    loop does before the first iteration. Testing, the demo and inference
    therefore need neither the teacher's checkpoint nor, if the config is
    missing too, its config (the connectors and losses, unused at test time,
    are then not built).

    Attributes:
        predicting_submodule: ``'student'``, the submodule that predicts:
            :func:`mmseg_anyseg.models.build_predicting_model` builds it alone.

    Args:
        student: Config of the student :class:`AnymodalEncoderDecoder`.
        teacher: ``dict(config=..., checkpoint=...)``: the teacher's own config
            file and its trained checkpoint.
        distill_losses: The loss table, see above
            (``configs/_base_/models/*_distill_losses.py``).
        record_fields: Declared record fields over
            :data:`DEFAULT_RECORD_FIELDS` (name to field config, or None to
            remove one).
        connectors: Named connectors over :data:`DEFAULT_CONNECTORS` (name to
            module config, or None to remove one).
        data_preprocessor: Config of :class:`AnymodalDataPreProcessor`.
        init_cfg: Initialisation config.
    """

    predicting_submodule = 'student'

    def __init__(self,
                 student: dict,
                 teacher: dict,
                 distill_losses: Dict[str, Optional[dict]],
                 record_fields: Optional[Dict[str, Optional[dict]]] = None,
                 connectors: Optional[Dict[str, Optional[dict]]] = None,
                 data_preprocessor: Optional[dict] = None,
                 init_cfg: Optional[dict] = None) -> None:
        super().__init__(data_preprocessor=data_preprocessor, init_cfg=init_cfg)
        self.student = MODELS.build(student)
        self.teacher_config, self.teacher_checkpoint = teacher['config'], teacher['checkpoint']
        self._teacher_error = teacher_config_error(self.teacher_config)
        self._teacher_loaded = False
        self._register_load_state_dict_pre_hook(self._segmentor_weights_to_student)
        # A plain attribute, not a submodule, so that the teacher stays out of the optimizer,
        # DDP's gradient buckets and the saved state dict without filtering each of them;
        # _apply below moves it with the distiller.
        object.__setattr__(self, 'teacher', None if self._teacher_error else
                           build_teacher_architecture(self.teacher_config))
        self.record_fields: Dict[str, RecordField] = {
            name: TASK_UTILS.build(cfg)
            for name, cfg in _merged(DEFAULT_RECORD_FIELDS, record_fields).items()}
        self.connectors = nn.ModuleDict()
        self.distill_losses = nn.ModuleDict()
        self._loss_inputs: Dict[str, Dict[str, str]] = {}
        self._log_names: Dict[str, str] = {}
        table = self._check_table(distill_losses)
        # A table without a teacher term (self-distillation, a full-set path) runs no teacher.
        self.teacher_in_step = any(self._reads(f, lambda base: base.startswith('teacher.'))
                                   for entry in table.values() for f in entry['inputs'].values())
        if self.teacher is None:  # testing without the teacher's files: no training terms
            return
        self._check_compatible(teacher)
        self._check_teacher_features(teacher, table)
        widths = dict(in_channels=self._stage_widths(self.student),
                      out_channels=self._stage_widths(self.teacher))
        for name, cfg in _merged(DEFAULT_CONNECTORS, connectors).items():
            self.connectors[name] = MODELS.build({**widths, **cfg})
        self._check_connectors()
        logged = {}
        for name, entry in table.items():
            log_name = entry.get('log_name', f'loss_{name}')
            if log_name in logged:
                raise ValueError(f'AnySegDistiller: distill_losses {logged[log_name]!r} and '
                                 f'{name!r} both log {log_name!r}; give one a log_name')
            logged[log_name] = name
            loss = MODELS.build(self._with_distiller_args(entry['loss']))
            self._check_forward(name, loss, entry['inputs'])
            self.distill_losses[name] = loss
            self._loss_inputs[name] = dict(entry['inputs'])
            self._log_names[name] = log_name

    def _check_table(self, table: Dict[str, Optional[dict]]) -> Dict[str, dict]:
        """The entries that are not None, each with a loss config and known record fields."""
        known = set(BASE_FIELDS) | set(self.record_fields)
        checked = {}
        for name, entry in table.items():
            if entry is None:
                continue
            unknown_keys = sorted(set(entry) - set(ENTRY_KEYS))
            if unknown_keys or 'loss' not in entry or 'inputs' not in entry:
                raise ValueError(f'AnySegDistiller: distill_losses.{name} must be '
                                 f'dict(loss=..., inputs=dict(argument=field)[, log_name=...]); '
                                 f'got keys {sorted(entry)}')
            if 'loss_name' in entry['loss']:
                raise ValueError(f'AnySegDistiller: distill_losses.{name}.loss sets loss_name; '
                                 f'the entry is logged as loss_{name} (or its log_name)')
            unknown = {arg: field for arg, field in entry['inputs'].items()
                       if field not in known}
            if unknown:
                raise ValueError(f'AnySegDistiller: distill_losses.{name}.inputs reads unknown '
                                 f'fields {unknown}; the record has {sorted(known)} '
                                 '(declare more with record_fields)')
            checked[name] = entry
        for name, field in self.record_fields.items():
            missing = [read for read in field.reads if read not in known]
            if missing:
                raise ValueError(f'AnySegDistiller: record_fields.{name} '
                                 f'({type(field).__name__}) reads unknown fields {missing}')
        return checked

    @staticmethod
    def _check_forward(name: str, loss: nn.Module, inputs: Dict[str, str]) -> None:
        """The entry's arguments against the loss's ``forward`` signature."""
        params = inspect.signature(loss.forward).parameters
        if any(p.kind is p.VAR_KEYWORD for p in params.values()):
            return
        named = {n for n, p in params.items() if p.kind in (p.POSITIONAL_OR_KEYWORD,
                                                             p.KEYWORD_ONLY)}
        required = {n for n in named if params[n].default is inspect.Parameter.empty}
        unknown, missing = sorted(set(inputs) - named), sorted(required - set(inputs))
        if unknown or missing:
            raise ValueError(
                f'AnySegDistiller: distill_losses.{name}.inputs do not fit '
                f'{type(loss).__name__}.forward{inspect.signature(loss.forward)}: '
                + '; '.join(filter(None, (unknown and f'unknown arguments {unknown}',
                                          missing and f'missing arguments {missing}'))))

    def _check_connectors(self) -> None:
        for name, field in self.record_fields.items():
            if field.connector is not None and field.connector not in self.connectors:
                raise ValueError(f'AnySegDistiller: record_fields.{name} uses connector '
                                 f'{field.connector!r}; connectors: {sorted(self.connectors)}')

    def _with_distiller_args(self, loss_cfg: dict) -> dict:
        """The student's classes and the teacher's widths for a loss that lists them."""
        loss_cfg = dict(loss_cfg)
        loss_type = loss_cfg['type']
        cls = loss_type if isinstance(loss_type, type) else MODELS.get(loss_type)
        values = dict(num_classes=self.student.num_classes,
                      stage_channels=self._stage_widths(self.teacher))
        for key in getattr(cls, 'distiller_args', ()):
            if key not in DISTILLER_ARGS:
                raise ValueError(f'{cls.__name__}.distiller_args lists {key!r}; the distiller '
                                 f'gives {DISTILLER_ARGS}')
            loss_cfg.setdefault(key, values[key])
        return loss_cfg

    @staticmethod
    def _stage_widths(model: nn.Module) -> List[int]:
        """Widths of the backbone stages, as the decode head receives them."""
        widths = model.decode_head.in_channels
        return list(widths) if isinstance(widths, (list, tuple)) else [widths]

    def _check_compatible(self, teacher_cfg: dict) -> None:
        problems = []
        s_bb, t_bb = self.student.backbone, self.teacher.backbone
        if s_bb.num_modalities != t_bb.num_modalities:
            problems.append(f'num_modalities: student {s_bb.num_modalities}, '
                            f'teacher {t_bb.num_modalities}')
        s_stages, t_stages = self._stage_widths(self.student), self._stage_widths(self.teacher)
        if len(s_stages) != len(t_stages):
            problems.append(f'stages: student {len(s_stages)}, teacher {len(t_stages)}')
        s_cls, t_cls = self.student.num_classes, self.teacher.num_classes
        if s_cls != t_cls:
            problems.append(f'num_classes: student {s_cls}, teacher {t_cls}')
        mine, theirs = self.data_preprocessor, self.teacher.data_preprocessor
        if getattr(mine, 'modalities', None) != getattr(theirs, 'modalities', None):
            problems.append(f'modalities: student {getattr(mine, "modalities", None)}, '
                            f'teacher {getattr(theirs, "modalities", None)}')
        elif not (torch.equal(mine.mean, theirs.mean) and torch.equal(mine.std, theirs.std)):
            problems.append('per-modality mean/std of the data pre-processors differ')
        if problems:
            raise ValueError(f'AnySegDistiller: teacher {teacher_cfg["config"]} does not fit the '
                             'student: ' + '; '.join(problems))

    def _reads(self, field: str, wanted: Callable[[str], bool]) -> bool:
        """Whether ``field``, or a declared field it reads (recursively), is one of ``wanted``.

        Args:
            field: A record field's name.
            wanted: A predicate on base field names.
        """
        if wanted(field):
            return True
        declared = self.record_fields.get(field)
        return declared is not None and any(self._reads(f, wanted) for f in declared.reads)

    def _check_teacher_features(self, teacher_cfg: dict, table: Dict[str, dict]) -> None:
        if self.teacher.backbone.has_modality_features:
            return
        needing = [name for name, entry in table.items()
                   if any(self._reads(f, lambda base: base == 'teacher.features')
                          for f in entry['inputs'].values())]
        if not needing:
            return
        raise ValueError(
            f'AnySegDistiller: the teacher {teacher_cfg["config"]} '
            f'({type(self.teacher.backbone).__name__}) fuses its modalities inside the backbone '
            f'and has no per-modality features, which distill_losses {needing} read '
            f'(teacher.features); set them to None and distil its fused features '
            '(student.fused_slot, teacher.fused_slot), as the paper does for CMNeXt and MAGIC '
            'teachers (Table 7; configs/*/ablations/*teacher-*.py)')

    # ------------------------------------------------------------ plumbing
    def load_teacher(self) -> nn.Module:
        """The frozen teacher with its trained weights (loaded once).

        Raises:
            FileNotFoundError: the teacher's config or checkpoint is missing.
            RuntimeError: the checkpoint does not fit the teacher's config.
        """
        if self._teacher_error:
            raise FileNotFoundError(self._teacher_error)
        if not self._teacher_loaded:
            load_teacher_weights(self.teacher, self.teacher_config, self.teacher_checkpoint)
            self._teacher_loaded = True
        return self.teacher

    def _segmentor_weights_to_student(self, state_dict: Dict[str, Tensor], prefix: str,
                                      *args) -> None:
        """Read a segmentor's state dict (no ``student.*`` key) as the student's."""
        keys = [k for k in state_dict if k.startswith(prefix)]
        if keys and not any(k.startswith(f'{prefix}student.') for k in keys):
            for key in keys:
                state_dict[f'{prefix}student.{key[len(prefix):]}'] = state_dict.pop(key)

    def _apply(self, fn, *args, **kwargs):
        super()._apply(fn, *args, **kwargs)
        if self.teacher is not None:
            self.teacher._apply(fn, *args, **kwargs)
        return self

    def train(self, mode: bool = True) -> 'AnySegDistiller':
        """Also loads the teacher's weights when training starts."""
        if mode:
            self.load_teacher()
        super().train(mode)
        if self.teacher is not None:
            self.teacher.train(False)
        return self

    # ------------------------------------------------------------ training
    @torch.no_grad()
    def teacher_forward(self, inputs: Tensor,
                        present: Tensor) -> Tuple[Optional[List[Tensor]], List[Tensor], Tensor]:
        """The frozen teacher on every present modality, without autograd.

        For a teacher with per-modality features (PML, MAGIC), one backbone
        pass gives the per-modality features that UMD and CMD use, and the
        fused features and logits follow from them. A fixed-branch teacher
        (CMNeXt, CMX) gives fused features and logits only.

        Args:
            inputs: ``[B, M, C, H, W]`` pre-processed inputs.
            present: ``[B, M]`` bool, the modalities each sample has.

        Returns:
            Per stage ``[B, M, C_i, h_i, w_i]`` features (None without them),
            per stage the fused ``[B, C_i, h_i, w_i]`` features the teacher's
            head decodes, and ``[B, K, h, w]`` logits at the head's resolution.
        """
        teacher = self.load_teacher()
        if not teacher.backbone.has_modality_features:
            fused = teacher.extract_feat(inputs, present)
            return None, fused, teacher.decode_head.forward(fused)
        per_modality = teacher.backbone.forward_modalities(inputs, present)
        return (per_modality, *teacher.fuse_and_decode(per_modality, present))

    def _student_features(self, inputs: Tensor, mask: Tensor):
        """Per-modality features, fused features and logits of the student."""
        per_modality = self.student.backbone.forward_modalities(inputs, mask)
        return (per_modality, *self.student.fuse_and_decode(per_modality, mask))

    def record(self, inputs: Tensor, data_samples: SampleList) -> DistillRecord:
        """One training step's teacher and student passes, as a :class:`DistillRecord`.

        Args:
            inputs: ``[B, M, C, H, W]`` pre-processed inputs (training mode:
                the samples carry the kept modalities of anymodal dropout).
            data_samples: Their samples.
        """
        metas = [ds.metainfo for ds in data_samples]
        present = batch_modality_mask(metas, kept=False, device=inputs.device)
        t_modal, t_fused, t_logits = (self.teacher_forward(inputs, present)
                                      if self.teacher_in_step else (None, None, None))
        student_inputs, kept = self.student.training_view(inputs, metas,
                                                          dropout_fill(self.data_preprocessor))
        s_modal, s_fused, s_logits = self._student_features(student_inputs, kept)
        return DistillRecord({
            'inputs': inputs, 'student.inputs': student_inputs, 'data_samples': data_samples,
            'student.features': s_modal, 'student.fused': s_fused, 'student.logits': s_logits,
            'teacher.features': t_modal, 'teacher.fused': t_fused, 'teacher.logits': t_logits,
            'kept': kept, 'present': present, 'input_size': tuple(inputs.shape[-2:])},
            self.record_fields, self.student, self.teacher, self.connectors)

    def loss(self, inputs: Tensor, data_samples: SampleList) -> Dict[str, Tensor]:
        """Supervised loss of the student plus every entry of the loss table."""
        record = self.record(inputs, data_samples)
        return self.losses_of(record, data_samples)

    def losses_of(self, record: DistillRecord, data_samples: SampleList) -> Dict[str, Tensor]:
        """The student's segmentation loss and each table entry's, from one record."""
        losses = self.student.head_losses(record['student.logits'], record['student.fused'],
                                          data_samples)
        for name, loss in self.distill_losses.items():
            arguments = {arg: record[field] for arg, field in self._loss_inputs[name].items()}
            losses[self._log_names[name]] = loss(**arguments)
        return losses

    # ----------------------------------------------------------- inference
    def extract_feat(self, inputs: Tensor, modality_mask: Optional[Tensor] = None) -> List[Tensor]:
        return self.student.extract_feat(inputs, modality_mask)

    def encode_decode(self, inputs: Tensor, batch_img_metas: List[dict]) -> Tensor:
        return self.student.encode_decode(inputs, batch_img_metas)

    def predict(self, inputs: Tensor, data_samples: OptSampleList = None) -> SampleList:
        return self.student.predict(inputs, data_samples)

    def _forward(self, inputs: Tensor, data_samples: OptSampleList = None) -> Tensor:
        return self.student._forward(inputs, data_samples)


def _merged(defaults: Dict[str, dict], changes: Optional[Dict[str, Optional[dict]]]) -> Dict[str, dict]:
    """``defaults`` updated by ``changes``; a None value removes the name."""
    merged = {**defaults, **(changes or {})}
    return {name: dict(cfg) for name, cfg in merged.items() if cfg is not None}
