from .onnx_graph import OnnxAnymodalGraph, deployment_metadata
from .onnx_verify import agreement_table, verify_onnx

__all__ = ['OnnxAnymodalGraph', 'agreement_table', 'deployment_metadata', 'verify_onnx']
