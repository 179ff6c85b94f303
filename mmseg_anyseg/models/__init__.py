from .backbones import (CMX, AnymodalBackbone, CMNeXt, MAGICMiT, MultiModalBackbone,
                        MultiModalMiT)
from .data_preprocessors import AnymodalDataPreProcessor
from .decode_heads import SegformerLinearHead
from .losses import (CrossModalDistillLoss, FunctionalEntropyRegLoss, ModalityAgnosticDistillLoss,
                     OhemCrossEntropyLoss, PrototypeDistillLoss, UnimodalDistillLoss)
from .segmentors import (AnymodalEncoderDecoder, AnySegDistiller, DistillRecord,
                         MAGICEncoderDecoder)
from .predicting_model import (build_predicting_model, inference_model_cfg, is_distiller_cfg,
                               load_predicting_weights, predicting_model_cfg,
                               predicting_state_dict)
from .test_protocol import AnymodalTestProtocol
from .wrappers import DeviceAgnosticDDP

__all__ = [
    'AnymodalBackbone', 'CMNeXt', 'CMX', 'MAGICMiT', 'MultiModalBackbone', 'MultiModalMiT',
    'AnymodalDataPreProcessor', 'SegformerLinearHead', 'CrossModalDistillLoss',
    'ModalityAgnosticDistillLoss', 'OhemCrossEntropyLoss', 'UnimodalDistillLoss',
    'FunctionalEntropyRegLoss', 'PrototypeDistillLoss',
    'AnymodalEncoderDecoder', 'AnySegDistiller', 'DistillRecord', 'MAGICEncoderDecoder',
    'AnymodalTestProtocol', 'DeviceAgnosticDDP',
    'build_predicting_model', 'inference_model_cfg', 'is_distiller_cfg', 'load_predicting_weights',
    'predicting_model_cfg',
    'predicting_state_dict'
]
