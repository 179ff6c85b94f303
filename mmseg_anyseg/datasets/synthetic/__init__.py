from .scene import render_frame
from .writer import DEFAULT_FRAMES, write_synthetic_deliver

__all__ = ['DEFAULT_FRAMES', 'render_frame', 'write_synthetic_deliver']
