"""Convert an official SegFormer ImageNet MiT checkpoint for MultiModalMiT.

The official ``mit_b0.pth`` ... ``mit_b5.pth`` files use the original
SegFormer keys; the output uses mmseg's ``MixVisionTransformer`` keys, which
``MultiModalMiT`` shares, so it loads through the backbone's ``init_cfg``::

    python tools/model_converters/mit2anyseg.py mit_b2.pth pretrained/mit_b2.pth
    # configs: backbone=dict(init_cfg=dict(type='Pretrained', checkpoint='pretrained/mit_b2.pth'))
"""
import argparse
import os
import os.path as osp

import torch

from mmseg_anyseg.checkpoint.converters import convert_official_mit, load_foreign_state_dict


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument('src', help='official MiT checkpoint')
    parser.add_argument('dst', help='converted checkpoint to write')
    args = parser.parse_args()
    state = load_foreign_state_dict(args.src)
    converted, unmapped = convert_official_mit(state)
    if unmapped:
        print(f'{len(unmapped)} keys not converted:\n  ' + '\n  '.join(unmapped))
    os.makedirs(osp.dirname(osp.abspath(args.dst)), exist_ok=True)
    torch.save(dict(state_dict=converted), args.dst)
    print(f'wrote {len(converted)} tensors to {args.dst}')


if __name__ == '__main__':
    main()
