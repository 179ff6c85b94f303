from .inference import inference_anymodal, init_anymodal_model, load_model_state, student_config

__all__ = ['inference_anymodal', 'init_anymodal_model', 'load_model_state', 'student_config']
