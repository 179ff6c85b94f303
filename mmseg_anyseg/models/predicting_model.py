"""The one way to build the model that predicts, from a config and a checkpoint.

Every caller that needs a model for inference (the distiller's teacher, the Python API, the
demo, export, the analysis tools) goes through here: which model predicts (a distiller's
student, with the distiller's pre-processor and no anymodal dropout; any other model as is),
without pretrained-weight initialisation (the checkpoint holds the weights), and which keys of
a checkpoint are its weights (a distiller's ``student.`` ones), read by the safe loader.
"""
import copy
from typing import Optional, Tuple, Union

import torch.nn as nn
from mmengine.config import Config, ConfigDict
from mmengine.registry import init_default_scope
from mmengine.runner import load_state_dict
from mmseg.registry import MODELS

from ..checkpoint import load_local_checkpoint
from ..checkpoint.mismatch import mismatch_report, student_weights



def predicting_submodule(model_cfg: dict) -> Optional[str]:
    """The submodule that predicts for a model config's class (``predicting_submodule``), or None."""
    model_type = model_cfg.get('type')
    cls = model_type if isinstance(model_type, type) else MODELS.get(model_type)
    return getattr(cls, 'predicting_submodule', None)


def is_distiller_cfg(model_cfg: dict) -> bool:
    """Whether a model config builds a distiller, which predicts with its student."""
    return predicting_submodule(model_cfg) is not None


def predicting_model_cfg(model_cfg: dict) -> dict:
    """The config of the segmentor that predicts: a distiller's student, else the model.

    Returned as is (not copied), so that callers may update it in place.
    """
    submodule = predicting_submodule(model_cfg)
    return model_cfg[submodule] if submodule else model_cfg


def without_init_weights(model_cfg: dict) -> dict:
    """``model_cfg`` (changed in place) without pretrained-weight initialisation."""
    model_cfg.pop('init_cfg', None)
    if model_cfg.get('backbone') is not None:
        model_cfg['backbone'].pop('init_cfg', None)
    return model_cfg


def inference_model_cfg(model_cfg: dict, init_weights: bool = False) -> ConfigDict:
    """The config of the model that predicts, as a copy.

    For an :class:`AnySegDistiller` config this is the student with the
    distiller's data pre-processor, anymodal dropout removed; any other model
    config is returned as it is.

    Args:
        model_cfg: A config's ``model``.
        init_weights: Keep the ``init_cfg`` entries (pretrained weights) that a
            checkpoint would overwrite anyway.
    """
    model_cfg = copy.deepcopy(model_cfg)
    if is_distiller_cfg(model_cfg):
        student = predicting_model_cfg(model_cfg)
        preprocessor = dict(model_cfg.get('data_preprocessor') or
                            student.get('data_preprocessor'))
        preprocessor.pop('modality_dropout', None)
        student.data_preprocessor = preprocessor
        model_cfg = student
    return model_cfg if init_weights else without_init_weights(model_cfg)


def predicting_state_dict(checkpoint: str) -> Tuple[dict, dict]:
    """Weights of the predicting model in a checkpoint, and the checkpoint's ``meta``.

    A distiller checkpoint's ``student.`` keys become the student's keys.
    Loaded by :func:`load_local_checkpoint` (nothing but tensors and
    mmengine's own types is unpickled).
    """
    ckpt = load_local_checkpoint(checkpoint, map_location='cpu')
    return student_weights(ckpt.get('state_dict', ckpt)), ckpt.get('meta', {}) or {}


def load_predicting_weights(model: nn.Module, checkpoint: str, config: Optional[str],
                            student_inside: bool = True) -> dict:
    """Load a checkpoint into a predicting model (strict), or explain in one message why not.

    Args:
        model: The predicting model (a segmentor, a distiller's student, a teacher).
        checkpoint: Its checkpoint, or with ``student_inside`` a distiller's.
        config: The config the model was built from (named in the message).
        student_inside: Whether a distiller checkpoint's student may be taken.

    Returns:
        The checkpoint's ``meta``.

    Raises:
        ValueError: the checkpoint does not fit; the message names both files, what each
            holds (stage widths, classes, a student inside), the counts of missing,
            unexpected and reshaped keys with examples, and the likely fix.
    """
    if student_inside:
        state, meta = predicting_state_dict(checkpoint)
    else:
        ckpt = load_local_checkpoint(checkpoint, map_location='cpu')
        state, meta = ckpt.get('state_dict', ckpt), ckpt.get('meta', {}) or {}
    report = mismatch_report(model.state_dict(), state, checkpoint, config)
    if report:
        raise ValueError(report)
    load_state_dict(model, state, strict=True)
    return meta


def build_predicting_model(config: Union[str, Config], checkpoint: Optional[str] = None,
                           device: str = 'cpu') -> nn.Module:
    """Build the predicting model of a config in eval mode and load its weights (strict).

    Args:
        config: Config file path or object.
        checkpoint: Checkpoint of the model or of the distiller; None keeps
            the initialisation (random, no pretrained weights).
        device: Device to put the model on.

    Returns:
        The model, with ``cfg`` and ``dataset_meta`` (from the checkpoint) attached.
    """
    cfg = Config.fromfile(config) if isinstance(config, str) else config
    init_default_scope(cfg.get('default_scope', 'mmseg'))
    model = MODELS.build(inference_model_cfg(cfg.model))
    model.dataset_meta = None
    if checkpoint is not None:
        meta = load_predicting_weights(model, checkpoint,
                                       config if isinstance(config, str) else cfg.filename)
        model.dataset_meta = meta.get('dataset_meta')
    model.cfg = cfg
    return model.to(device).eval()
