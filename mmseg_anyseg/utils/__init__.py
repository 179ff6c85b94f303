"""Modality names, codes and subsets, and the reader of the modality metainfo."""
from .modalities import (KEPT_KEY, MODALITY_CODES, MODALITY_META_KEYS, PRESENT_KEY, all_subsets,
                         batch_modality_mask, modality_code, modality_mask, modality_names,
                         resolve_subsets, subset_name)

__all__ = [
    'KEPT_KEY', 'MODALITY_CODES', 'MODALITY_META_KEYS', 'PRESENT_KEY', 'all_subsets',
    'batch_modality_mask', 'modality_code', 'modality_mask', 'modality_names', 'resolve_subsets',
    'subset_name'
]
