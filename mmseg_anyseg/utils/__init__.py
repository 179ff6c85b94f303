"""Modality names, codes and subsets, and the reader of the modality metainfo."""
from .modalities import (DROPOUT_FILL_KEY, KEPT_KEY, MODALITY_CODES, MODALITY_META_KEYS, PRESENT_KEY, all_subsets,
                         batch_modality_mask, modality_code, modality_mask, modality_names,
                         resolve_subsets, subset_name)

__all__ = [
    'DROPOUT_FILL_KEY', 'KEPT_KEY', 'MODALITY_CODES', 'MODALITY_META_KEYS', 'PRESENT_KEY', 'all_subsets',
    'batch_modality_mask', 'modality_code', 'modality_mask', 'modality_names', 'resolve_subsets',
    'subset_name'
]
