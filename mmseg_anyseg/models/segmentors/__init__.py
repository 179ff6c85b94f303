from .anymodal_encoder_decoder import AnymodalEncoderDecoder
from .anyseg_distiller import AnySegDistiller, build_frozen_teacher

__all__ = ['AnymodalEncoderDecoder', 'AnySegDistiller', 'build_frozen_teacher']
