from .anymodal_encoder_decoder import AnymodalEncoderDecoder
from .anyseg_distiller import (AnySegDistiller, build_teacher_architecture, is_distiller_cfg,
                               load_teacher_weights, predicting_model_cfg)
from .magic_encoder_decoder import MAGICEncoderDecoder

__all__ = ['AnymodalEncoderDecoder', 'AnySegDistiller', 'MAGICEncoderDecoder',
           'build_teacher_architecture', 'is_distiller_cfg', 'load_teacher_weights',
           'predicting_model_cfg']
