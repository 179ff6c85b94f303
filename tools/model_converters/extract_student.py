"""Write a student-only checkpoint from an AnySeg distiller checkpoint.

The result loads directly into ``AnymodalEncoderDecoder`` (the student's
config), with no teacher, for testing, inference and export::

    python tools/model_converters/extract_student.py \
        work_dirs/anyseg_segb0_synthetic/iter_600.pth student.pth
"""
import argparse

import torch

from mmseg_anyseg.models import predicting_state_dict


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument('checkpoint', help='distiller checkpoint')
    parser.add_argument('out', help='student checkpoint to write')
    args = parser.parse_args()
    state, meta = predicting_state_dict(args.checkpoint)
    torch.save(dict(state_dict=state, meta=dict(dataset_meta=meta.get('dataset_meta'))),
               args.out)
    print(f'wrote {len(state)} student tensors to {args.out}')


if __name__ == '__main__':
    main()
