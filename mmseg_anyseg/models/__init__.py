from .backbones import MultiModalMiT
from .data_preprocessors import AnymodalDataPreProcessor
from .losses import CrossModalDistillLoss, ModalityAgnosticDistillLoss, UnimodalDistillLoss
from .segmentors import AnymodalEncoderDecoder, AnySegDistiller

__all__ = [
    'MultiModalMiT', 'AnymodalDataPreProcessor', 'CrossModalDistillLoss',
    'ModalityAgnosticDistillLoss', 'UnimodalDistillLoss', 'AnymodalEncoderDecoder',
    'AnySegDistiller'
]
