from .anymodal_encoder_decoder import AnymodalEncoderDecoder
from .anyseg_distiller import AnySegDistiller, build_frozen_teacher
from .magic_encoder_decoder import MAGICEncoderDecoder

__all__ = ['AnymodalEncoderDecoder', 'AnySegDistiller', 'MAGICEncoderDecoder',
           'build_frozen_teacher']
