"""Draw one DELIVER-layout sample: every modality and the label side by side.

Example::

    python tools/analysis_tools/show_multimodal_sample.py data/synthetic_deliver \
        --condition night --out sample.png
"""
import argparse

import numpy as np
from PIL import Image, ImageDraw

from mmseg_anyseg.datasets import DELIVERDataset
from mmseg_anyseg.visualization import colourise


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument('data_root')
    parser.add_argument('--split', default='val')
    parser.add_argument('--condition', default=None)
    parser.add_argument('--case', default=None, help="failure case, or 'normal'")
    parser.add_argument('--index', type=int, default=0)
    parser.add_argument('--scale', type=int, default=2, help='upscaling factor of the picture')
    parser.add_argument('--out', required=True)
    args = parser.parse_args()
    dataset = DELIVERDataset(data_root=args.data_root, split=args.split,
                             conditions=args.condition and [args.condition],
                             cases=args.case and [args.case], lazy_init=False)
    info = dataset.get_data_info(args.index)
    panels = [(m, np.asarray(Image.open(info['modality_paths'][m]).convert('RGB')))
              for m in dataset.modalities]
    label = np.asarray(Image.open(info['seg_map_path']))[..., 0].astype(np.int64) - 1
    label[label < 0] = 255
    panels.append(('label', colourise(label.astype(np.uint8), dataset.metainfo['palette'])))
    height, width = panels[0][1].shape[:2]
    canvas = Image.new('RGB', (len(panels) * width * args.scale, height * args.scale + 14),
                       'white')
    draw = ImageDraw.Draw(canvas)
    for i, (name, img) in enumerate(panels):
        tile = Image.fromarray(img).resize((width * args.scale, height * args.scale),
                                           Image.NEAREST)
        canvas.paste(tile, (i * width * args.scale, 14))
        draw.text((i * width * args.scale + 4, 1), name, fill='black')
    canvas.save(args.out)
    print(f"{info['condition']} / {info['case']} frame {info['seg_map_path']} -> {args.out}")


if __name__ == '__main__':
    main()
