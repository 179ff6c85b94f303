"""Common ground of the multimodal datasets: modality bookkeeping per sample."""
import os.path as osp
from typing import Dict, List, Optional, Sequence, Tuple

from mmseg.datasets import BaseSegDataset

MISSING_POLICIES = ('error', 'missing')


class MultiModalSegDataset(BaseSegDataset):
    """A :class:`BaseSegDataset` whose samples carry several aligned modalities.

    Subclasses implement :meth:`load_data_list` and call
    :meth:`_modality_info` for each sample, which records in the data info:

    - ``modalities``: the configured modality names, in their fixed order;
    - ``modality_paths``: one file path per modality;
    - ``modality_present``: per modality, whether its file exists on disk;
    - ``num_classes``: the class count, against which the label values are
      checked when loaded.

    Args:
        modalities: Modality names, in the order in which they are stacked.
        missing_modality: ``'error'`` raises, naming the file, when a modality
            file is absent; ``'missing'`` records it as a missing modality of
            that sample. A sample must keep at least one modality either way.
        **kwargs: Passed to :class:`mmseg.datasets.BaseSegDataset`.
    """

    #: Modality names this dataset knows how to find on disk.
    AVAILABLE_MODALITIES: Sequence[str] = ()

    def __init__(self,
                 modalities: Sequence[str],
                 missing_modality: str = 'error',
                 **kwargs) -> None:
        modalities = tuple(modalities)
        unknown = [m for m in modalities if m not in self.AVAILABLE_MODALITIES]
        if not modalities or unknown or len(set(modalities)) != len(modalities):
            raise ValueError(f'{type(self).__name__}: modalities={modalities!r} is invalid; '
                             f'choose distinct names among {tuple(self.AVAILABLE_MODALITIES)}')
        if missing_modality not in MISSING_POLICIES:
            raise ValueError(f'missing_modality={missing_modality!r}; '
                             f'expected one of {MISSING_POLICIES}')
        self.modalities = modalities
        self.missing_modality = missing_modality
        super().__init__(**kwargs)
        self._metainfo['modalities'] = modalities

    @classmethod
    def _check_choices(cls, arg: str, names: Optional[Sequence[str]],
                       allowed: Sequence[str]) -> Tuple[str, ...]:
        """Validate a filter argument; None selects every allowed value."""
        if names is None:
            return tuple(allowed)
        names = (names, ) if isinstance(names, str) else tuple(names)
        unknown = [n for n in names if n not in allowed]
        if unknown:
            raise ValueError(f'{cls.__name__}: unknown {arg} {unknown}; expected among '
                             f'{tuple(allowed)}')
        return names

    def _modality_info(self, paths: Dict[str, str]) -> Optional[dict]:
        """Presence of each modality file of one sample.

        Args:
            paths: Modality name to file path, for every configured modality.

        Returns:
            The modality fields of the data info, or None when the sample has
            no modality file at all under the ``'missing'`` policy (skipped).
        """
        present = tuple(osp.isfile(paths[m]) for m in self.modalities)
        if not all(present) and self.missing_modality == 'error':
            absent = [paths[m] for m, ok in zip(self.modalities, present) if not ok]
            raise FileNotFoundError(
                f'{type(self).__name__}: modality file(s) not found: {absent}. '
                "Set missing_modality='missing' to treat them as missing modalities.")
        if not any(present):
            return None
        return dict(
            modalities=self.modalities,
            modality_paths=paths,
            modality_present=present,
            img_path=paths[self.modalities[present.index(True)]],
        )

    def _finalise(self, data_list: List[dict], root: str) -> List[dict]:
        if not data_list:
            raise FileNotFoundError(
                f'{type(self).__name__}: no samples found under {root!r} with the filters '
                f'given; check data_root and the split, condition and case arguments')
        num_classes = len(self._metainfo['classes'])
        for info in data_list:
            info['num_classes'] = num_classes
        return sorted(data_list, key=lambda info: info['seg_map_path'])
