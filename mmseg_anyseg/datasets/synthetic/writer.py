"""Write a synthetic multi-sensor dataset in DELIVER's exact on-disk layout."""
import json
import os
import os.path as osp
from typing import Dict, List, Optional, Sequence, Tuple

import numpy as np
from mmengine.utils import ProgressBar
from PIL import Image

from ..deliver import DELIVER_CASES, DELIVER_CONDITIONS
from .scene import render_frame

#: Frames per (split, condition): normal frames, then frames per failure case.
DEFAULT_FRAMES = dict(train=(24, 4), val=(8, 2), test=(8, 2))
#: File at the dataset root with the frames per split that were written: the counts
#: ``tools/analysis_tools/check_dataset.py`` expects of this tree instead of the release's.
SPLITS_FILE = 'splits.json'


def plan_frames(frames: Dict[str, Tuple[int, int]]) -> List[Tuple[str, str, str, Optional[str], int]]:
    """Every frame to write as ``(split, condition, sequence, case, index)``."""
    plan = []
    for split, (normal, per_case) in frames.items():
        for c_idx, condition in enumerate(DELIVER_CONDITIONS):
            sequences = [(f'MAP_{c_idx + 1}_point{split[:2]}', None, normal)]
            sequences += [(f'MAP_{c_idx + 1}_point{split[:2]}_{case}', case, per_case)
                          for case in DELIVER_CASES]
            for sequence, case, count in sequences:
                plan += [(split, condition, sequence, case, i) for i in range(count)]
    return plan


def _save(path: str, array: np.ndarray) -> None:
    os.makedirs(osp.dirname(path), exist_ok=True)
    Image.fromarray(array).save(path)


def write_synthetic_deliver(out_dir: str,
                            size: int = 128,
                            seed: int = 0,
                            frames: Optional[Dict[str, Sequence[int]]] = None,
                            progress: bool = True) -> int:
    """Render and write the synthetic DELIVER dataset.

    Deterministic for a seed: frame ``i`` uses its own generator seeded with
    ``(seed, i)``. Labels follow DELIVER's encoding: ``class id + 1`` in the
    first channel of a 3-channel PNG.

    Args:
        out_dir: Dataset root (``img/``, ``depth/``, ``hha/``, ... are created in it).
        size: Image height and width in pixels (a multiple of 4).
        seed: Random seed.
        frames: Per split, ``(normal frames, frames per failure case)`` for
            each weather condition; :data:`DEFAULT_FRAMES` when None.
        progress: Show a progress bar.

    Returns:
        The number of frames written (per split in ``<out_dir>/splits.json``).
    """
    if size % 4:
        raise ValueError(f'size must be a multiple of 4, got {size}')
    plan = plan_frames({k: tuple(v) for k, v in (frames or DEFAULT_FRAMES).items()})
    bar = ProgressBar(len(plan)) if progress else None
    # Real DELIVER ships depth/ and its HHA encoding in hha/ (the folder the authors'
    # loaders read); the synthetic depth image stands in for both.
    folders = dict(rgb=[('img', 'rgb')], depth=[('depth', 'depth'), ('hha', 'depth')],
                   event=[('event', 'event')], lidar=[('lidar', 'lidar')])
    for index, (split, condition, sequence, case, frame_no) in enumerate(plan):
        rng = np.random.default_rng([seed, index])
        sample = render_frame(rng, size, condition, case)
        frame = f'{frame_no:06d}'
        for modality, places in folders.items():
            for folder, token in places:
                _save(osp.join(out_dir, folder, condition, split, sequence,
                               f'{frame}_{token}_front.png'), sample[modality])
        label = sample['label'].astype(np.uint16) + 1
        encoded = np.zeros(label.shape + (3, ), np.uint8)
        encoded[..., 0] = label
        _save(osp.join(out_dir, 'semantic', condition, split, sequence,
                       f'{frame}_semantic_front.png'), encoded)
        if bar is not None:
            bar.update()
    counts = {split: sum(1 for frame in plan if frame[0] == split) for split in frames or
              DEFAULT_FRAMES}
    with open(osp.join(out_dir, SPLITS_FILE), 'w') as f:
        json.dump(dict(counts, source=f'the synthetic DELIVER written with seed {seed}'), f)
    return len(plan)
