"""The stacked-modality layout of a sample and its packing into a data sample."""
from typing import Optional, Sequence

from mmseg.datasets.transforms import PackSegInputs
from mmseg.registry import TRANSFORMS

from ...utils import MODALITY_META_KEYS


def modality_channels(results: dict, modality: str) -> slice:
    """Channel slice of ``modality`` in the stacked ``H x W x 3M`` image."""
    index = results['modalities'].index(modality)
    channels = results['img'].shape[2] // len(results['modalities'])
    return slice(index * channels, (index + 1) * channels)


@TRANSFORMS.register_module()
class PackAnymodalInputs(PackSegInputs):
    """mmseg's ``PackSegInputs`` that always carries the modality metainfo.

    ``modalities`` and ``modality_present`` are added to ``meta_keys``
    whatever the config lists, and a sample without them is an error that
    names the missing key: a model that did not know which modalities a
    sample lacks would score a missing file's zero image as a real one.

    Args:
        meta_keys: Further metainfo keys, as for :class:`PackSegInputs`
            (mmseg's defaults when not given).
    """

    def __init__(self, meta_keys: Optional[Sequence[str]] = None) -> None:
        if meta_keys is None:
            super().__init__()
        else:
            super().__init__(meta_keys=meta_keys)
        self.meta_keys = tuple(self.meta_keys) + tuple(k for k in MODALITY_META_KEYS
                                                       if k not in self.meta_keys)

    def transform(self, results: dict) -> dict:
        for key in MODALITY_META_KEYS:
            if key not in results:
                raise KeyError(f'PackAnymodalInputs: sample {results.get("img_path")} has no '
                               f'{key!r}; load it from a multi-modal dataset '
                               '(DELIVERDataset, MUSESDataset or a MultiModalSegDataset)')
        return super().transform(results)
