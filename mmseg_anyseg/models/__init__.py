from .backbones import MultiModalBackbone, MultiModalMiT
from .data_preprocessors import AnymodalDataPreProcessor
from .decode_heads import SegformerLinearHead
from .losses import (CrossModalDistillLoss, ModalityAgnosticDistillLoss, OhemCrossEntropyLoss,
                     UnimodalDistillLoss)
from .segmentors import AnymodalEncoderDecoder, AnySegDistiller

__all__ = [
    'MultiModalBackbone', 'MultiModalMiT', 'AnymodalDataPreProcessor', 'SegformerLinearHead', 'CrossModalDistillLoss',
    'ModalityAgnosticDistillLoss', 'OhemCrossEntropyLoss', 'UnimodalDistillLoss', 'AnymodalEncoderDecoder',
    'AnySegDistiller'
]
