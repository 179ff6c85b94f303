"""Modality names, their one-letter codes, subsets, and the modality metainfo of samples."""
from itertools import combinations
from typing import Dict, List, Mapping, Sequence, Tuple, Union

import torch

ModalitySubset = Tuple[str, ...]

#: Metainfo keys of every multi-modal sample: the dataset writes them and
#: ``PackAnymodalInputs`` always carries them into the data sample.
MODALITY_META_KEYS = ('modalities', 'modality_present')
#: Per modality, whether its file exists (from the dataset).
PRESENT_KEY = 'modality_present'
#: Per modality, whether the model may use it (from ``AnymodalDataPreProcessor``).
KEPT_KEY = 'modality_mask'
_WRITERS = {
    'modalities': 'pack samples with PackAnymodalInputs, which carries the dataset\'s '
    'modality keys',
    PRESENT_KEY: 'pack samples with PackAnymodalInputs, which carries the dataset\'s '
    'modality keys',
    KEPT_KEY: 'it is written by AnymodalDataPreProcessor: use it as the data_preprocessor',
}


def _require(metainfo: Mapping, key: str):
    if key not in metainfo:
        raise KeyError(f'sample {metainfo.get("img_path", "(no img_path)")} has no {key!r} '
                       f'metainfo; {_WRITERS[key]}')
    return metainfo[key]


def modality_names(batch_img_metas: Sequence[Mapping]) -> Tuple[str, ...]:
    """The modality names of a batch, from its first sample's ``modalities``.

    Raises:
        KeyError: the sample has no ``modalities`` metainfo (the message says why).
    """
    return tuple(_require(batch_img_metas[0], 'modalities'))


def modality_mask(metainfo: Mapping, kept: bool = True) -> Tuple[bool, ...]:
    """Per modality, whether a sample has it (``kept=False``) or may use it (``kept=True``).

    Raises:
        KeyError: the sample lacks the key; the message names it and its writer.
    """
    return tuple(bool(v) for v in _require(metainfo, KEPT_KEY if kept else PRESENT_KEY))


def batch_modality_mask(batch_img_metas: Sequence[Mapping], kept: bool = True,
                        device=None) -> torch.Tensor:
    """``[B, M]`` bool :func:`modality_mask` of every sample of a batch."""
    return torch.tensor([modality_mask(meta, kept) for meta in batch_img_metas],
                        dtype=torch.bool, device=device)

#: One-letter codes used in the paper's tables (R: RGB, D: depth, E: event,
#: L: LiDAR on DELIVER; F: frame camera on MUSES).
MODALITY_CODES: Dict[str, str] = {
    'rgb': 'R',
    'depth': 'D',
    'hha': 'D',
    'event': 'E',
    'lidar': 'L',
    'frame': 'F',
    'radar': 'A',
}


def modality_code(modality: str) -> str:
    """The table code of ``modality`` (its first letter, capitalised, if unknown)."""
    return MODALITY_CODES.get(modality, modality[:1].upper())


def subset_name(subset: Sequence[str]) -> str:
    """Table column name of a subset, e.g. ``('rgb', 'lidar') -> 'RL'``."""
    return ''.join(modality_code(m) for m in subset)


def all_subsets(modalities: Sequence[str],
                sizes: Union[None, int, Sequence[int]] = None) -> List[ModalitySubset]:
    """Every non-empty subset of ``modalities`` in the paper's column order.

    Subsets are ordered by size, then by the order of ``modalities``: for
    ``('rgb', 'depth', 'event', 'lidar')`` this is R, D, E, L, RD, RE, RL, DE,
    DL, EL, RDE, RDL, REL, DEL, RDEL.

    Args:
        modalities: Modality names in their fixed order.
        sizes: Keep only subsets of these sizes (all sizes when None).

    Returns:
        The subsets as tuples of modality names.
    """
    if isinstance(sizes, int):
        sizes = (sizes, )
    sizes = range(1, len(modalities) + 1) if sizes is None else sizes
    return [c for k in sorted(set(sizes)) for c in combinations(modalities, k)]


def resolve_subsets(modalities: Sequence[str],
                    subsets: Union[str, int, Sequence] = 'all') -> List[ModalitySubset]:
    """Turn a subset specification from a config into a list of subsets.

    Args:
        modalities: Modality names in their fixed order.
        subsets: ``'all'``; an int or ``dict(sizes=...)`` to keep subsets of
            given sizes; or an explicit list whose items are tuples of
            modality names or table codes such as ``'RD'``.

    Returns:
        Subsets as tuples of modality names in the order of ``modalities``.

    Raises:
        ValueError: a subset names a modality that is not in ``modalities``.
    """
    if subsets == 'all' or subsets is None:
        return all_subsets(modalities)
    if isinstance(subsets, int):
        return all_subsets(modalities, subsets)
    if isinstance(subsets, dict):
        return all_subsets(modalities, subsets['sizes'])
    by_code = {subset_name(s): s for s in all_subsets(modalities)}
    resolved = []
    for item in subsets:
        if isinstance(item, str) and item in by_code:
            resolved.append(by_code[item])
            continue
        names = (item, ) if isinstance(item, str) else tuple(item)
        unknown = [m for m in names if m not in modalities]
        if unknown or not names:
            raise ValueError(f'modality subset {item!r} names {unknown or "nothing"}, '
                             f'which is not among the modalities {tuple(modalities)} '
                             f'(codes: {sorted(by_code)[:len(modalities)]})')
        resolved.append(tuple(m for m in modalities if m in names))
    return resolved
