"""Modality names, codes and subsets, the reader of the modality metainfo, the shipped configs."""
from .modalities import (KEPT_KEY, MODALITY_CODES, MODALITY_META_KEYS, PRESENT_KEY, all_subsets,
                         batch_modality_mask, modality_code, modality_mask, modality_names,
                         resolve_subsets, subset_name)
from .shipped_configs import config_dir

__all__ = [
    'config_dir', 'KEPT_KEY', 'MODALITY_CODES', 'MODALITY_META_KEYS', 'PRESENT_KEY', 'all_subsets',
    'batch_modality_mask', 'modality_code', 'modality_mask', 'modality_names', 'resolve_subsets',
    'subset_name'
]
