"""DELIVER (Zhang et al., CVPR 2023): RGB, depth, event and LiDAR in CARLA."""
import glob
import os.path as osp
from typing import List, Optional, Sequence

from mmseg.registry import DATASETS

from .multimodal_base import MultiModalSegDataset

DELIVER_CONDITIONS = ('cloud', 'fog', 'night', 'rain', 'sun')
DELIVER_CASES = ('motionblur', 'overexposure', 'underexposure', 'lidarjitter', 'eventlowres')


@DATASETS.register_module()
class DELIVERDataset(MultiModalSegDataset):
    """DELIVER in its released on-disk layout.

    .. code-block:: none

        data_root/
          img/{condition}/{split}/{sequence}/{frame}_rgb_front.png
          hha/.../{frame}_depth_front.png       (or depth/.../{frame}_depth_front.png)
          event/.../{frame}_event_front.png
          lidar/.../{frame}_lidar_front.png
          semantic/.../{frame}_semantic_front.png

    Labels store ``class id + 1`` in their first channel; 0 and 255 are ignored
    (mmseg's ``reduce_zero_label``). Frames are found from the label files, so a
    frame whose camera image is missing is still a sample. A sensor-failure
    case is part of the sequence folder name (as DELIVER's own loader filters
    them), e.g. ``MAP_10_point102_motionblur``.

    Args:
        modalities: Any subset, in any order, of ``'rgb'``, ``'depth'``,
            ``'event'``, ``'lidar'``.
        split: ``'train'``, ``'val'`` or ``'test'``.
        depth_source: Folder the depth modality comes from: ``'hha'``
            (default; HHA-encoded depth, what the authors' and DELIVER's own
            loaders read: ``rgb.replace('/img', '/hha').replace('_rgb',
            '_depth')`` in ``zhengxuJosh/AnySeg`` and ``jamycheung/DELIVER``,
            ``semseg/datasets/deliver.py``) or ``'depth'``.
        conditions: Weather conditions to keep (all five when None).
        cases: Sensor-failure cases to keep; ``'normal'`` selects frames of no
            failure case. All frames when None.
        **kwargs: Passed to :class:`MultiModalSegDataset`.
    """

    AVAILABLE_MODALITIES = ('rgb', 'depth', 'event', 'lidar')
    METAINFO = dict(
        classes=('Building', 'Fence', 'Other', 'Pedestrian', 'Pole', 'RoadLine', 'Road',
                 'SideWalk', 'Vegetation', 'Cars', 'Wall', 'TrafficSign', 'Sky', 'Ground',
                 'Bridge', 'RailTrack', 'GroundRail', 'TrafficLight', 'Static', 'Dynamic',
                 'Water', 'Terrain', 'TwoWheeler', 'Bus', 'Truck'),
        palette=[[70, 70, 70], [100, 40, 40], [55, 90, 80], [220, 20, 60], [153, 153, 153],
                 [157, 234, 50], [128, 64, 128], [244, 35, 232], [107, 142, 35], [0, 0, 142],
                 [102, 102, 156], [220, 220, 0], [70, 130, 180], [81, 0, 81], [150, 100, 100],
                 [230, 150, 140], [180, 165, 180], [250, 170, 30], [110, 190, 160],
                 [170, 120, 50], [45, 60, 150], [145, 170, 100], [0, 0, 230], [0, 60, 100],
                 [0, 0, 70]])

    #: Folder and file-name token of each modality.
    _FOLDERS = dict(rgb=('img', 'rgb'), depth=('depth', 'depth'), event=('event', 'event'),
                    lidar=('lidar', 'lidar'))

    def __init__(self,
                 modalities: Sequence[str] = ('rgb', 'depth', 'event', 'lidar'),
                 split: str = 'train',
                 depth_source: str = 'hha',
                 conditions: Optional[Sequence[str]] = None,
                 cases: Optional[Sequence[str]] = None,
                 reduce_zero_label: bool = True,
                 **kwargs) -> None:
        if split not in ('train', 'val', 'test'):
            raise ValueError(f"DELIVERDataset: split={split!r}; expected 'train', 'val' or 'test'")
        if depth_source not in ('depth', 'hha'):
            raise ValueError(f"DELIVERDataset: depth_source={depth_source!r}; "
                             "expected 'depth' or 'hha'")
        self.split = split
        self.depth_source = depth_source
        self.conditions = self._check_choices('conditions', conditions, DELIVER_CONDITIONS)
        self.cases = self._check_choices('cases', cases, DELIVER_CASES + ('normal', ))
        super().__init__(modalities=modalities, reduce_zero_label=reduce_zero_label, **kwargs)

    @staticmethod
    def case_of(sequence: str) -> str:
        """The sensor-failure case of a sequence folder, or ``'normal'``."""
        return next((c for c in DELIVER_CASES if c in sequence), 'normal')

    def _modality_path(self, modality: str, condition: str, sequence: str, frame: str) -> str:
        folder, token = self._FOLDERS[modality]
        if modality == 'depth':
            folder = self.depth_source
        return osp.join(self.data_root, folder, condition, self.split, sequence,
                        f'{frame}_{token}_front.png')

    def load_data_list(self) -> List[dict]:
        data_list = []
        for condition in self.conditions:
            pattern = osp.join(self.data_root, 'semantic', condition, self.split, '*',
                               '*_semantic_front.png')
            for label_path in glob.glob(pattern):
                sequence = osp.basename(osp.dirname(label_path))
                case = self.case_of(sequence)
                if case not in self.cases:
                    continue
                frame = osp.basename(label_path)[:-len('_semantic_front.png')]
                paths = {m: self._modality_path(m, condition, sequence, frame)
                         for m in self.modalities}
                info = self._modality_info(paths)
                if info is None:
                    continue
                info.update(seg_map_path=label_path, label_map=self.label_map,
                            reduce_zero_label=self.reduce_zero_label, seg_fields=[],
                            condition=condition, case=case, sequence=sequence)
                data_list.append(info)
        return self._finalise(data_list, self.data_root)
