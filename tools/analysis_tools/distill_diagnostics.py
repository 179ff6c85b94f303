"""What each AnySeg loss term does to the student: value, gradient, agreement with CE.

On real training batches (the config's train pipeline and anymodal dropout), for
each loss term of an ``AnySegDistiller`` config it prints the weighted value, the
norm of its gradient on the student's backbone and the cosine between that
gradient and the gradient of the supervised loss (negative: the term pulls
against CE), and per stage the similarity S = (1 + cos) / 2 of the flattened
features of two modalities, averaged over the kept pairs, for the student and
the teacher (the quantity CMD compares). Two uses::

    # the noise floor: a student with the teacher's own weights and every modality
    # kept, in train mode (stochastic depth on) and in eval mode (every term must
    # then be exactly 0)
    python tools/analysis_tools/distill_diagnostics.py configs/synthetic/anyseg_segb0_synthetic.py \
        --teacher-checkpoint work_dirs/pml_segb0_synthetic/iter_600.pth --student-from-teacher \
        --keep-all

    # a trained (or freshly initialised) student
    python tools/analysis_tools/distill_diagnostics.py CONFIG --teacher-checkpoint T \
        [--student-checkpoint S] --batches 8 --out diag.json
"""
import argparse
import copy
import json
import math
from itertools import combinations
from typing import Dict, List

import torch
from mmengine.config import Config
from mmengine.registry import init_default_scope
from mmengine.runner import Runner
from mmseg.registry import MODELS

import mmseg_anyseg  # noqa: F401
from mmseg_anyseg.models.losses.cross_modal_distill_loss import global_similarity
from mmseg_anyseg.checkpoint import load_local_checkpoint
from mmseg_anyseg.checkpoint.mismatch import STUDENT_PREFIX
from mmseg_anyseg.models.predicting_model import without_init_weights


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument('config', help='AnySegDistiller config')
    parser.add_argument('--teacher-checkpoint', required=True)
    student = parser.add_mutually_exclusive_group()
    student.add_argument('--student-checkpoint', help='trained student or distiller checkpoint')
    student.add_argument('--student-from-teacher', action='store_true',
                         help='give the student the teacher weights (same architecture)')
    parser.add_argument('--keep-all', action='store_true',
                        help='no anymodal dropout: the student keeps every modality')
    parser.add_argument('--batches', type=int, default=8)
    parser.add_argument('--seed', type=int, default=0)
    parser.add_argument('--out', help='JSON file for the figures')
    return parser.parse_args()


def build_distiller(args: argparse.Namespace) -> tuple:
    cfg = Config.fromfile(args.config)
    init_default_scope(cfg.get('default_scope', 'mmseg'))
    if cfg.model.get('type') != 'AnySegDistiller':
        raise SystemExit(f'{args.config}: model.type is {cfg.model.get("type")!r}, not '
                         'AnySegDistiller')
    cfg.model.teacher.checkpoint = args.teacher_checkpoint
    without_init_weights(cfg.model.student)
    model = MODELS.build(cfg.model)
    model.teacher_in_step = True  # the teacher's features are compared even with no term of it
    if args.student_from_teacher:
        model.student.load_state_dict(model.load_teacher().state_dict(), strict=True)
        if any(not isinstance(c, torch.nn.Identity) for c in model.connectors):
            raise SystemExit('--student-from-teacher needs a student as wide as the teacher')
    elif args.student_checkpoint:
        state = load_local_checkpoint(args.student_checkpoint, map_location='cpu')
        state = state.get('state_dict', state)
        distiller = any(k.startswith(STUDENT_PREFIX) for k in state)
        (model if distiller else model.student).load_state_dict(state, strict=True)
    if args.keep_all:
        model.data_preprocessor.modality_dropout = None
    loader_cfg = dict(cfg.train_dataloader, num_workers=0, persistent_workers=False)
    return model, Runner.build_dataloader(loader_cfg, seed=args.seed)


def term_statistics(model, data: dict, train: bool) -> Dict[str, Dict[str, float]]:
    """Weighted value, backbone gradient norm and cosine with CE's gradient per term."""
    model.train(train)
    data = model.data_preprocessor(data, training=True)
    record = model.record(data['inputs'], data['data_samples'])
    losses = model.losses_of(record, data['data_samples'])
    params = [p for p in model.student.backbone.parameters() if p.requires_grad]
    names = [n for n in losses if 'loss' in n]
    grads = {}
    for name in names:
        value = losses[name]
        if not value.requires_grad:
            grads[name] = None
            continue
        g = torch.autograd.grad(value, params, retain_graph=True, allow_unused=True)
        grads[name] = torch.cat([(x if x is not None else torch.zeros_like(p)).flatten()
                                 for x, p in zip(g, params)])
    ce = grads.get('decode.loss_ce')
    out = {}
    for name in names:
        g = grads[name]
        norm = 0.0 if g is None else float(g.norm())
        cos = (float(torch.nn.functional.cosine_similarity(g.double(), ce.double(), dim=0))
               if g is not None and ce is not None and norm > 0 else math.nan)
        out[name] = dict(value=float(losses[name].detach()), grad_norm=norm, cos_ce=cos)
    out.update(similarities(record))
    return out


@torch.no_grad()
def similarities(record) -> Dict[str, Dict[str, float]]:
    """Per stage, the mean cross-modal similarity of the student and of the teacher.

    From the step's own record: the student's features of its kept modalities and the
    teacher's of every present one, over the pairs the student kept.
    """
    kept = record['kept']
    pairs = torch.tensor(list(combinations(range(kept.shape[1]), 2)))
    used = kept[:, pairs[:, 0]] & kept[:, pairs[:, 1]]
    out = {}
    if not bool(used.any()):
        return out
    for who in ('student', 'teacher'):
        features = record[f'{who}.features']
        if features is None:  # a teacher without per-modality features
            continue
        for stage, feat in enumerate(features):
            value = float(global_similarity(feat, pairs)[used].mean())
            out[f'S_{who}/stage{stage}'] = dict(value=value, grad_norm=0.0, cos_ce=math.nan)
    return out


def summarise(records: List[Dict[str, Dict[str, float]]]) -> Dict[str, Dict[str, float]]:
    """Mean and std over the batches that have each entry."""
    summary = {}
    names = list(dict.fromkeys(name for r in records for name in r))
    for name in names:
        row = dict(batches=sum(name in r for r in records))
        for key in ('value', 'grad_norm', 'cos_ce'):
            values = torch.tensor([r[name][key] for r in records if name in r],
                                  dtype=torch.float64)
            values = values[~values.isnan()]
            row[key] = float(values.mean()) if len(values) else math.nan
            row[f'{key}_std'] = float(values.std()) if len(values) > 1 else 0.0
        summary[name] = row
    return summary


def main() -> None:
    args = parse_args()
    torch.manual_seed(args.seed)
    model, loader = build_distiller(args)
    results = {}
    # eval first: a train-mode forward updates the student's BN statistics
    modes = ([('eval', False)] if args.student_from_teacher else []) + [('train', True)]
    batches = [data for _, data in zip(range(args.batches), loader)]  # the same for each mode
    for mode, train in modes:
        records = []
        for i, data in enumerate(batches):
            records.append(term_statistics(model, copy.deepcopy(data), train))
            print(f'[{mode}] batch {i + 1}/{args.batches}: ' + ', '.join(
                f'{k}={v["value"]:.4g}' for k, v in records[-1].items()), flush=True)
        results[mode] = summarise(records)
    print(f'\n{"mode":6} {"term":16} {"value":>18} {"|grad| backbone":>18} {"cos(grad, CE)":>16}')
    for mode, summary in results.items():
        for name, row in summary.items():
            print(f'{mode:6} {name:16} {row["value"]:>10.4g} ± {row["value_std"]:<6.2g}'
                  f'{row["grad_norm"]:>10.4g} ± {row["grad_norm_std"]:<6.2g}'
                  f'{row["cos_ce"]:>+9.3f} ± {row["cos_ce_std"]:.2f}')
    if args.out:
        with open(args.out, 'w') as f:
            json.dump(dict(config=args.config, teacher=args.teacher_checkpoint,
                           student=args.student_checkpoint or
                           ('teacher weights' if args.student_from_teacher else 'initialised'),
                           batches=args.batches, seed=args.seed, results=results), f, indent=2)
        print(f'written: {args.out}')


if __name__ == '__main__':
    main()
