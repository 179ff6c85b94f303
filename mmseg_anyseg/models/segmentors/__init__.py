from .anymodal_encoder_decoder import AnymodalEncoderDecoder
from .anyseg_distiller import DEFAULT_CONNECTORS, DEFAULT_RECORD_FIELDS, AnySegDistiller
from .distill_connectors import StageConnectors
from .distill_record import (BASE_FIELDS, ConnectedFeatures, DistillRecord, GroundTruthLabels,
                            ModalitySlot, OneSlotMask, RandomKeptPartners, RecordField, StageOf,
                            StudentOnAllPresent, TeacherOnSubset, random_modality_partners)
from .distill_teacher import build_teacher_architecture, load_teacher_weights
from .magic_encoder_decoder import MAGICEncoderDecoder

__all__ = ['AnymodalEncoderDecoder', 'AnySegDistiller', 'BASE_FIELDS', 'ConnectedFeatures',
           'DEFAULT_CONNECTORS', 'DEFAULT_RECORD_FIELDS', 'DistillRecord', 'GroundTruthLabels',
           'MAGICEncoderDecoder', 'ModalitySlot', 'OneSlotMask', 'RandomKeptPartners',
           'RecordField', 'StageConnectors', 'StageOf', 'StudentOnAllPresent', 'TeacherOnSubset',
           'build_teacher_architecture', 'load_teacher_weights', 'random_modality_partners']
