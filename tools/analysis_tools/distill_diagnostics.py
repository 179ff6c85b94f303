"""What each AnySeg loss term does to the student: value, gradient, agreement with CE.

On real training batches (the config's train pipeline and anymodal dropout), for
each loss term of an ``AnySegDistiller`` config it prints the weighted value, the
norm of its gradient on the student's backbone and the cosine between that
gradient and the gradient of the supervised loss (negative: the term pulls
against CE), and per stage the similarity S = (1 + cos) / 2 of the flattened
features of two modalities, averaged over the kept pairs, for the student and
the teacher (the quantity CMD compares). With ``--per-subset`` the same batches are
seen once per modality subset, every sample keeping that subset, and each subset
also gets how far the student is from the teacher there (eval mode): the pixel
accuracy of the student, of the teacher on the same subset and of the teacher on
every modality (MAD's target), the KL divergence of the student's prediction from
each teacher prediction, and the cosine of its last fused features to the teacher's
on the subset. Three uses::

    # the noise floor: a student with the teacher's own weights and every modality
    # kept, in train mode (stochastic depth on) and in eval mode (every term must
    # then be exactly 0)
    python tools/analysis_tools/distill_diagnostics.py configs/synthetic/anyseg_segb0_synthetic.py \
        --teacher-checkpoint work_dirs/pml_segb0_synthetic/iter_600.pth --student-from-teacher \
        --keep-all

    # a trained (or freshly initialised) student
    python tools/analysis_tools/distill_diagnostics.py CONFIG --teacher-checkpoint T \
        [--student-checkpoint S] --batches 8 --out diag.json

    # the same per subset, with a Markdown table of the figures
    python tools/analysis_tools/distill_diagnostics.py CONFIG --teacher-checkpoint T \
        --student-checkpoint S --batches 4 --per-subset --out diag.json --table diag.md
"""
import argparse
import copy
import json
import math
from itertools import combinations
from typing import Dict, List, Optional, Sequence

import torch
import torch.nn.functional as F
from mmengine.config import Config
from mmengine.registry import init_default_scope
from mmengine.runner import Runner
from mmseg.models.losses import accuracy
from mmseg.registry import MODELS
from torch import Tensor

import mmseg_anyseg  # noqa: F401
from mmseg_anyseg.models.losses.cross_modal_distill_loss import global_similarity
from mmseg_anyseg.models.losses.unimodal_distill_loss import softmax_kl
from mmseg_anyseg.checkpoint import load_local_checkpoint
from mmseg_anyseg.checkpoint.mismatch import STUDENT_PREFIX
from mmseg_anyseg.models.predicting_model import without_init_weights
from mmseg_anyseg.utils import KEPT_KEY, all_subsets, batch_modality_mask, subset_name

# The per-subset distances (eval mode), in the order of the table's columns.
DISTANCES = ('student_accuracy', 'teacher_subset_accuracy', 'teacher_all_accuracy',
             'kl_teacher_all', 'kl_teacher_subset', 'feature_cos_teacher_subset')


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
    parser.add_argument('--per-subset', action='store_true',
                        help='every figure per modality subset, with the student-teacher '
                        'distances')
    parser.add_argument('--out', help='JSON file for the figures')
    parser.add_argument('--table', help='Markdown file for the per-subset table')
    args = parser.parse_args()
    if args.table and not args.per_subset:
        parser.error('--table is the per-subset table: add --per-subset')
    return args


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


def keep_subset(model, data: dict, subset: Sequence[bool]) -> dict:
    """Pre-process a batch for training with every sample keeping ``subset``.

    Args:
        model: The distiller.
        data: A batch from the train loader.
        subset: ``[M]`` bool in the pre-processor's modality order.

    Returns:
        The pre-processed batch; each sample keeps the modalities of ``subset`` it has.
    """
    preprocessor = model.data_preprocessor
    dropout, preprocessor.modality_dropout = preprocessor.modality_dropout, None
    try:
        data = preprocessor(data, training=True)
    finally:
        preprocessor.modality_dropout = dropout
    names = preprocessor.modalities
    samples = data['data_samples']
    present = batch_modality_mask([sample.metainfo for sample in samples], kept=False)
    for sample, row in zip(samples, present.tolist()):
        kept = tuple(bool(p and s) for p, s in zip(row, subset))
        if not any(kept):
            raise ValueError(f'sample {sample.metainfo.get("img_path")} has none of the subset '
                             f'{subset_name([m for m, s in zip(names, subset) if s])}')
        sample.set_metainfo({KEPT_KEY: kept})
    return data


def term_statistics(model, data: dict, train: bool,
                    subset: Optional[Sequence[bool]] = None) -> Dict[str, Dict[str, float]]:
    """Weighted value, backbone gradient norm and cosine with CE's gradient per term.

    Args:
        model: The distiller.
        data: A batch from the train loader.
        train: Train mode (stochastic depth, the training step's condition) or eval mode.
        subset: ``[M]`` bool, the subset every sample keeps; None for the config's
            anymodal dropout.
    """
    model.train(train)
    data = (model.data_preprocessor(data, training=True) if subset is None
            else keep_subset(model, data, subset))
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


def _accuracy(logits: Tensor, labels: Tensor, ignore_index: int) -> float:
    """Pixel accuracy (a fraction) over the labelled pixels."""
    return float(accuracy(logits, labels, ignore_index=ignore_index)) / 100


def _kl(target: Tensor, logits: Tensor, labels: Tensor, ignore_index: int) -> float:
    """Mean over the labelled pixels of KL(softmax(target) || softmax(logits))."""
    per_pixel = softmax_kl(logits, target, channel_reduction='sum')
    return float(per_pixel[labels != ignore_index].mean())


@torch.no_grad()
def teacher_distances(model, data: dict, subset: Sequence[bool]) -> Dict[str, Dict[str, float]]:
    """How far the student on ``subset`` is from the teacher, in eval mode.

    The pixel accuracy of the student, of the teacher on the same subset and of the
    teacher on every present modality (MAD's target); the KL divergence of the
    student's prediction from each teacher prediction; the mean cosine, per pixel, of
    the student's last fused features to the teacher's on the subset (NaN when their
    widths differ). All at the head's resolution, over the labelled pixels.

    Args:
        model: The distiller; its teacher must have per-modality features (PML).
        data: A batch from the train loader.
        subset: ``[M]`` bool, the subset every sample keeps.
    """
    model.train(False)
    data = keep_subset(model, data, subset)
    record = model.record(data['inputs'], data['data_samples'])
    if record['teacher.features'] is None:
        raise SystemExit('--per-subset decodes the teacher on each subset: it needs a teacher '
                         'with per-modality features (PML, MAGIC)')
    t_fused, t_subset = model.load_teacher().fuse_and_decode(record['teacher.features'],
                                                             record['kept'])
    s_logits, t_all = record['student.logits'], record['teacher.logits']
    labels = F.interpolate(record['labels'][:, None].float(), size=s_logits.shape[-2:],
                           mode='nearest')[:, 0].long()
    ignore = model.student.decode_head.ignore_index
    s_last, t_last = record['student.fused'][-1], t_fused[-1]
    cos = (float(F.cosine_similarity(s_last, t_last, dim=1).mean())
           if s_last.shape == t_last.shape else math.nan)
    values = dict(student_accuracy=_accuracy(s_logits, labels, ignore),
                  teacher_subset_accuracy=_accuracy(t_subset, labels, ignore),
                  teacher_all_accuracy=_accuracy(t_all, labels, ignore),
                  kl_teacher_all=_kl(t_all, s_logits, labels, ignore),
                  kl_teacher_subset=_kl(t_subset, s_logits, labels, ignore),
                  feature_cos_teacher_subset=cos)
    return {name: dict(value=value, grad_norm=0.0, cos_ce=math.nan)
            for name, value in values.items()}


def per_subset(model, batches: List[dict]) -> Dict[str, Dict[str, Dict[str, float]]]:
    """Every figure of :func:`term_statistics` (train mode) and :func:`teacher_distances`
    on each non-empty modality subset, summarised over the batches.

    A train-mode forward updates the student's normalisation statistics; they are put
    back after each, so that every figure is of the trained student.
    """
    names = model.data_preprocessor.modalities
    trained = {name: buffer.clone() for name, buffer in model.student.named_buffers()}
    results = {}
    for subset in all_subsets(names):
        mask = tuple(m in subset for m in names)
        records = []
        for data in batches:
            distances = teacher_distances(model, copy.deepcopy(data), mask)
            records.append({**term_statistics(model, copy.deepcopy(data), True, mask),
                            **distances})
            with torch.no_grad():
                for name, buffer in model.student.named_buffers():
                    buffer.copy_(trained[name])
        results[subset_name(subset)] = summarise(records)
        print(f'[{subset_name(subset)}] ' + ', '.join(
            f'{k}={v["value"]:.4g}' for k, v in results[subset_name(subset)].items()
            if k in DISTANCES), flush=True)
    return results


def subset_table(results: Dict[str, Dict[str, Dict[str, float]]]) -> str:
    """The per-subset figures as Markdown: distances, then each term's gradient."""
    first = next(iter(results.values()))
    terms = [n for n in first if 'loss' in n]
    header = (['subset', 'student acc', 'teacher(S) acc', 'teacher(all) acc',
               'KL to teacher(all)', 'KL to teacher(S)', 'feature cos to teacher(S)'] +
              [f'{t}: value, |grad|, cos to CE' for t in terms])
    lines = ['| ' + ' | '.join(header) + ' |', '|---|' + '---:|' * (len(header) - 1)]
    for name, row in results.items():
        cells = [f'{100 * row[k]["value"]:.2f}' if k.endswith('accuracy')
                 else f'{row[k]["value"]:.3f}' for k in DISTANCES]
        cells += [f'{row[t]["value"]:.3f}, {row[t]["grad_norm"]:.2f}, {row[t]["cos_ce"]:+.2f}'
                  if t != 'decode.loss_ce' else f'{row[t]["value"]:.3f}, '
                  f'{row[t]["grad_norm"]:.2f}, -' for t in terms]
        lines.append(f'| {name} | ' + ' | '.join(cells) + ' |')
    return '\n'.join(lines) + '\n'


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
    modes = [] if args.per_subset else (
        ([('eval', False)] if args.student_from_teacher else []) + [('train', True)])
    batches = [data for _, data in zip(range(args.batches), loader)]  # the same for each mode
    if args.per_subset:
        results['subsets'] = per_subset(model, batches)
        table = subset_table(results['subsets'])
        print('\n' + table)
        if args.table:
            with open(args.table, 'w') as f:
                f.write(table)
            print(f'written: {args.table}')
    for mode, train in modes:
        records = []
        for i, data in enumerate(batches):
            records.append(term_statistics(model, copy.deepcopy(data), train))
            print(f'[{mode}] batch {i + 1}/{args.batches}: ' + ', '.join(
                f'{k}={v["value"]:.4g}' for k, v in records[-1].items()), flush=True)
        results[mode] = summarise(records)
    if modes:
        print(f'\n{"mode":6} {"term":16} {"value":>18} {"|grad| backbone":>18} '
              f'{"cos(grad, CE)":>16}')
    for mode, _ in modes:
        for name, row in results[mode].items():
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
