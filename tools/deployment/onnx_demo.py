"""Segment one frame with an exported anymodal ONNX model, using onnxruntime only.

What a deployment needs and nothing more: numpy, Pillow and onnxruntime (no torch, mmcv or
mmseg). The modality names and order, the input size, the classes, palette and missing
convention are read from the model's metadata (written by ``export_onnx.py``). Modalities
without an ``--input`` are absent this frame (their sensor failed).

    python tools/deployment/onnx_demo.py model.onnx --input rgb=a_rgb.png --input lidar=a_lidar.png \
        --out pred.png
"""
import argparse
import json
import os
import os.path as osp
import sys

import numpy as np
import onnxruntime as ort
from PIL import Image


def parse_args(argv=None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument('model', help='.onnx file written by export_onnx.py')
    parser.add_argument('--input', action='append', default=[], metavar='MODALITY=FILE',
                        help='an image of one modality; repeat for each available one')
    parser.add_argument('--out', required=True, help='PNG of the predicted labels (palette)')
    return parser.parse_args(argv)


def read_metadata(session: ort.InferenceSession, path: str) -> dict:
    props = session.get_modelmeta().custom_metadata_map
    needed = ('modalities', 'input_size', 'classes', 'palette', 'missing', 'output')
    absent = [key for key in needed if key not in props]
    if absent:
        raise SystemExit(f'{path} has no deployment metadata {absent}: export it with '
                         'tools/deployment/export_onnx.py')
    meta = {key: props[key] for key in needed}
    for key in ('modalities', 'input_size', 'classes', 'palette'):
        meta[key] = json.loads(meta[key])
    return meta


def parse_inputs(pairs, modalities) -> dict:
    files = {}
    for pair in pairs:
        name, sep, path = pair.partition('=')
        if not sep or not path:
            raise SystemExit(f'--input {pair!r}: expected MODALITY=FILE')
        if name not in modalities:
            raise SystemExit(f'--input {pair!r}: unknown modality {name!r}; the model takes '
                             f'{tuple(modalities)}')
        if name in files:
            raise SystemExit(f'--input {pair!r}: {name} is given twice (also {files[name]!r}); '
                             'give one file per modality')
        if not osp.isfile(path):
            raise SystemExit(f'--input {pair!r}: no such file {path!r}')
        files[name] = path
    if not files:
        raise SystemExit(f'no --input given; the model takes some of {tuple(modalities)}')
    return files


def load_image(path: str, size) -> np.ndarray:
    """``[3, H, W]`` float32 in RGB order, decoded as the training loader decodes it."""
    try:
        image = Image.open(path)
        image.load()
    except (OSError, ValueError) as error:
        raise SystemExit(f'cannot read image {path}: {error}')
    if image.mode in ('I;16', 'I;16B', 'I'):  # 16-bit: 8 bits, as a colour decode gives
        image = Image.fromarray((np.asarray(image, dtype=np.uint32) >> 8).astype(np.uint8))
    pixels = np.asarray(image.convert('RGB'), dtype=np.float32)
    if pixels.shape[:2] != tuple(size):
        raise SystemExit(f'{path} is {pixels.shape[0]}x{pixels.shape[1]} (HxW); the model was '
                         f'exported for {size[0]}x{size[1]}: resize the image or export again '
                         'with --shape')
    return pixels.transpose(2, 0, 1)


def colorize(labels: np.ndarray, palette) -> Image.Image:
    if not palette:
        return Image.fromarray(labels.astype(np.uint8), mode='L')
    image = Image.fromarray(labels.astype(np.uint8), mode='P')
    flat = [v for color in palette for v in color]
    image.putpalette(flat + [0] * (768 - len(flat)))
    return image


def segment(session: ort.InferenceSession, meta: dict, files: dict) -> np.ndarray:
    """``H x W`` class ids from the modalities in ``files``; the model's others are absent.

    Args:
        session: The model's onnxruntime session.
        meta: Its metadata (:func:`read_metadata`).
        files: Modality name to image file.
    """
    modalities, size = meta['modalities'], meta['input_size']
    inputs = np.zeros((1, len(modalities), 3, *size), dtype=np.float32)
    mask = np.zeros((1, len(modalities)), dtype=bool)
    for index, name in enumerate(modalities):
        if name in files:
            inputs[0, index] = load_image(files[name], size)
            mask[0, index] = True
    out = session.run(None, {'inputs': inputs, 'modality_mask': mask})[0][0]
    return out if meta['output'] == 'labels' else out.argmax(axis=0)


def main(argv=None) -> int:
    args = parse_args(argv)
    if not osp.isfile(args.model):
        raise SystemExit(f'no such ONNX model: {args.model!r} (write one with '
                         'tools/deployment/export_onnx.py)')
    if osp.splitext(args.out)[1].lower() != '.png':
        raise SystemExit(f'--out {args.out!r}: the labels are written as a palette PNG; give a '
                         '.png name')
    if osp.dirname(args.out):
        os.makedirs(osp.dirname(args.out), exist_ok=True)
    session = ort.InferenceSession(args.model, providers=['CPUExecutionProvider'])
    meta = read_metadata(session, args.model)
    modalities, size = meta['modalities'], meta['input_size']
    files = parse_inputs(args.input, modalities)
    labels = segment(session, meta, files)
    colorize(labels, meta['palette']).save(args.out)
    present = [m for m in modalities if m in files]
    counts = np.bincount(labels.ravel(), minlength=len(meta['classes']))
    top = ', '.join(f'{meta["classes"][c]} {100 * counts[c] / labels.size:.1f}%'
                    for c in np.argsort(-counts)[:3] if counts[c])
    print(f'{args.out}: {size[0]}x{size[1]} labels from {present} (absent: '
          f'{[m for m in modalities if m not in files]}, missing={meta["missing"]}); top: {top}')
    return 0


if __name__ == '__main__':
    sys.exit(main())
