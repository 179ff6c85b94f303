from .anymodal_encoder_decoder import AnymodalEncoderDecoder
from .anyseg_distiller import AnySegDistiller, is_distiller_cfg, predicting_model_cfg
from .distill_teacher import build_teacher_architecture, load_teacher_weights
from .magic_encoder_decoder import MAGICEncoderDecoder
from .robustseg_distiller import RobustSegDistiller

__all__ = ['AnymodalEncoderDecoder', 'AnySegDistiller', 'MAGICEncoderDecoder', 'RobustSegDistiller',
           'build_teacher_architecture', 'is_distiller_cfg', 'load_teacher_weights',
           'predicting_model_cfg']
