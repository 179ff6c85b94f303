from .backbones import (CMX, AnymodalBackbone, CMNeXt, MAGICMiT, MultiModalBackbone,
                        MultiModalMiT)
from .data_preprocessors import AnymodalDataPreProcessor
from .decode_heads import SegformerLinearHead
from .losses import (CrossModalDistillLoss, ModalityAgnosticDistillLoss, OhemCrossEntropyLoss,
                     UnimodalDistillLoss)
from .segmentors import (AnymodalEncoderDecoder, AnySegDistiller, MAGICEncoderDecoder,
                         is_distiller_cfg, predicting_model_cfg)
from .test_protocol import AnymodalTestProtocol

__all__ = [
    'AnymodalBackbone', 'CMNeXt', 'CMX', 'MAGICMiT', 'MultiModalBackbone', 'MultiModalMiT',
    'AnymodalDataPreProcessor', 'SegformerLinearHead', 'CrossModalDistillLoss',
    'ModalityAgnosticDistillLoss', 'OhemCrossEntropyLoss', 'UnimodalDistillLoss',
    'AnymodalEncoderDecoder', 'AnySegDistiller', 'MAGICEncoderDecoder', 'AnymodalTestProtocol',
    'is_distiller_cfg', 'predicting_model_cfg'
]
