"""Train a segmentor with mmseg's Runner (mmseg's tools/train.py, plugin loaded).

Examples::

    python tools/train.py configs/synthetic/pml_segb0_synthetic.py
    bash tools/dist_train.sh configs/anyseg/anyseg_segb0_deliver.py 4
"""
import argparse

import torch
from mmengine.runner import Runner

import mmseg_anyseg  # noqa: F401  (registers the plugin)
from mmseg_anyseg.cli import (add_runner_args, check_load_from, load_tool_config,
                                parse_runner_args, resume_from_work_dir,
                                setup_distributed_on_cpu, teardown_distributed)


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description='Train a segmentor')
    parser.add_argument('config', help='train config file path')
    parser.add_argument('--resume', action='store_true',
                        help='resume from the latest checkpoint in the work dir (never from '
                        'load_from, which only initialises a new training)')
    parser.add_argument('--amp', action='store_true',
                        help='automatic mixed precision: bf16 where the GPU supports it, else '
                        'fp16 (the losses compute in float32 either way)')
    add_runner_args(parser)
    return parse_runner_args(parser)


def main() -> None:
    args = parse_args()
    cfg = load_tool_config(args.config, args.launcher, args.cfg_options, args.work_dir)
    if args.amp:
        cfg.optim_wrapper.type = 'AmpOptimWrapper'
        cfg.optim_wrapper.setdefault('loss_scale', 'dynamic')
        bf16 = torch.cuda.is_available() and torch.cuda.is_bf16_supported()
        cfg.optim_wrapper.setdefault('dtype', 'bfloat16' if bf16 else 'float16')
    resume_from_work_dir(cfg, args.resume)
    check_load_from(cfg)
    setup_distributed_on_cpu(cfg, args.launcher)
    runner = Runner.from_cfg(cfg)
    runner.train()
    teardown_distributed()


if __name__ == '__main__':
    main()
