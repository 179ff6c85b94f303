"""Parameters and FLOPs of anymodal models per number of modalities (Table 14).

Shared weights make the parameter count independent of the number of
modalities, while FLOPs grow with it::

    python tools/analysis_tools/get_flops.py configs/anyseg/anyseg_segb0_deliver.py \
        --shape 1024 1024
"""
import argparse

import torch
from mmengine.analysis import FlopAnalyzer, parameter_count
from mmengine.config import Config
from mmengine.registry import init_default_scope
from mmseg.registry import MODELS

import mmseg_anyseg  # noqa: F401
from mmseg_anyseg.models import inference_model_cfg, is_distiller_cfg


class TensorForward(torch.nn.Module):
    """Wraps a segmentor so that ``forward(x)`` is its network forward."""

    def __init__(self, segmentor: torch.nn.Module) -> None:
        super().__init__()
        self.segmentor = segmentor

    def forward(self, inputs: torch.Tensor) -> torch.Tensor:
        return self.segmentor._forward(inputs)


def complexity(model_cfg, num_modalities: int, shape) -> tuple:
    cfg = model_cfg.copy()
    cfg.backbone = dict(cfg.backbone, num_modalities=num_modalities)
    cfg.decode_head = dict(cfg.decode_head, norm_cfg=dict(type='BN', requires_grad=True))
    model = MODELS.build(cfg).eval()
    inputs = torch.zeros(1, num_modalities, 3, *shape)
    # Dropout layers and the loss are never called in a forward pass: not worth a warning.
    flops = FlopAnalyzer(TensorForward(model), (inputs, )).unsupported_ops_warnings(
        False).uncalled_modules_warnings(False).total()
    return parameter_count(model)[''], flops


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument('config', help='an anymodal model or AnySeg distiller config')
    parser.add_argument('--shape', type=int, nargs=2, default=[1024, 1024])
    args = parser.parse_args()
    init_default_scope('mmseg')
    cfg = Config.fromfile(args.config)
    models = [('model', inference_model_cfg(cfg.model))]
    if is_distiller_cfg(cfg.model):
        models = [('student', inference_model_cfg(cfg.model)),
                  ('teacher', inference_model_cfg(Config.fromfile(cfg.model.teacher.config).model))]
    num_modalities = len(cfg.modalities)
    print(f'input {args.shape[0]}x{args.shape[1]} per modality')
    print('| model | modalities | params (M) | GFLOPs |\n|---|---:|---:|---:|')
    for name, model_cfg in models:
        for count in range(1, num_modalities + 1):
            params, flops = complexity(model_cfg, count, args.shape)
            print(f'| {name} | {count} | {params / 1e6:.2f} | {flops / 1e9:.2f} |')


if __name__ == '__main__':
    main()
