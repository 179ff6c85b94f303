"""Python API: load an anymodal model and predict from any subset of files."""
import copy
from typing import Dict, Optional, Sequence, Union

import torch
from mmcv.transforms import Compose
from mmengine.config import Config
from mmseg.structures import SegDataSample

from ..models import build_predicting_model


def init_anymodal_model(config: Union[str, Config],
                        checkpoint: Optional[str] = None,
                        device: str = 'cpu') -> torch.nn.Module:
    """Build the test-time model of a config and load its weights.

    Works for :class:`AnymodalEncoderDecoder` configs and for distiller
    configs, whose student is built alone (no teacher needed): see
    :func:`mmseg_anyseg.models.build_predicting_model`, which this calls.

    Args:
        config: Config file path or object.
        checkpoint: Checkpoint of the segmentor or of the distiller.
        device: Device to put the model on.

    Returns:
        The model in eval mode, with ``cfg`` and ``dataset_meta`` attached.
    """
    return build_predicting_model(config, checkpoint, device)


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
    model.test_cfg = dict(copy.deepcopy(test_cfg or {}), subsets=subsets)
    try:
        with torch.no_grad():
            return model.test_step(batch)[0]
    finally:
        model.test_cfg = test_cfg
