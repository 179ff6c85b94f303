from .backbones import CMX, CMNeXt, MAGICMiT, MultiModalBackbone, MultiModalMiT
from .data_preprocessors import AnymodalDataPreProcessor
from .decode_heads import SegformerLinearHead
from .losses import (CrossModalDistillLoss, ModalityAgnosticDistillLoss, OhemCrossEntropyLoss,
                     UnimodalDistillLoss)
from .segmentors import AnymodalEncoderDecoder, AnySegDistiller, MAGICEncoderDecoder

__all__ = [
    'CMNeXt', 'CMX', 'MAGICMiT', 'MAGICEncoderDecoder', 'MultiModalBackbone', 'MultiModalMiT', 'AnymodalDataPreProcessor', 'SegformerLinearHead', 'CrossModalDistillLoss',
    'ModalityAgnosticDistillLoss', 'OhemCrossEntropyLoss', 'UnimodalDistillLoss', 'AnymodalEncoderDecoder',
    'AnySegDistiller'
]
