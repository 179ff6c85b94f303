"""Export an anymodal model to ONNX with a modality-mask input and check it on every subset.

The graph takes ``inputs`` ``[1, M, 3, H, W]`` (float32 raw pixel values in the dataset's
modality order, RGB channel order; the per-modality normalisation is inside the graph) and
``modality_mask`` ``[1, M]`` (bool, the sensors alive this frame), and gives ``logits``
``[1, K, H, W]`` or ``labels`` ``[1, H, W]``. The mask decides the fusion as
``test_cfg.missing`` does in PyTorch. The model that predicts is exported: the student of a
distiller config or checkpoint (no teacher needed), a PML teacher, CMNeXt/CMX (``zero``), MAGIC.

    python tools/deployment/export_onnx.py CONFIG CHECKPOINT --out model.onnx --shape 512 512

By default (``--verify``) onnxruntime is compared with the PyTorch model on ``--frames`` frames
of the config's test set, on every non-empty modality subset: max absolute logit difference
and argmax agreement per subset, printed and written as JSON beside the model; the export
fails (exit 1) when the agreement of a subset falls under ``--min-agreement``.
"""
import argparse
import json
import os
import os.path as osp
import sys
from typing import List

import torch
import torch.nn.functional as F
from mmengine.config import Config, DictAction
from mmengine.registry import init_default_scope
from mmseg.registry import DATASETS

from mmseg_anyseg.apis import init_anymodal_model
from mmseg_anyseg.deployment import (OnnxAnymodalGraph, agreement_table, deployment_metadata,
                                     verify_onnx)

MIN_OPSET = 13  # aten::unflatten (MiT's attention) exports from opset 13 on
SIZE_DIVISOR = 32  # the MiT's deepest stage is 1/32 of the input


def parse_args(argv=None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument('config', help='model or distiller config')
    parser.add_argument('checkpoint', help='checkpoint of the model or of the distiller')
    parser.add_argument('--out', required=True, help='the .onnx file to write')
    parser.add_argument('--shape', type=int, nargs=2, required=True, metavar=('H', 'W'),
                        help='input height and width (fixed in the graph)')
    parser.add_argument('--opset', type=int, default=17)
    parser.add_argument('--missing', choices=('drop', 'zero'),
                        help="how an absent modality enters (default: the config's "
                        'test_cfg.missing, else the backbone\'s default)')
    parser.add_argument('--output', choices=('logits', 'labels'), default='logits')
    verify = parser.add_mutually_exclusive_group()
    verify.add_argument('--verify', dest='verify', action='store_true', default=True,
                        help='compare with PyTorch on every subset (default)')
    verify.add_argument('--no-verify', dest='verify', action='store_false')
    parser.add_argument('--frames', type=int, default=4, help='test-set frames to verify on')
    parser.add_argument('--min-agreement', type=float, default=0.999,
                        help='least argmax agreement per subset (fraction of pixels)')
    parser.add_argument('--verify-out', help='JSON of the check (default: OUT.verify.json)')
    parser.add_argument('--cfg-options', nargs='+', action=DictAction,
                        help='override settings in the config, key=value (e.g. '
                        'test_dataloader.dataset.data_root=... from outside the repository)')
    return parser.parse_args(argv)


def check_shape(shape: List[int]) -> tuple:
    """``(H, W)``, positive multiples of 32."""
    bad = [v for v in shape if v <= 0 or v % SIZE_DIVISOR]
    if bad:
        raise SystemExit(f'--shape {shape[0]} {shape[1]}: height and width must be positive '
                         f'multiples of {SIZE_DIVISOR} (the MiT downsamples to 1/{SIZE_DIVISOR});'
                         f' resize or pad the images to such a size')
    return tuple(shape)


def test_frames(model, num: int, shape: tuple) -> List[torch.Tensor]:
    """``num`` raw ``[1, M, 3, H, W]`` frames of the config's test set, resized to ``shape``."""
    cfg = model.cfg
    init_default_scope(cfg.get('default_scope', 'mmseg'))
    dataset = DATASETS.build(cfg.test_dataloader.dataset)
    if len(dataset) == 0:
        raise SystemExit(f'the test set of {cfg.filename} is empty: nothing to verify on '
                         '(--no-verify skips the check)')
    num_mod = len(model.data_preprocessor.modalities)
    frames = []
    for index in range(min(num, len(dataset))):
        stacked = dataset[index]['inputs'].float()
        frame = stacked.view(1, num_mod, -1, *stacked.shape[-2:])
        if tuple(frame.shape[-2:]) != shape:
            frame = F.interpolate(frame.flatten(1, 2), size=shape, mode='bilinear',
                                  align_corners=False).view(1, num_mod, -1, *shape)
        frames.append(frame)
    return frames


def export(graph: OnnxAnymodalGraph, num_mod: int, shape: tuple, out: str, opset: int) -> None:
    """Trace ``graph`` into ``out`` with the TorchScript exporter."""
    if opset < MIN_OPSET:
        raise SystemExit(f'--opset {opset}: the MiT needs opset {MIN_OPSET} or newer '
                         '(aten::unflatten)')
    inputs = torch.full((1, num_mod, 3) + shape, 127.0)
    mask = torch.ones(1, num_mod, dtype=torch.bool)
    os.makedirs(osp.dirname(osp.abspath(out)), exist_ok=True)
    with torch.no_grad():
        torch.onnx.export(graph, (inputs, mask), out, opset_version=opset,
                          input_names=['inputs', 'modality_mask'], output_names=[graph.output],
                          do_constant_folding=True, dynamo=False)


def write_metadata(out: str, metadata: dict) -> None:
    import onnx
    proto = onnx.load(out)
    del proto.metadata_props[:]
    for key, value in metadata.items():
        entry = proto.metadata_props.add()
        entry.key, entry.value = key, value
    onnx.save(proto, out)


def main(argv=None) -> int:
    args = parse_args(argv)
    shape = check_shape(args.shape)
    for what, path in (('config', args.config), ('checkpoint', args.checkpoint)):
        if not osp.isfile(path):
            raise SystemExit(f'no such {what}: {path!r}')
    if osp.splitext(args.out)[1].lower() != '.onnx':
        raise SystemExit(f'--out {args.out!r}: give the model an .onnx name')
    if args.verify and args.frames < 1:
        raise SystemExit(f'--frames {args.frames}: the check needs at least one test frame '
                         '(--no-verify skips it)')
    try:
        import onnx  # noqa: F401
        import onnxruntime as ort
    except ImportError as error:
        raise SystemExit(f'{error.name} is not installed: pip install "mmseg-anyseg[deploy]" '
                         '(onnx, onnxruntime)')
    cfg = Config.fromfile(args.config)
    if args.cfg_options:
        cfg.merge_from_dict(args.cfg_options)
    model = init_anymodal_model(cfg, args.checkpoint)
    try:
        graph = OnnxAnymodalGraph(model, args.missing, args.output).eval()
    except ValueError as error:
        raise SystemExit(f'{args.config}: {error}')
    names = tuple(model.data_preprocessor.modalities)
    print(f'exporting {type(model).__name__} ({type(model.backbone).__name__}), modalities '
          f'{names}, missing={graph.missing!r}, {args.output} at {shape[0]}x{shape[1]}, '
          f'opset {args.opset} -> {args.out}', flush=True)
    # The test frames first: a test set that cannot be read stops before anything is written.
    frames = test_frames(model, args.frames, shape) if args.verify else []
    export(graph, len(names), shape, args.out, args.opset)
    write_metadata(args.out, deployment_metadata(model, graph, shape, args.config,
                                                 args.checkpoint))
    if not args.verify:
        return 0
    session = ort.InferenceSession(args.out, providers=['CPUExecutionProvider'])
    print(f'verifying on {len(frames)} test frames x {2 ** len(names) - 1} subsets', flush=True)
    rows = verify_onnx(model, session, frames, graph.missing, args.output)
    print(agreement_table(rows))
    worst = min(row['argmax_agreement'] for row in rows)
    report = dict(onnx=args.out, config=args.config, checkpoint=args.checkpoint,
                  missing=graph.missing, output=args.output, shape=list(shape),
                  min_agreement=args.min_agreement, worst_agreement=worst, subsets=rows)
    verify_out = args.verify_out or osp.splitext(args.out)[0] + '.verify.json'
    with open(verify_out, 'w') as f:
        json.dump(report, f, indent=2)
    print(f'worst subset agreement {100 * worst:.3f}% (threshold '
          f'{100 * args.min_agreement:.3f}%); report: {verify_out}')
    if worst < args.min_agreement:
        print(f'ERROR: onnxruntime disagrees with PyTorch on {args.out}: worst subset agreement '
              f'{100 * worst:.3f}% < {100 * args.min_agreement:.3f}%', file=sys.stderr)
        return 1
    return 0


if __name__ == '__main__':
    sys.exit(main())
