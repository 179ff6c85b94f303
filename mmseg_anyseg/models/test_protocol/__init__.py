from .anymodal_test_protocol import (AnymodalTestProtocol,
                                     check_missing_convention, sliding_window)
from .corruptions import CORRUPTIONS, NOISE_LEVELS, check_corruption, corrupt_batch
from .subset_decoding import decode_segformer_subsets, supports_shared_decoding
from .subset_passes import decode_weighted, per_subset_logits, shared_subset_logits

__all__ = [
    'AnymodalTestProtocol', 'check_missing_convention', 'sliding_window', 'CORRUPTIONS',
    'NOISE_LEVELS', 'check_corruption', 'corrupt_batch',
    'decode_segformer_subsets', 'supports_shared_decoding', 'decode_weighted',
    'per_subset_logits', 'shared_subset_logits'
]
