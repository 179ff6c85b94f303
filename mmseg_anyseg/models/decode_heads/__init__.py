from .segformer_linear_head import SegformerLinearHead

__all__ = ['SegformerLinearHead']
