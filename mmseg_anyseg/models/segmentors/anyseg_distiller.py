"""AnySeg: distil a frozen PML teacher into an anymodal student."""
from typing import Dict, List, Optional, Tuple

import torch
import torch.nn as nn
from mmseg.models.segmentors import BaseSegmentor
from mmseg.registry import MODELS
from mmseg.utils import OptSampleList, SampleList
from torch import Tensor

from ...utils import batch_modality_mask
from .distill_teacher import (build_teacher_architecture, load_teacher_weights,
                              teacher_config_error)


def is_distiller_cfg(model_cfg: dict) -> bool:
    """Whether a model config builds an :class:`AnySegDistiller` (or a subclass)."""
    model_type = model_cfg.get('type')
    cls = model_type if isinstance(model_type, type) else MODELS.get(model_type)
    return isinstance(cls, type) and issubclass(cls, AnySegDistiller)


def predicting_model_cfg(model_cfg: dict) -> dict:
    """The config of the segmentor that predicts: a distiller's student, else the model.

    Returned as is (not copied), so that callers may update it in place.
    """
    return model_cfg['student'] if is_distiller_cfg(model_cfg) else model_cfg


@MODELS.register_module()
class AnySegDistiller(BaseSegmentor):
    """Knowledge-distillation segmentor of AnySeg (paper Sec. 3.2-3.3).

    A frozen teacher (an :class:`AnymodalEncoderDecoder` trained with PML)
    sees every present modality of a sample; the student sees the random
    subset kept by the pre-processor's anymodal dropout. The training loss is
    ``L_sup + lambda * L_mad + alpha * L_umd + beta * L_cmd``; the weights are
    the ``loss_weight`` of each distillation loss config.

    Other teachers (paper Table 7): any :class:`AnymodalEncoderDecoder`
    config, e.g. CMNeXt or MAGIC. MAD needs only the teacher's prediction and
    works with all of them. UMD and CMD need per-modality features: a teacher
    whose backbone fuses inside (CMNeXt, CMX) is refused with an error when
    they are configured; such teachers are distilled through their fused
    features (``fused_loss``), as the paper does for its CMNeXt and MAGIC
    rows.

    The teacher is frozen (eval mode, no gradients) and is not a registered
    submodule: it is not in the optimizer, not wrapped by DDP and not saved in
    the student's checkpoints. Prediction uses the student alone; use
    ``tools/model_converters/extract_student.py`` for a checkpoint that
    :class:`AnymodalEncoderDecoder` loads directly.

    The teacher is needed for training only. Its architecture is built from
    its config with the distiller (it sets the connectors' widths and is
    checked against the student); its checkpoint is loaded when the model is
    first put in training mode, which mmengine's train loop does before the
    first iteration. Testing, the demo and inference therefore need neither
    the teacher's checkpoint nor, if the config is missing too, its config
    (the connectors, unused at test time, are then not built).

    Args:
        student: Config of the student :class:`AnymodalEncoderDecoder`.
        teacher: ``dict(config=..., checkpoint=...)``: the teacher's own config
            file and its trained checkpoint.
        mad_loss: Config of :class:`ModalityAgnosticDistillLoss`, or None.
        umd_loss: Config of :class:`UnimodalDistillLoss`, or None.
        cmd_loss: Config of :class:`CrossModalDistillLoss`, or None.
        fused_loss: Config of a :class:`UnimodalDistillLoss` applied to the
            fused features of every stage (the features each model's head
            decodes: the modality mean for PML), added to the other
            terms (the "KD on fused features" study, paper Table 8, weights
            1, 3, 5, 10), or None.
        data_preprocessor: Config of :class:`AnymodalDataPreProcessor`.
        init_cfg: Initialisation config.
    """

    def __init__(self,
                 student: dict,
                 teacher: dict,
                 mad_loss: Optional[dict] = dict(type='ModalityAgnosticDistillLoss'),
                 umd_loss: Optional[dict] = dict(type='UnimodalDistillLoss'),
                 cmd_loss: Optional[dict] = dict(type='CrossModalDistillLoss'),
                 fused_loss: Optional[dict] = None,
                 data_preprocessor: Optional[dict] = None,
                 init_cfg: Optional[dict] = None) -> None:
        super().__init__(data_preprocessor=data_preprocessor, init_cfg=init_cfg)
        self.student = MODELS.build(student)
        self.teacher_config, self.teacher_checkpoint = teacher['config'], teacher['checkpoint']
        self._teacher_error = teacher_config_error(self.teacher_config)
        self._teacher_loaded = False
        # Plain attribute, not a submodule: see the class docstring.
        object.__setattr__(self, 'teacher', None if self._teacher_error else
                           build_teacher_architecture(self.teacher_config))
        self.connectors = nn.ModuleList()
        if self.teacher is not None:
            self._check_compatible(teacher)
            self._check_teacher_features(teacher, umd_loss, cmd_loss)
            self.connectors.extend(
                nn.Identity() if s == t else nn.Conv2d(s, t, kernel_size=1)
                for s, t in zip(self._stage_widths(self.student),
                                self._stage_widths(self.teacher)))
        self.mad_loss = MODELS.build(mad_loss) if mad_loss else None
        self.umd_loss = MODELS.build(umd_loss) if umd_loss else None
        self.cmd_loss = MODELS.build(cmd_loss) if cmd_loss else None
        self.fused_loss = MODELS.build(fused_loss) if fused_loss else None

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

    def _check_teacher_features(self, teacher_cfg: dict, umd_loss: Optional[dict],
                                cmd_loss: Optional[dict]) -> None:
        if self.teacher.backbone.has_modality_features or not (umd_loss or cmd_loss):
            return
        raise ValueError(
            f'AnySegDistiller: the teacher {teacher_cfg["config"]} '
            f'({type(self.teacher.backbone).__name__}) fuses its modalities inside the backbone '
            'and has no per-modality features, which UMD and CMD need; set umd_loss=None and '
            'cmd_loss=None and distil its fused features with fused_loss, as the paper does for '
            'CMNeXt and MAGIC teachers (Table 7; configs/*/ablations/*teacher-*.py)')

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

    def loss(self, inputs: Tensor, data_samples: SampleList) -> Dict[str, Tensor]:
        """Supervised loss of the student plus the three distillation losses."""
        metas = [ds.metainfo for ds in data_samples]
        present = batch_modality_mask(metas, kept=False, device=inputs.device)
        t_modal, t_fused, t_logits = self.teacher_forward(inputs, present)
        student_inputs, kept = self.student.training_view(inputs, metas)
        s_modal, s_fused, s_logits = self._student_features(student_inputs, kept)

        losses = self.student.head_losses(s_logits, s_fused, data_samples)
        if self.mad_loss is not None:
            losses[self.mad_loss.loss_name] = self.mad_loss(s_logits, t_logits,
                                                            inputs.shape[-2:])
        if t_modal is not None:
            losses.update(self.modality_feature_losses(s_modal, t_modal, kept, data_samples))
        if self.fused_loss is not None:
            student = [c(f)[:, None] for c, f in zip(self.connectors, s_fused)]
            teacher = [f[:, None] for f in t_fused]
            losses[self.fused_loss.loss_name] = self.fused_loss(
                student, teacher, kept.new_ones((kept.shape[0], 1)))
        return losses

    def connect(self, student: List[Tensor]) -> List[Tensor]:
        """Per-modality student features mapped to the teacher's widths by the connectors."""
        return [c(f.flatten(0, 1)).unflatten(0, f.shape[:2])
                for c, f in zip(self.connectors, student)]

    def modality_feature_losses(self, student: List[Tensor], teacher: List[Tensor],
                                kept: Tensor, data_samples: SampleList) -> Dict[str, Tensor]:
        """The losses on per-modality features: UMD and CMD here.

        Args:
            student: Per stage, the student's ``[B, M, C_i, h_i, w_i]`` features.
            teacher: Per stage, the teacher's, at the teacher's widths.
            kept: ``[B, M]`` bool, the modalities the student kept.
            data_samples: The batch's samples (labels).
        """
        losses = {}
        if self.umd_loss is not None:
            losses[self.umd_loss.loss_name] = self.umd_loss(self.connect(student), teacher, kept)
        if self.cmd_loss is not None:
            losses[self.cmd_loss.loss_name] = self.cmd_loss(student, teacher, kept)
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
