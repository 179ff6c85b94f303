"""mmseg's visualizer, with every input modality shown beside the segmentation."""
from typing import List, Optional

import mmcv
import numpy as np
from mmengine import fileio
from mmseg.registry import VISUALIZERS
from mmseg.structures import SegDataSample
from mmseg.visualization import SegLocalVisualizer

from ..utils import modality_mask


@VISUALIZERS.register_module()
class AnymodalSegLocalVisualizer(SegLocalVisualizer):
    """``SegLocalVisualizer`` that puts the sample's modalities first.

    The drawn image is ``[modality 1 | ... | modality M | ground truth | prediction]``
    (missing modalities are black), written to any backend of mmengine's
    visualizer (local files, TensorBoard, ...) or to ``out_file``, so that
    ``SegVisualizationHook`` shows all inputs during validation and testing.
    The modality files come from the ``modality_paths`` metainfo (add it to
    ``PackAnymodalInputs``' ``meta_keys``); without it, this draws like its parent.

    Args:
        name: Name of the visualizer instance.
        **kwargs: Passed to :class:`mmseg.visualization.SegLocalVisualizer`.
    """

    def __init__(self, name: str = 'visualizer', **kwargs) -> None:
        super().__init__(name=name, **kwargs)
        self._captured: Optional[List[np.ndarray]] = None

    @staticmethod
    def modality_panels(data_sample: Optional[SegDataSample], shape) -> List[np.ndarray]:
        """One ``H x W x 3`` RGB panel per modality of the sample."""
        if data_sample is None or 'modality_paths' not in data_sample:
            return []
        panels = []
        present = modality_mask(data_sample.metainfo, kept=False)
        for modality, ok in zip(data_sample.modalities, present):
            panel = np.zeros((*shape, 3), np.uint8)
            if ok:
                img = mmcv.imfrombytes(fileio.get(data_sample.modality_paths[modality]),
                                       channel_order='rgb')
                panel = mmcv.imresize(img, (shape[1], shape[0]))
            panels.append(panel)
        return panels

    @staticmethod
    def _at_label_size(image: np.ndarray, data_sample: Optional[SegDataSample]) -> np.ndarray:
        """``image`` (read from disk by mmseg's hook) at the size of the drawn maps.

        Samples scored at a resized size (``ResizeOnLoad``, the authors'
        evaluation resize) carry maps of that size, not of the file's.
        """
        for key in ('pred_sem_seg', 'gt_sem_seg'):
            if data_sample is not None and key in data_sample:
                height, width = data_sample.get(key).shape
                if image.shape[:2] != (height, width):
                    return mmcv.imresize(image, (width, height))
                break
        return image

    def add_image(self, name: str, image: np.ndarray, step: int = 0) -> None:
        if self._captured is not None:
            self._captured.append(image)
            return
        super().add_image(name, image, step)

    def add_datasample(self, name: str, image: np.ndarray,
                       data_sample: Optional[SegDataSample] = None, draw_gt: bool = True,
                       draw_pred: bool = True, show: bool = False, wait_time: float = 0,
                       out_file: Optional[str] = None, step: int = 0,
                       with_labels: Optional[bool] = True) -> None:
        image = self._at_label_size(image, data_sample)
        panels = self.modality_panels(data_sample, image.shape[:2])
        if not panels:
            super().add_datasample(name, image, data_sample, draw_gt, draw_pred, show,
                                   wait_time, out_file, step, with_labels)
            return
        self._captured = []
        try:
            super().add_datasample(name, image, data_sample, draw_gt, draw_pred, False, 0,
                                   None, step, with_labels)
            drawn = np.concatenate(panels + self._captured[:1], axis=1)
        finally:
            self._captured = None
        if show:
            self.show(drawn, win_name=name, wait_time=wait_time)
        if out_file is not None:
            mmcv.imwrite(mmcv.rgb2bgr(drawn), out_file)
        else:
            self.add_image(name, drawn, step)
