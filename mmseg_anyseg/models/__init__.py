from .backbones import (CMX, AnymodalBackbone, CMNeXt, MAGICMiT, MultiModalBackbone,
                        MultiModalMiT)
from .data_preprocessors import AnymodalDataPreProcessor
from .decode_heads import SegformerLinearHead
from .losses import (CrossModalDistillLoss, FunctionalEntropyRegLoss, ModalityAgnosticDistillLoss,
                     OhemCrossEntropyLoss, PrototypeDistillLoss, UnimodalDistillLoss)
from .segmentors import (AnymodalEncoderDecoder, AnySegDistiller, MAGICEncoderDecoder,
                         RobustSegDistiller, is_distiller_cfg, predicting_model_cfg)
from .test_protocol import AnymodalTestProtocol

__all__ = [
    'AnymodalBackbone', 'CMNeXt', 'CMX', 'MAGICMiT', 'MultiModalBackbone', 'MultiModalMiT',
    'AnymodalDataPreProcessor', 'SegformerLinearHead', 'CrossModalDistillLoss',
    'ModalityAgnosticDistillLoss', 'OhemCrossEntropyLoss', 'UnimodalDistillLoss',
    'FunctionalEntropyRegLoss', 'PrototypeDistillLoss',
    'AnymodalEncoderDecoder', 'AnySegDistiller', 'MAGICEncoderDecoder', 'RobustSegDistiller',
    'AnymodalTestProtocol',
    'is_distiller_cfg', 'predicting_model_cfg'
]
