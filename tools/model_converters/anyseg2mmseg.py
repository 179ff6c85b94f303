"""Convert a checkpoint of the authors' code to AnymodalEncoderDecoder.

``--source anyseg`` (default): the AnySeg code stores a SegFormer-style model
(``encoder.*``: official MiT, ``decoder.*``: official SegFormer head), as in
the released MUSES weights. ``--source deliver-cmnext``: a CMNeXt checkpoint of
``jamycheung/DELIVER`` (``backbone.*``, ``decode_head.*``), such as
``cmnext_b2_deliver_rgbdel.pth``, for ``configs/baselines/cmnext_*.py``.

The converted checkpoint loads into an ``AnymodalEncoderDecoder`` whose decode
head is ``SegformerLinearHead``; every key that could not be mapped is
reported (``--strict`` turns them into an error)::

    python tools/model_converters/anyseg2mmseg.py anyseg_muses_b0.pth anyseg_muses_b0_mmseg.pth
    python tools/model_converters/anyseg2mmseg.py cmnext_b2_deliver_rgbdel.pth \
        cmnext_b2_mmseg.pth --source deliver-cmnext
"""
import argparse
import sys

import torch

from mmseg_anyseg.checkpoint.converters import (convert_anyseg_checkpoint,
                                                  convert_deliver_cmnext,
                                                  load_foreign_state_dict)

CONVERTERS = {'anyseg': convert_anyseg_checkpoint, 'deliver-cmnext': convert_deliver_cmnext}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument('src', help="checkpoint of the authors' code")
    parser.add_argument('dst', help='converted checkpoint to write')
    parser.add_argument('--source', choices=list(CONVERTERS), default='anyseg',
                        help='which code base wrote SRC')
    parser.add_argument('--strict', action='store_true', help='fail on unmapped keys')
    args = parser.parse_args()
    state = load_foreign_state_dict(args.src)
    converted, unmapped = CONVERTERS[args.source](state)
    if unmapped:
        print(f'{len(unmapped)} keys not converted:\n  ' + '\n  '.join(unmapped))
        if args.strict:
            sys.exit(1)
    torch.save(dict(state_dict=converted, meta=dict()), args.dst)
    print(f'wrote {len(converted)} tensors to {args.dst}')


if __name__ == '__main__':
    main()
