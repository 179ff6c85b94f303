"""Qualitative figure: the inputs of a frame and the prediction of every subset."""
import math
from typing import Dict, Optional, Sequence

import matplotlib

matplotlib.use('Agg')
import matplotlib.pyplot as plt  # noqa: E402
import mmcv  # noqa: E402
import numpy as np  # noqa: E402
from mmseg.structures import SegDataSample  # noqa: E402

from ..utils import modality_code  # noqa: E402


def colourise(label: np.ndarray, palette: Sequence[Sequence[int]]) -> np.ndarray:
    """``[H, W]`` class ids to an RGB image; ignored pixels (255) are black."""
    table = np.zeros((256, 3), np.uint8)
    table[:len(palette)] = np.asarray(palette, np.uint8)
    return table[label]


def anymodal_figure(files: Dict[str, str], modalities: Sequence[str], result: SegDataSample,
                    palette: Sequence[Sequence[int]], out_file: str,
                    label: Optional[np.ndarray] = None, columns: int = 5) -> None:
    """Inputs on the top row, then one panel per predicted subset (Figs. 3, 5).

    Args:
        files: Modality name to image file, for the modalities given.
        modalities: All modalities of the model, in order.
        result: Output of :func:`mmseg_anyseg.apis.inference_anymodal`.
        palette: Class colours.
        out_file: PNG to write.
        label: Optional ground truth ``[H, W]`` shown after the inputs.
        columns: Panels per row.
    """
    if 'subset_pred_sem_seg' in result:
        preds = result.subset_pred_sem_seg.data.cpu().numpy()
        titles = list(result.subset_names)
        valid = list(result.subset_valid)
    else:
        preds = result.pred_sem_seg.data.cpu().numpy()
        titles, valid = ['prediction'], [True]
    top = [(modality_code(m) + f' ({m})', mmcv.imread(files[m], channel_order='rgb')
            if m in files else None) for m in modalities]
    if label is not None:
        top.append(('ground truth', colourise(label, palette)))
    columns = max(columns, len(top))
    rows = 1 + math.ceil(len(preds) / columns)
    fig, axes = plt.subplots(rows, columns, figsize=(2.2 * columns, 2.2 * rows), squeeze=False)
    for ax in axes.flat:
        ax.axis('off')
    for ax, (title, img) in zip(axes[0], top):
        ax.set_title(title if img is not None else f'{title}: missing', fontsize=8)
        if img is not None:
            ax.imshow(img)
    for i, (pred, title, ok) in enumerate(zip(preds, titles, valid)):
        ax = axes[1 + i // columns, i % columns]
        ax.set_title(title if ok else f'{title} (no input)', fontsize=8)
        if ok:
            ax.imshow(colourise(pred.astype(np.uint8), palette))
    fig.tight_layout()
    fig.savefig(out_file, dpi=110)
    plt.close(fig)
