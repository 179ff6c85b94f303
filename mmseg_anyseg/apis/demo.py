"""What the browser demo does, without the browser: frames, sensor toggles, failures, scores.

``tools/demo/anymodal_app.py`` draws these in a page; every function here works on files and
arrays, so that the app stays a thin layer and its logic is tested without a browser.
"""
import inspect
import json
import os.path as osp
import tempfile
from dataclasses import dataclass
from typing import Dict, List, Optional, Sequence

import numpy as np
from mmengine.config import Config
from mmseg.registry import DATASETS
from PIL import Image

from ..datasets.transforms import LoadMultiModalAnnotations
from ..utils import subset_name
from .inference import inference_anymodal

#: How a sensor can fail in the demo: pixel-space versions of the robustness benchmark's
#: corruptions, applied to one modality's image before it is loaded.
SENSOR_FAILURES = ('zero', 'noise', 'missing pixels')


@dataclass
class DemoFrame:
    """One frame of a dataset tree: its modality files and, where it has one, its label."""
    name: str
    files: Dict[str, str]
    label: Optional[str] = None


def list_frames(cfg: Config, data_root: Optional[str] = None, split: str = 'val',
                limit: int = 200) -> List[DemoFrame]:
    """The frames of the config's test dataset (or ``data_root`` in its layout).

    Each name carries the frame's weather condition (or time of day) and failure case.
    """
    dataset = dict(cfg.test_dataloader.dataset, pipeline=[], split=split,
                   missing_modality='missing')
    if data_root is not None:
        dataset['data_root'] = data_root
    built = DATASETS.build(dataset)
    frames = []
    for index in range(min(len(built), limit)):
        info = built.get_data_info(index)
        files = {m: info['modality_paths'][m]
                 for m, ok in zip(info['modalities'], info['modality_present']) if ok}
        tags = [info[k] for k in ('condition', 'case', 'time') if info.get(k)]
        stem = osp.splitext(osp.basename(info['seg_map_path']))[0]
        frames.append(DemoFrame(f'{" / ".join(tags)} / {stem}', files, info['seg_map_path']))
    return frames


def read_label(test_dataset: dict, path: str) -> np.ndarray:
    """A label file as class ids, decoded as the config's test dataset decodes it."""
    parameters = inspect.signature(DATASETS.get(test_dataset['type'])).parameters
    default = parameters['reduce_zero_label'].default if 'reduce_zero_label' in parameters \
        else False
    results = dict(seg_map_path=path, seg_fields=[],
                   reduce_zero_label=test_dataset.get('reduce_zero_label', default))
    return LoadMultiModalAnnotations().transform(results)['gt_seg_map']


def fail_sensor(image: np.ndarray, failure: str, seed: int = 0) -> np.ndarray:
    """One modality's ``H x W x 3`` uint8 image as a failed sensor would give it.

    Args:
        image: The image.
        failure: ``'zero'`` (a dead sensor that still sends frames), ``'noise'`` (Gaussian
            noise of std 50 and 10% salt and pepper) or ``'missing pixels'`` (half the
            pixels zeroed).
        seed: Seed of the random failures.
    """
    rng = np.random.default_rng(seed)
    if failure == 'zero':
        return np.zeros_like(image)
    if failure == 'noise':
        noisy = image.astype(np.float32) + rng.normal(0, 50, image.shape)
        salt = rng.random(image.shape[:2]) < 0.1
        noisy[salt] = rng.choice([0, 255], size=(int(salt.sum()), 1))
        return noisy.clip(0, 255).astype(np.uint8)
    if failure == 'missing pixels':
        return image * (rng.random(image.shape[:2]) >= 0.5)[..., None].astype(np.uint8)
    raise ValueError(f'sensor failure {failure!r}; expected one of {SENSOR_FAILURES}')


def frame_miou(pred: np.ndarray, label: np.ndarray, num_classes: int,
               ignore_index: int = 255) -> float:
    """mIoU of one frame over the classes that its label or prediction contains (%)."""
    valid = label != ignore_index
    ious = []
    for c in range(num_classes):
        p, g = (pred == c) & valid, (label == c) & valid
        union = (p | g).sum()
        if union:
            ious.append((p & g).sum() / union)
    return 100.0 * float(np.mean(ious)) if ious else float('nan')


def dataset_scores(anymodal_json: Optional[str]) -> Dict[str, float]:
    """Subset name to its dataset-level mIoU from an anymodal JSON (empty without one)."""
    if not anymodal_json:
        return {}
    with open(anymodal_json) as f:
        return {name: values['IoU'] for name, values in json.load(f)['subsets'].items()}


def predict_subset(model, files: Dict[str, str], sensors_on: Sequence[str],
                   failed: Optional[str] = None, failure: str = 'zero') -> np.ndarray:
    """The model's prediction from the sensors that are on, one of them possibly failing.

    Args:
        model: A model from :func:`init_anymodal_model`, or any object whose
            ``segment(files)`` maps modality names to image files and returns ``H x W``
            class ids (the app's ONNX model).
        files: Modality name to image file of the frame.
        sensors_on: The modalities whose files the model receives.
        failed: A modality among them whose image is replaced by its failure.
        failure: One of :data:`SENSOR_FAILURES`.

    Returns:
        ``H x W`` uint8 class ids.

    Raises:
        ValueError: no sensor on, or a file that cannot be read (named).
    """
    given = {m: files[m] for m in sensors_on if m in files}
    if not given:
        raise ValueError('every sensor is off: turn at least one on')
    with tempfile.TemporaryDirectory() as tmp:
        if failed in given:
            image = np.asarray(Image.open(given[failed]).convert('RGB'))
            given[failed] = osp.join(tmp, f'{failed}_failed.png')
            Image.fromarray(fail_sensor(image, failure)).save(given[failed])
        if hasattr(model, 'segment'):
            return model.segment(given).astype(np.uint8)
        result = inference_anymodal(model, given)
    return result.pred_sem_seg.data[0].cpu().numpy().astype(np.uint8)


def subset_of(modalities: Sequence[str], sensors_on: Sequence[str]) -> str:
    """The subset's name as the anymodal tables write it (``'RDL'``)."""
    return subset_name([m for m in modalities if m in sensors_on])
