"""Check a configured dataset before a long run: every file of every sample decoded once.

The frame counts a split should have come from the config's ``release_frames``
(``dict(train=..., val=..., test=..., source='...')``; ``None`` turns the comparison off), else
from a ``splits.json`` of the same form at the dataset root (the synthetic tree writes one),
else from the official release of the dataset type (:data:`RELEASE_FRAMES`).

What would stop a training (a missing, unreadable or truncated file, a label value that is
not a class, a modality whose size the loader refuses, a split smaller than the release) is an
error; what would silently distort it (an empty label, a modality the config resizes) is a
warning. ``tools/analysis_tools/check_dataset.py`` is the command line.
"""
import copy
import json
import os.path as osp
from collections import Counter
from functools import partial
from multiprocessing import Pool
from dataclasses import asdict, dataclass, field
from typing import Callable, Dict, List, Optional, Sequence

import numpy as np
from mmengine.config import Config
from mmseg.registry import DATASETS, TRANSFORMS

from .image_bytes import damage, png_bit_depth
from .synthetic.writer import SPLITS_FILE
from .transforms.loading import LoadMultiModalAnnotations, LoadMultiModalImages

#: Frames per split of the official releases, with where the numbers are published.
RELEASE_FRAMES = {
    'DELIVERDataset': dict(
        train=3983, val=2005, test=1897,
        source='DELIVER (Zhang et al., CVPR 2023, Sec. 3.2): 7,885 frames, 3,983 / 2,005 / '
        '1,897'),
    'MUSESDataset': dict(
        train=1500, val=250, test=750,
        source='MUSES (Brödermann et al., ECCV 2024, Sec. 3): 2,500 frames, 1,500 / 250 / 750'),
}
GROUPS = ('condition', 'case', 'time')
#: Cases whose modalities are stored at a lower resolution by design (DELIVER's low-resolution
#: event camera); anywhere else a modality of another size is an error even where the config
#: would resize it.
LOW_RESOLUTION_CASES = {'eventlowres': ('event', )}


@dataclass
class Finding:
    """One problem: ``severity`` is ``'error'`` (stops or breaks a training) or ``'warning'``."""
    severity: str
    kind: str
    path: str
    detail: str


@dataclass
class SplitReport:
    """What one split holds and what is wrong with it."""
    split: str
    frames: int = 0
    release: Optional[int] = None
    groups: Dict[str, Dict[str, int]] = field(default_factory=dict)
    modalities: Dict[str, dict] = field(default_factory=dict)
    findings: List[Finding] = field(default_factory=list)

    @property
    def errors(self) -> List[Finding]:
        return [f for f in self.findings if f.severity == 'error']

    def to_dict(self) -> dict:
        return dict(asdict(self), errors=len(self.errors),
                    warnings=len(self.findings) - len(self.errors))


def truncation(path: str) -> Optional[str]:
    """Why an image file is empty or cut short, or None."""
    with open(path, 'rb') as f:
        return damage(f.read(), path)


def bit_depth(path: str) -> str:
    """How a modality file stores its values: a PNG's bit depth, or the array file's type."""
    with open(path, 'rb') as f:
        bits = png_bit_depth(f.read(32))
    if bits is not None:
        return f'{bits}-bit PNG'
    return osp.splitext(path)[1].lstrip('.') or 'unknown'


def dataset_cfg_of(cfg: Config, split: str) -> dict:
    """The config's dataset for a split, without its pipeline, listing missing files.

    The loader whose dataset already has that split is used; otherwise the training
    dataset with its split replaced.
    """
    loaders = [cfg.get(k) for k in ('train_dataloader', 'val_dataloader', 'test_dataloader')]
    datasets = [copy.deepcopy(loader['dataset']) for loader in loaders if loader]
    if not datasets:
        raise ValueError('the config has no train_dataloader, val_dataloader or test_dataloader')
    dataset = next((d for d in datasets if d.get('split') == split), datasets[0])
    dataset.update(split=split, pipeline=[], missing_modality='missing')
    return dataset


def loading_transforms(cfg: Config):
    """The config's image and label loaders, the images left at their stored size."""
    pipeline = cfg.get('test_pipeline') or cfg.test_dataloader.dataset.pipeline
    images = next((t for t in pipeline if t['type'] == 'LoadMultiModalImages'), None)
    labels = next((t for t in pipeline if t['type'] == 'LoadMultiModalAnnotations'),
                  dict(type='LoadMultiModalAnnotations'))
    resized = dict((images or {}).get('resize_to_reference') or {})
    image_loader = LoadMultiModalImages(backend_args=(images or {}).get('backend_args'))
    label_loader = TRANSFORMS.build(copy.deepcopy(labels))
    return image_loader, label_loader, resized


def release_of(cfg: Config, split: str) -> Optional[dict]:
    """The frame counts the config's dataset should have (None: not compared)."""
    if 'release_frames' in cfg:
        return cfg.release_frames
    dataset = dataset_cfg_of(cfg, split)
    splits_file = osp.join(str(dataset.get('data_root', '')), SPLITS_FILE)
    if osp.isfile(splits_file):
        with open(splits_file) as f:
            return json.load(f)
    return RELEASE_FRAMES.get(dataset['type'])


def check_sample(info: dict, image_loader: LoadMultiModalImages,
                 label_loader: LoadMultiModalAnnotations, resized: Dict[str, str]) -> tuple:
    """Decode every file of one sample.

    Returns:
        tuple: the findings and, per modality, ``(shape, bit depth, share of non-empty
        pixels)`` for the files that decoded.
    """
    findings, stats, shapes = [], {}, {}
    decoders = info.get('modality_decoders') or {}
    for modality, present in zip(info['modalities'], info['modality_present']):
        path = info['modality_paths'][modality]
        if not present:
            findings.append(Finding('error', 'missing file', path, f'no {modality} file'))
            continue
        cut = truncation(path)
        if cut:
            findings.append(Finding('error', 'truncated file', path, cut))
            continue
        try:
            image = image_loader.load_file(path, decoders.get(modality, 'color'))
        except (ValueError, OSError, KeyError) as error:
            findings.append(Finding('error', 'unreadable file', path, str(error)))
            continue
        shapes[modality] = image.shape[:2]
        stats[modality] = (image.shape[:2], bit_depth(path),
                           float(np.any(image != 0, axis=-1).mean()))
    fixed = [m for m in shapes if m not in resized]
    reference = (fixed[0] if fixed else next(iter(shapes))) if shapes else None
    if shapes:
        for modality, shape in shapes.items():
            if shape == shapes[reference]:
                continue
            path = info['modality_paths'][modality]
            size = f'{shape[1]}x{shape[0]} where {reference} is ' \
                   f'{shapes[reference][1]}x{shapes[reference][0]}'
            by_design = modality in LOW_RESOLUTION_CASES.get(info.get('case'), ())
            if modality in resized and by_design:
                findings.append(Finding('warning', 'resized modality', path,
                                        f'{size}; the config resizes it ({resized[modality]})'))
            elif modality in resized:
                findings.append(Finding('error', 'size mismatch', path,
                                        f'{size} outside the {info.get("case")!r} case: the '
                                        f'config would resize it ({resized[modality]}) and '
                                        'train on a blurred frame'))
            else:
                findings.append(Finding('error', 'size mismatch', path,
                                        f'{size}; the loader refuses it (the config does not '
                                        'list it in resize_to_reference)'))
    label_path = info['seg_map_path']
    cut = truncation(label_path) if osp.isfile(label_path) else 'file not found'
    if cut:
        findings.append(Finding('error', 'truncated file' if cut != 'file not found'
                                else 'missing file', label_path, cut))
        return findings, stats
    try:
        label = label_loader(dict(info, seg_fields=[]))['gt_seg_map']
    except (ValueError, OSError) as error:
        kind = 'label out of range' if 'not class ids' in str(error) else 'unreadable file'
        findings.append(Finding('error', kind, label_path, str(error)))
        return findings, stats
    if np.all(label == label_loader.ignore_index):
        findings.append(Finding('warning', 'empty label', label_path,
                                'every pixel is ignored: the frame trains nothing'))
    if reference is not None and label.shape != shapes[reference]:
        height, width = shapes[reference]
        findings.append(Finding('error', 'size mismatch', label_path,
                                f'label {label.shape[1]}x{label.shape[0]} where {reference} is '
                                f'{width}x{height}'))
    return findings, stats


def check_split(cfg: Config, split: str, workers: int = 0,
                progress: Optional[Callable[[int, int], None]] = None) -> SplitReport:
    """Every sample of one split of a config's dataset, decoded through its loaders.

    Args:
        cfg: The training or test config.
        split: ``'train'``, ``'val'`` or ``'test'``.
        workers: Processes that decode samples (0: this one).
        progress: Called with (samples done, samples in all) as the check goes.
    """
    report = SplitReport(split=split)
    dataset_cfg = dataset_cfg_of(cfg, split)
    try:
        dataset = DATASETS.build(dataset_cfg)
    except (FileNotFoundError, ValueError) as error:
        report.findings.append(Finding('error', 'no samples',
                                       str(dataset_cfg.get('data_root')), str(error)))
        return report
    image_loader, label_loader, resized = loading_transforms(cfg)
    infos = [dataset.get_data_info(i) for i in range(len(dataset))]
    report.frames = len(infos)
    release = release_of(cfg, split)
    if release is not None and split in release:
        report.release = release[split]
        if report.frames < release[split]:
            report.findings.append(Finding(
                'error', 'fewer frames than the release', str(dataset_cfg.get('data_root')),
                f'{report.frames} {split} frames where the release has {release[split]} '
                f'({release.get("source", "release_frames of the config")})'))
    for group in GROUPS:
        counts = Counter(info[group] for info in infos if group in info)
        if counts:
            report.groups[group] = dict(sorted(counts.items()))
    per_modality: Dict[str, dict] = {}
    check = partial(check_sample, image_loader=image_loader, label_loader=label_loader,
                    resized=resized)
    pool = Pool(workers) if workers > 0 else None
    results = pool.imap(check, infos, chunksize=8) if pool else map(check, infos)
    for index, (findings, stats) in enumerate(results):
        report.findings += findings
        for modality, (shape, depth, filled) in stats.items():
            entry = per_modality.setdefault(modality, dict(sizes=Counter(), storage=Counter(),
                                                           non_empty=[]))
            entry['sizes'][f'{shape[1]}x{shape[0]}'] += 1
            entry['storage'][depth] += 1
            entry['non_empty'].append(filled)
        if progress is not None:
            progress(index + 1, len(infos))
    if pool:
        pool.close()
    report.modalities = {
        m: dict(sizes=dict(e['sizes']), storage=dict(e['storage']),
                non_empty_share=float(np.mean(e['non_empty'])))
        for m, e in per_modality.items()}
    return report


def report_markdown(reports: Sequence[SplitReport], listed: int = 20) -> str:
    """One table per check: frames and problems per split, then the first problems."""
    lines = ['| split | frames | release | errors | warnings | by kind |',
             '|---|---:|---:|---:|---:|---|']
    for r in reports:
        kinds = Counter(f.kind for f in r.findings)
        lines.append(f'| {r.split} | {r.frames} | {r.release if r.release else "-"} | '
                     f'{len(r.errors)} | {len(r.findings) - len(r.errors)} | '
                     + (', '.join(f'{k}: {n}' for k, n in sorted(kinds.items())) or 'none')
                     + ' |')
    for r in reports:
        for group, counts in r.groups.items():
            lines.append(f'{r.split} frames by {group}: '
                         + ', '.join(f'{k} {n}' for k, n in counts.items()))
        for modality, m in r.modalities.items():
            lines.append(f'{r.split} {modality}: sizes '
                         + ', '.join(f'{k} ({n})' for k, n in m['sizes'].items())
                         + '; stored as ' + ', '.join(f'{k} ({n})' for k, n in m['storage'].items())
                         + f'; non-empty pixels {100 * m["non_empty_share"]:.1f}%')
    findings = [f for r in reports for f in sorted(r.findings, key=lambda f: f.severity)]
    if findings:
        lines += ['', f'First {min(listed, len(findings))} of {len(findings)} problems:']
        lines += [f'- {f.severity}: {f.kind}: {f.path}: {f.detail}' for f in findings[:listed]]
    return '\n'.join(lines)
