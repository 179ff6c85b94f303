"""MUSES (Brodermann et al., ECCV 2024): frame and event cameras, LiDAR, radar."""
import glob
import os.path as osp
from typing import List, Optional, Sequence

from mmseg.datasets import CityscapesDataset
from mmseg.registry import DATASETS

from .multimodal_base import MultiModalSegDataset
from .muses_projection import SENSOR_FOLDERS

MUSES_WEATHERS = ('clear', 'fog', 'rain', 'snow')
MUSES_TIMES = ('day', 'night')
MUSES_LAYOUTS = ('projected', 'authors')
PROJECTION_SUFFIXES = ('.npz', '.png', '.npy')


@DATASETS.register_module()
class MUSESDataset(MultiModalSegDataset):
    """MUSES with event camera, LiDAR and radar in the frame camera's image plane.

    Two layouts (``layout``):

    - ``'projected'`` (default): the frame camera and the labels as MUSES
      ships them, the other sensors as projections written by
      ``tools/dataset_converters/muses.py`` or the MUSES SDK's
      ``scripts/project_sensors_to_rgb.py`` under ``projection_root``, read at
      full precision (``.npz`` floats, or the SDK's 16-bit PNG encoding;
      :mod:`.muses_projection`)::

          data_root/
            frame_camera/{split}/{weather}/{day,night}/{stem}_frame_camera.png
            gt_semantic/.../{stem}_gt_labelTrainIds.png
            projected_to_rgb/event_camera/.../{stem}_event_camera.{npz,png}
            projected_to_rgb/lidar/.../{stem}_lidar.{npz,png}
            projected_to_rgb/radar/.../{stem}_radar.{npz,png}

    - ``'authors'``: 8-bit PNGs beside the frame camera
      (``event_camera/.../{stem}_event_camera.png``, ``lidar/...``,
      ``radar/...``), what AnySeg's loader reads (``zhengxuJosh/AnySeg``,
      ``semseg/datasets/muses.py``: ``base_path.replace('frame_camera',
      modal)``), for the ``*_muses_authors-data.py`` configs. MUSES' own
      ``radar/`` PNGs are raw range-azimuth scans: read as radar here they
      are an error naming the file and the converter.

    Labels are Cityscapes train ids (19 classes); 255 is ignored and stays
    ignored (unlike MUSES' original evaluation code, no class absorbs it).

    Args:
        modalities: Any subset, in any order, of ``'frame'``, ``'event'``,
            ``'lidar'``, ``'radar'``.
        split: ``'train'``, ``'val'`` or ``'test'``.
        weathers: Weather conditions to keep (all when None).
        times: Times of day to keep (``'day'``, ``'night'``; both when None).
        layout: ``'projected'`` or ``'authors'``, see above.
        projection_root: Folder of the projections, relative to ``data_root``
            (or absolute): the converter's ``--out``.
        **kwargs: Passed to :class:`MultiModalSegDataset`.
    """

    AVAILABLE_MODALITIES = ('frame', 'event', 'lidar', 'radar')
    METAINFO = CityscapesDataset.METAINFO

    def __init__(self,
                 modalities: Sequence[str] = ('frame', 'event', 'lidar'),
                 split: str = 'train',
                 weathers: Optional[Sequence[str]] = None,
                 times: Optional[Sequence[str]] = None,
                 layout: str = 'projected',
                 projection_root: str = 'projected_to_rgb',
                 **kwargs) -> None:
        if split not in ('train', 'val', 'test'):
            raise ValueError(f"MUSESDataset: split={split!r}; expected 'train', 'val' or 'test'")
        if layout not in MUSES_LAYOUTS:
            raise ValueError(f'MUSESDataset: layout={layout!r}; expected one of {MUSES_LAYOUTS}')
        self.split = split
        self.weathers = self._check_choices('weathers', weathers, MUSES_WEATHERS)
        self.times = self._check_choices('times', times, MUSES_TIMES)
        self.layout = layout
        self.projection_root = projection_root
        super().__init__(modalities=modalities, **kwargs)

    def _sensor_path(self, modality: str, rel: str, stem: str) -> str:
        """The file of a non-frame modality of one frame in this layout."""
        folder = SENSOR_FOLDERS[modality]
        if self.layout == 'authors':
            return osp.join(self.data_root, folder, rel, f'{stem}_{folder}.png')
        base = osp.join(self.data_root, self.projection_root, folder, rel, f'{stem}_{folder}')
        found = [base + suffix for suffix in PROJECTION_SUFFIXES if osp.isfile(base + suffix)]
        return found[0] if found else base + PROJECTION_SUFFIXES[0]

    def _decoder(self, modality: str) -> str:
        """How :class:`LoadMultiModalImages` decodes the modality's file."""
        if modality == 'frame':
            return 'color'
        if self.layout == 'authors':
            return 'muses_authors_radar' if modality == 'radar' else 'color'
        return f'muses_projection:{SENSOR_FOLDERS[modality]}'

    def load_data_list(self) -> List[dict]:
        data_list = []
        suffix = '_gt_labelTrainIds.png'
        decoders = {m: self._decoder(m) for m in self.modalities}
        for weather in self.weathers:
            for time in self.times:
                rel = osp.join(self.split, weather, time)
                for label_path in glob.glob(
                        osp.join(self.data_root, 'gt_semantic', rel, f'*{suffix}')):
                    stem = osp.basename(label_path)[:-len(suffix)]
                    paths = {
                        m: osp.join(self.data_root, 'frame_camera', rel,
                                    f'{stem}_frame_camera.png') if m == 'frame' else
                        self._sensor_path(m, rel, stem)
                        for m in self.modalities
                    }
                    info = self._modality_info(paths)
                    if info is None:
                        continue
                    info.update(seg_map_path=label_path, label_map=self.label_map,
                                reduce_zero_label=self.reduce_zero_label, seg_fields=[],
                                condition=weather, time=time, modality_decoders=decoders)
                    data_list.append(info)
        return self._finalise(data_list, self.data_root)
