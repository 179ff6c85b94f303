"""Segment one frame from whichever modality files are available.

Missing modalities are simply not given. With ``--all-subsets`` the figure
shows the inputs on top and the prediction of every modality subset below.

Example::

    python tools/anymodal_demo.py configs/synthetic/anyseg_segb0_synthetic.py CKPT \
        --input rgb=frame_rgb_front.png --input lidar=frame_lidar_front.png \
        --out demo.png --all-subsets
"""
import argparse

import numpy as np
from PIL import Image

from mmseg_anyseg.apis import inference_anymodal, init_anymodal_model
from mmseg_anyseg.apis.demo import read_label
from mmseg_anyseg.visualization import anymodal_figure, colourise


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument('config', help='model or distiller config')
    parser.add_argument('checkpoint', help='checkpoint of that config')
    parser.add_argument('--input', action='append', required=True, metavar='MODALITY=FILE',
                        help='one modality file; repeat for each available modality')
    parser.add_argument('--out', required=True, help='PNG to write')
    parser.add_argument('--all-subsets', action='store_true',
                        help='predict every subset of the modalities (paper Figs. 3 and 5)')
    parser.add_argument('--label', help="optional ground-truth label PNG in the config's dataset "
                        'encoding (DELIVER: class id + 1 in the red channel; MUSES: train ids)')
    parser.add_argument('--device', default='cpu')
    return parser.parse_args()


def main() -> None:
    args = parse_args()
    files = {}
    for item in args.input:
        modality, sep, path = item.partition('=')
        if not sep:
            raise SystemExit(f'--input {item!r}: expected MODALITY=FILE')
        files[modality] = path
    model = init_anymodal_model(args.config, args.checkpoint, args.device)
    result = inference_anymodal(model, files, 'all' if args.all_subsets else None)
    palette = (model.dataset_meta or {}).get('palette') or \
        np.random.default_rng(0).integers(0, 255, (256, 3)).tolist()
    if args.all_subsets:
        label = (read_label(model.cfg.test_dataloader.dataset, args.label)
                 if args.label else None)
        anymodal_figure(files, model.data_preprocessor.modalities, result, palette, args.out,
                        label=label)
    else:
        pred = result.pred_sem_seg.data[0].cpu().numpy().astype(np.uint8)
        Image.fromarray(colourise(pred, palette)).save(args.out)
    print(f'prediction written to {args.out}')


if __name__ == '__main__':
    main()
