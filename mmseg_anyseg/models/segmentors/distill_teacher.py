"""The frozen teacher of a distiller: built from its config, loaded from its checkpoint."""
import os.path as osp
from typing import Optional

import torch.nn as nn
from mmengine.config import Config
from mmseg.registry import MODELS

from ..predicting_model import inference_model_cfg, load_predicting_weights


def _describe(path: str) -> str:
    """``path`` as written, and as resolved when that differs."""
    resolved = osp.normpath(osp.abspath(path))
    return repr(path) if resolved == path else f'{path!r} (resolved to {resolved!r})'


def teacher_config_error(config: str) -> Optional[str]:
    """Why ``config`` cannot be the teacher's config, or None."""
    if config and osp.isfile(config):
        return None
    return (f'AnySegDistiller: teacher config not found: {_describe(config)}; set '
            'model.teacher.config to the config file the teacher was trained with')


def build_teacher_architecture(config: str) -> nn.Module:
    """The teacher of ``config`` with random weights, frozen and in eval mode.

    Relative paths are resolved against the working directory; the shipped
    student configs give the teacher config as ``{{fileDirname}}/...``, i.e.
    relative to the student config's own directory, wherever it is used from.

    Raises:
        FileNotFoundError: the config does not exist.
    """
    error = teacher_config_error(config)
    if error:
        raise FileNotFoundError(error)
    teacher = MODELS.build(inference_model_cfg(Config.fromfile(config).model))
    teacher.eval()
    teacher.requires_grad_(False)
    return teacher


def load_teacher_weights(teacher: nn.Module, config: str, checkpoint: str) -> None:
    """Load the teacher's trained checkpoint (strict).

    Raises:
        FileNotFoundError: the checkpoint does not exist.
        ValueError: the checkpoint does not fit the config (keys or shapes); the message
            says what each holds and the likely fix.
    """
    if not checkpoint or not osp.isfile(checkpoint):
        raise FileNotFoundError(f'AnySegDistiller: teacher checkpoint not found: '
                                f'{_describe(checkpoint)}; train the teacher first (configs/pml/) '
                                'or set model.teacher.checkpoint')
    try:
        load_predicting_weights(teacher, checkpoint, config, student_inside=False)
    except ValueError as err:
        raise ValueError(f'AnySegDistiller: teacher {err}') from None
