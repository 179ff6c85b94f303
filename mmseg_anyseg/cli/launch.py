"""Run mmseg's distributed launchers on machines without CUDA (gloo on CPU)."""
import argparse
import os
from typing import Optional

import torch
import torch.distributed as dist
from mmengine.config import Config, DictAction
from mmengine.runner import find_latest_checkpoint


def add_runner_args(parser: argparse.ArgumentParser) -> None:
    """Options that ``tools/train.py`` and ``tools/test.py`` share with mmseg's tools."""
    parser.add_argument('--work-dir', help='the dir to save logs, models and metrics')
    parser.add_argument('--cfg-options', nargs='+', action=DictAction,
                        help='override settings in the config, key=value')
    parser.add_argument('--launcher', choices=['none', 'pytorch', 'slurm', 'mpi'],
                        default='none', help='job launcher')
    parser.add_argument('--local_rank', '--local-rank', type=int, default=0)


def parse_runner_args(parser: argparse.ArgumentParser) -> argparse.Namespace:
    """Parse, and export ``LOCAL_RANK`` for launchers that pass ``--local-rank``."""
    args = parser.parse_args()
    os.environ.setdefault('LOCAL_RANK', str(args.local_rank))
    return args


def load_tool_config(config: str, launcher: str, cfg_options: Optional[dict],
                     work_dir: Optional[str]) -> Config:
    """Config for ``tools/train.py`` and ``tools/test.py``, as mmseg's tools build it.

    Applies ``--cfg-options``, sets the launcher and the work dir (default:
    ``./work_dirs/<config name>``).
    """
    cfg = Config.fromfile(config)
    cfg.launcher = launcher
    if cfg_options is not None:
        cfg.merge_from_dict(cfg_options)
    if work_dir is not None:
        cfg.work_dir = work_dir
    elif cfg.get('work_dir') is None:
        cfg.work_dir = os.path.join('./work_dirs', os.path.splitext(os.path.basename(config))[0])
    return cfg


def resume_from_work_dir(cfg: Config, resume: bool) -> None:
    """Point ``--resume`` at the work dir's latest checkpoint, never at ``load_from``.

    mmengine resumes from ``load_from`` whenever it is set, so a config that starts from
    other weights (``load_from``: a teacher's, a pretrained segmentor's) would restore that
    run's iteration, optimizer and schedule instead of its own. Here ``--resume`` continues
    from the latest checkpoint in ``cfg.work_dir`` (``load_from`` was already folded into
    it); with none there the training starts anew, from ``load_from`` if set.

    Args:
        cfg (Config): The tool's config, its ``work_dir`` set; ``resume`` and
            ``load_from`` are set in place.
        resume (bool): Whether ``--resume`` was passed.
    """
    latest = find_latest_checkpoint(cfg.work_dir) if resume else None
    cfg.resume = latest is not None
    if latest is not None:
        cfg.load_from = latest


def check_load_from(cfg: Config) -> None:
    """Add ``LoadFromCoverageHook`` to a training that starts from ``load_from``.

    A checkpoint that fills little of the model (one written by another model class) then
    stops the training before its first iteration, instead of training from the random
    initialisation it was meant to replace. A resumed training and a config that already
    lists the hook are left as they are.

    Args:
        cfg (Config): The tool's config, after ``resume_from_work_dir``; ``custom_hooks``
            is extended in place.
    """
    if not cfg.get('load_from') or cfg.get('resume', False):
        return
    hooks = list(cfg.get('custom_hooks', []))
    if not any(hook.get('type') == 'LoadFromCoverageHook' for hook in hooks):
        cfg.custom_hooks = hooks + [dict(type='LoadFromCoverageHook')]


def teardown_distributed() -> None:
    """Wait for every rank, then destroy the process group.

    Without this, a rank that leaves while gloo's threads still run can abort
    with ``terminate called without an active exception`` at interpreter exit.
    """
    if dist.is_available() and dist.is_initialized():
        dist.barrier()
        dist.destroy_process_group()


def setup_distributed_on_cpu(cfg: Config, launcher: str) -> None:
    """Prepare a ``torchrun`` launch on a machine without CUDA.

    mmengine's ``init_dist`` always selects a CUDA device and mmseg's default
    backend is nccl. Without CUDA, this initialises the gloo process group
    itself (mmengine then skips its own initialisation) and wraps the model in
    ``DeviceAgnosticDDP`` (:mod:`mmseg_anyseg.models.wrappers`). Does nothing with CUDA or without a launcher.
    """
    if launcher == 'none' or torch.cuda.is_available():
        return
    cfg.setdefault('env_cfg', {}).setdefault('dist_cfg', {})['backend'] = 'gloo'
    cfg.model_wrapper_cfg = dict(type='DeviceAgnosticDDP',
                                 find_unused_parameters=cfg.get('find_unused_parameters', False))
    cfg.pop('find_unused_parameters', None)
    if launcher == 'pytorch' and not dist.is_initialized():
        dist.init_process_group(backend='gloo', rank=int(os.environ['RANK']),
                                world_size=int(os.environ['WORLD_SIZE']))
