"""Loading every modality of a sample, and DELIVER/MUSES labels."""
import io
from typing import Dict, Optional

import mmcv
import numpy as np
from mmcv.transforms import BaseTransform
from mmengine import fileio
from mmseg.datasets.transforms import LoadAnnotations
from mmseg.registry import TRANSFORMS
from PIL import Image

from ..image_bytes import require_whole
from ..muses_projection import RADAR_AZIMUTHS, decode_projection


def _read_bytes(path: str, backend_args: Optional[dict]) -> bytes:
    try:
        return fileio.get(path, backend_args=backend_args)
    except FileNotFoundError as err:
        raise FileNotFoundError(f'file not found: {path}') from err


@TRANSFORMS.register_module()
class LoadMultiModalImages(BaseTransform):
    """Load the modalities of a sample into one ``H x W x 3M`` image.

    Each modality is decoded as a 3-channel image in RGB channel order
    (grayscale files are replicated to 3 channels), or, where the data info
    names a decoder for it (``modality_decoders``: ``'muses_projection:<sensor>'``,
    ``'muses_authors_radar'``; :class:`MUSESDataset`), at full precision as a
    float32 projection (:func:`decode_projection`). The modalities are
    concatenated along channels in the dataset's modality order, so mmseg's
    geometric transforms keep them aligned. A modality that is missing for
    this sample (``modality_present`` False) is filled with zeros.

    Modalities listed in ``resize_to_reference`` may be stored at another
    resolution (DELIVER's ``eventlowres`` case): they are resized to the size
    of the reference modality, the first present modality not in that list,
    with the interpolation given for each. The authors' DELIVER loader does
    this for events (``zhengxuJosh/AnySeg``, ``semseg/datasets/deliver.py``:
    ``TF.resize(eimg, (H, W), NEAREST)`` to the RGB size). Any other size
    mismatch is an error that names the files.

    Required keys: ``modalities``, ``modality_paths``, ``modality_present``.

    Optional keys: ``modality_decoders``.

    Added keys: ``img`` (``H x W x 3M``; uint8, or float32 when a modality is
    a float projection, the 8-bit ones keeping their 0-255 values),
    ``img_shape``, ``ori_shape``.

    Args:
        to_float32: Convert the image to float32.
        resize_to_reference: Modality name to interpolation (``'nearest'``,
            ``'bilinear'``...), for the modalities that may differ in size.
        backend_args: mmengine file backend arguments.
    """

    def __init__(self, to_float32: bool = False,
                 resize_to_reference: Optional[Dict[str, str]] = None,
                 backend_args: Optional[dict] = None) -> None:
        self.to_float32 = to_float32
        self.resize_to_reference = dict(resize_to_reference or {})
        self.backend_args = backend_args

    def load_file(self, path: str, decoder: str = 'color') -> np.ndarray:
        """Decode one modality file (``H x W x 3``); an error names the file and the cause.

        Args:
            path: The file.
            decoder: ``'color'``, ``'muses_projection:<sensor folder>'`` or
                ``'muses_authors_radar'``.
        """
        data = _read_bytes(path, self.backend_args)
        if decoder.startswith('muses_projection:'):
            return decode_projection(data, path, decoder.split(':', 1)[1])
        require_whole(data, path, max_bits=8)
        try:
            img = mmcv.imfrombytes(data, flag='color', channel_order='rgb')
        except Exception as err:
            raise ValueError(f'cannot decode image file (corrupt or not an image): {path}') from err
        if img is None:
            raise ValueError(f'cannot decode image file (corrupt or not an image): {path}')
        if decoder == 'muses_authors_radar' and img.shape[1] == RADAR_AZIMUTHS:
            raise ValueError(f'{path} is a raw MUSES radar scan (range x {RADAR_AZIMUTHS} '
                             'azimuths), not an image-plane radar map: project it with '
                             'tools/dataset_converters/muses.py MUSES_ROOT and use '
                             "MUSESDataset(layout='projected')")
        return img

    def transform(self, results: dict) -> dict:
        modalities = results['modalities']
        present = results['modality_present']
        paths = results['modality_paths']
        decoders = results.get('modality_decoders') or {}
        images = {m: self.load_file(paths[m], decoders.get(m, 'color'))
                  for m, ok in zip(modalities, present) if ok}
        if not images:
            raise ValueError(f'sample {results.get("seg_map_path")} has no modality present')
        images = self._resize_to_reference(images, paths)
        shapes = {m: img.shape[:2] for m, img in images.items()}
        if len(set(shapes.values())) > 1:
            detail = ', '.join(f'{paths[m]}: {s}' for m, s in shapes.items())
            raise ValueError(f'modalities of one sample differ in size: {detail}; list the '
                             'modalities that may be resized in resize_to_reference')
        height, width = next(iter(shapes.values()))
        dtype = np.result_type(*images.values())
        blank = np.zeros((height, width, 3), dtype=dtype)
        img = np.concatenate([images.get(m, blank) for m in modalities], axis=2)
        if self.to_float32:
            img = img.astype(np.float32)
        results['img'] = img
        results['img_shape'] = img.shape[:2]
        results['ori_shape'] = img.shape[:2]
        return results

    def _resize_to_reference(self, images: Dict[str, np.ndarray],
                             paths: Dict[str, str]) -> Dict[str, np.ndarray]:
        fixed = [m for m in images if m not in self.resize_to_reference]
        reference = images[fixed[0] if fixed else next(iter(images))]
        height, width = reference.shape[:2]
        return {
            m: mmcv.imresize(img, (width, height), interpolation=self.resize_to_reference[m])
            if m in self.resize_to_reference and img.shape[:2] != (height, width) else img
            for m, img in images.items()
        }

    def __repr__(self) -> str:
        return (f'{type(self).__name__}(to_float32={self.to_float32}, '
                f'resize_to_reference={self.resize_to_reference})')


@TRANSFORMS.register_module()
class LoadMultiModalAnnotations(LoadAnnotations):
    """Load a semantic label that may be stored in one channel of a colour PNG.

    DELIVER stores ``class id + 1`` in the first (red) channel of a 3-channel
    PNG; MUSES stores train ids in a single-channel PNG. mmseg's
    ``reduce_zero_label`` (set by the dataset) turns DELIVER's encoding into
    class ids with 0 and 255 ignored.

    When the data info has ``num_classes`` (multimodal datasets set it), a
    label value that is neither a class id nor ``ignore_index`` is an error
    naming the file, the value and the class count, instead of an index error
    deep in the loss; so is a label whose size is not the size at which the
    sample's images were loaded (``ori_shape``), and an empty, cut or 16-bit file.

    Args:
        label_channel: Channel (in RGB order) read from multi-channel labels.
        ignore_index: The void label value, allowed besides the class ids.
        **kwargs: Passed to :class:`mmseg.datasets.transforms.LoadAnnotations`.
    """

    def __init__(self, label_channel: int = 0, ignore_index: int = 255, **kwargs) -> None:
        super().__init__(**kwargs)
        self.label_channel = label_channel
        self.ignore_index = ignore_index

    def _load_seg_map(self, results: dict) -> None:
        path = results['seg_map_path']
        data = _read_bytes(path, self.backend_args)
        require_whole(data, path, max_bits=8)
        try:
            label = np.asarray(Image.open(io.BytesIO(data)))
        except Exception as err:
            raise ValueError(f'cannot decode label file (corrupt or not an image): {path}') from err
        if label.ndim == 3:
            label = label[..., self.label_channel]
        label = label.astype(np.uint8)
        if results.get('reduce_zero_label', self.reduce_zero_label):
            label = label.copy()
            label[label == 0] = 255
            label = label - 1
            label[label == 254] = 255
        if results.get('label_map') is not None:
            mapped = label.copy()
            for old_id, new_id in results['label_map'].items():
                mapped[label == old_id] = new_id
            label = mapped
        if results.get('num_classes') is not None:
            self._check_values(label, results, path)
        loaded = results.get('ori_shape')  # the images' size as stored, before any resize
        if loaded is not None and label.shape != tuple(loaded[:2]):
            raise ValueError(f'label file {path} is {label.shape[1]}x{label.shape[0]} where the '
                             f'images of its sample are {loaded[1]}x{loaded[0]}')
        results['gt_seg_map'] = label
        results['seg_fields'].append('gt_seg_map')

    def _check_values(self, label: np.ndarray, results: dict, path: str) -> None:
        num_classes = results['num_classes']
        bad = np.unique(label[(label >= num_classes) & (label != self.ignore_index)])
        if bad.size == 0:
            return
        stored = (f' (stored as {(bad + 1).tolist()}: the file keeps class id + 1)'
                  if results.get('reduce_zero_label', self.reduce_zero_label) else '')
        raise ValueError(
            f'label file {path} holds value(s) {bad.tolist()}{stored}, which are not class ids: '
            f'the dataset has {num_classes} classes (0..{num_classes - 1}) and ignores '
            f'{self.ignore_index}')

    def __repr__(self) -> str:
        return (f'{type(self).__name__}(label_channel={self.label_channel}, '
                f'ignore_index={self.ignore_index})')


@TRANSFORMS.register_module()
class RemapLabel(BaseTransform):
    """Replace label values, e.g. ``mapping={255: 0}``.

    Reproduces loaders that relabel void pixels, such as the authors' MUSES
    loader (``zhengxuJosh/AnySeg``, ``semseg/datasets/muses.py``:
    ``label[label == 255] = 0``, void becomes the first class).

    Required keys: ``gt_seg_map``. Modified keys: ``gt_seg_map``.

    Args:
        mapping: Old value to new value; every old value is read from the
            label as loaded (mappings do not chain).
    """

    def __init__(self, mapping: Dict[int, int]) -> None:
        self.mapping = {int(k): int(v) for k, v in mapping.items()}

    def transform(self, results: dict) -> dict:
        label = results['gt_seg_map']
        out = label.copy()
        for old, new in self.mapping.items():
            out[label == old] = new
        results['gt_seg_map'] = out
        return results

    def __repr__(self) -> str:
        return f'{type(self).__name__}(mapping={self.mapping})'
