"""MUSES (Brodermann et al., ECCV 2024): frame and event cameras, LiDAR, radar."""
import glob
import os.path as osp
from typing import List, Optional, Sequence

from mmseg.datasets import CityscapesDataset
from mmseg.registry import DATASETS

from .multimodal_base import MultiModalSegDataset

MUSES_WEATHERS = ('clear', 'fog', 'rain', 'snow')
MUSES_TIMES = ('day', 'night')


@DATASETS.register_module()
class MUSESDataset(MultiModalSegDataset):
    """MUSES with event camera, LiDAR and radar projected to the image plane.

    .. code-block:: none

        data_root/
          frame_camera/{split}/{weather}/{day,night}/{stem}_frame_camera.png
          event_camera/.../{stem}_event_camera.png
          lidar/.../{stem}_lidar.png
          radar/.../{stem}_radar.png
          gt_semantic/.../{stem}_gt_labelTrainIds.png

    Labels are Cityscapes train ids (19 classes); 255 is ignored and stays
    ignored (unlike MUSES' original evaluation code, no class absorbs it).

    Args:
        modalities: Any subset, in any order, of ``'frame'``, ``'event'``,
            ``'lidar'``, ``'radar'``.
        split: ``'train'``, ``'val'`` or ``'test'``.
        weathers: Weather conditions to keep (all when None).
        times: Times of day to keep (``'day'``, ``'night'``; both when None).
        **kwargs: Passed to :class:`MultiModalSegDataset`.
    """

    AVAILABLE_MODALITIES = ('frame', 'event', 'lidar', 'radar')
    METAINFO = CityscapesDataset.METAINFO

    _FOLDERS = dict(frame=('frame_camera', 'frame_camera'),
                    event=('event_camera', 'event_camera'), lidar=('lidar', 'lidar'),
                    radar=('radar', 'radar'))

    def __init__(self,
                 modalities: Sequence[str] = ('frame', 'event', 'lidar'),
                 split: str = 'train',
                 weathers: Optional[Sequence[str]] = None,
                 times: Optional[Sequence[str]] = None,
                 **kwargs) -> None:
        if split not in ('train', 'val', 'test'):
            raise ValueError(f"MUSESDataset: split={split!r}; expected 'train', 'val' or 'test'")
        self.split = split
        self.weathers = self._check_choices('weathers', weathers, MUSES_WEATHERS)
        self.times = self._check_choices('times', times, MUSES_TIMES)
        super().__init__(modalities=modalities, **kwargs)

    def load_data_list(self) -> List[dict]:
        data_list = []
        suffix = '_gt_labelTrainIds.png'
        for weather in self.weathers:
            for time in self.times:
                rel = osp.join(self.split, weather, time)
                for label_path in glob.glob(
                        osp.join(self.data_root, 'gt_semantic', rel, f'*{suffix}')):
                    stem = osp.basename(label_path)[:-len(suffix)]
                    paths = {
                        m: osp.join(self.data_root, self._FOLDERS[m][0], rel,
                                    f'{stem}_{self._FOLDERS[m][1]}.png')
                        for m in self.modalities
                    }
                    info = self._modality_info(paths)
                    if info is None:
                        continue
                    info.update(seg_map_path=label_path, label_map=self.label_map,
                                reduce_zero_label=self.reduce_zero_label, seg_fields=[],
                                condition=weather, time=time)
                    data_list.append(info)
        return self._finalise(data_list, self.data_root)
