from .inference import inference_anymodal, init_anymodal_model

__all__ = ['inference_anymodal', 'init_anymodal_model']
