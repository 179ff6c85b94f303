from .anymodal_encoder_decoder import AnymodalEncoderDecoder
from .anyseg_distiller import DEFAULT_DISTILL_LOSSES, AnySegDistiller
from .distill_record import RECORD_FIELDS, DistillRecord, random_modality_partners
from .distill_teacher import build_teacher_architecture, load_teacher_weights
from .magic_encoder_decoder import MAGICEncoderDecoder

__all__ = ['AnymodalEncoderDecoder', 'AnySegDistiller', 'DEFAULT_DISTILL_LOSSES', 'DistillRecord',
           'MAGICEncoderDecoder', 'RECORD_FIELDS', 'build_teacher_architecture',
           'load_teacher_weights', 'random_modality_partners']
