"""Python API: load an anymodal model and predict from any subset of files."""
import copy
from typing import Dict, Optional, Sequence, Union

import torch
from mmcv.transforms import Compose
from mmengine.config import Config
from mmengine.registry import init_default_scope
from mmengine.runner import load_state_dict
from mmengine.runner.checkpoint import _load_checkpoint
from mmseg.registry import MODELS
from mmseg.structures import SegDataSample

from ..models import is_distiller_cfg, predicting_model_cfg

STUDENT_PREFIX = 'student.'


def student_config(cfg: Config) -> Config:
    """The config of the model used at test time.

    For an :class:`AnySegDistiller` config this is the student, with the
    distiller's data pre-processor (anymodal dropout removed); any other
    model config is returned unchanged.
    """
    model = copy.deepcopy(cfg.model)
    if not is_distiller_cfg(model):
        return model
    student = predicting_model_cfg(model)
    preprocessor = dict(model.get('data_preprocessor') or student.get('data_preprocessor'))
    preprocessor.pop('modality_dropout', None)
    student.data_preprocessor = preprocessor
    return student


def load_model_state(checkpoint: str) -> dict:
    """State dict of a segmentor or distiller checkpoint, as the student's keys.

    Raises:
        KeyError: the checkpoint has no ``state_dict``.
    """
    ckpt = _load_checkpoint(checkpoint, map_location='cpu')
    state = ckpt.get('state_dict', ckpt)
    if any(k.startswith(STUDENT_PREFIX) for k in state):
        state = {k[len(STUDENT_PREFIX):]: v for k, v in state.items()
                 if k.startswith(STUDENT_PREFIX)}
    return state


def init_anymodal_model(config: Union[str, Config],
                        checkpoint: Optional[str] = None,
                        device: str = 'cpu') -> torch.nn.Module:
    """Build the test-time model of a config and load its weights.

    Works for :class:`AnymodalEncoderDecoder` configs and for distiller
    configs, whose student is built alone (no teacher needed).

    Args:
        config: Config file path or object.
        checkpoint: Checkpoint of the segmentor or of the distiller.
        device: Device to put the model on.

    Returns:
        The model in eval mode, with ``cfg`` and ``dataset_meta`` attached.
    """
    cfg = Config.fromfile(config) if isinstance(config, str) else config
    init_default_scope(cfg.get('default_scope', 'mmseg'))
    model_cfg = student_config(cfg)
    model_cfg.pop('init_cfg', None)
    model_cfg.backbone.pop('init_cfg', None)
    model = MODELS.build(model_cfg)
    if checkpoint is not None:
        load_state_dict(model, load_model_state(checkpoint), strict=True)
        meta = _load_checkpoint(checkpoint, map_location='cpu').get('meta', {})
        model.dataset_meta = meta.get('dataset_meta')
    model.cfg = cfg
    return model.to(device).eval()


def inference_anymodal(model: torch.nn.Module,
                       files: Dict[str, str],
                       subsets: Union[None, str, Sequence] = None) -> SegDataSample:
    """Predict one frame from the modality files that are available.

    Args:
        model: A model from :func:`init_anymodal_model`.
        files: Modality name to image file, for the modalities available;
            the others are missing modalities.
        subsets: Also predict these modality subsets (``'all'``, a size, or
            a list such as ``['R', 'RD']``); None predicts the given set only.

    Returns:
        The data sample with ``pred_sem_seg`` and, with ``subsets``,
        ``subset_pred_sem_seg`` / ``subset_names`` / ``subset_valid``.

    Raises:
        ValueError: no file given, or a modality the model does not know.
    """
    modalities = tuple(model.data_preprocessor.modalities)
    unknown = sorted(set(files) - set(modalities))
    if unknown or not files:
        raise ValueError(f'files for {unknown or "no modality"}; the model expects some of '
                         f'{modalities}')
    # The evaluation pipeline without labels; an evaluation resize that scores at the resized
    # size (ResizeOnLoad) becomes a plain Resize, so the prediction has the files' size.
    pipeline = [dict(t, type='Resize') if t['type'] == 'ResizeOnLoad' else t
                for t in model.cfg.test_dataloader.dataset.pipeline
                if 'Annotation' not in t['type']]
    present = tuple(m in files for m in modalities)
    info = dict(modalities=modalities, modality_present=present,
                modality_paths={m: files.get(m, '') for m in modalities},
                img_path=next(files[m] for m in modalities if m in files), seg_fields=[])
    data = Compose(pipeline)(info)
    batch = dict(inputs=[data['inputs']], data_samples=[data['data_samples']])
    test_cfg = model.test_cfg
    model.test_cfg = copy.deepcopy(test_cfg)
    model.test_cfg['subsets'] = subsets
    try:
        with torch.no_grad():
            return model.test_step(batch)[0]
    finally:
        model.test_cfg = test_cfg
