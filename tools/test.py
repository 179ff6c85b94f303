"""Test a segmentor with mmseg's Runner (mmseg's tools/test.py, plugin loaded).

With ``AnymodalIoUMetric`` as the test evaluator, ``--anymodal-out DIR``
writes ``DIR/anymodal.json``, ``DIR/anymodal.md`` and ``DIR/anymodal.png``.

Examples::

    python tools/test.py configs/synthetic/anyseg_segb0_synthetic.py CKPT --anymodal-out out/
    bash tools/dist_test.sh CONFIG CKPT 2
    python tools/test.py CONFIG CKPT --scenario configs/_base_/robustness/rmm_r050.py

``--scenario`` applies one sensor-failure scenario of the robustness benchmark
(missing-modality convention and test-time corruption) to the predicting model;
``tools/analysis_tools/robustness_benchmark.py`` runs all of them.
"""
import argparse
import os
import os.path as osp

from mmengine.config import Config
from mmengine.dist import is_main_process
from mmengine.model import is_model_wrapper
from mmengine.runner import Runner

import mmseg_anyseg  # noqa: F401  (registers the plugin)
from mmseg_anyseg.cli import (add_runner_args, load_tool_config,
                                parse_runner_args, setup_distributed_on_cpu,
                                teardown_distributed)
from mmseg_anyseg.models import load_predicting_weights
from mmseg_anyseg.reports import anymodal_markdown, load_anymodal_results
from mmseg_anyseg.robustness import apply_test_scenario
from mmseg_anyseg.visualization import plot_anymodal


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description='Test (and evaluate) a segmentor')
    parser.add_argument('config', help='test config file path')
    parser.add_argument('checkpoint', help='checkpoint file')
    parser.add_argument('--out', help='dir to save the predicted label maps')
    parser.add_argument('--show-dir', help='dir to save painted predictions')
    parser.add_argument('--anymodal-out', help='dir to save the anymodal JSON, table and chart')
    parser.add_argument('--model-name', help='model name in the anymodal table (default: '
                        'the config name)')
    parser.add_argument('--scenario', help='a robustness scenario to apply: a shipped name '
                        '(rmm_r050; configs/_base_/robustness/) or a file')
    add_runner_args(parser)
    return parse_runner_args(parser)


def _anymodal_evaluators(cfg: Config) -> list:
    evaluators = cfg.test_evaluator
    evaluators = evaluators if isinstance(evaluators, list) else [evaluators]
    return [e for e in evaluators if e.get('type') == 'AnymodalIoUMetric']


def main() -> None:
    args = parse_args()
    cfg = load_tool_config(args.config, args.launcher, args.cfg_options, args.work_dir)
    name = args.model_name or osp.splitext(osp.basename(args.config))[0]
    cfg.load_from = None  # loaded below into the predicting model, with a clear mismatch error
    if args.scenario:
        apply_test_scenario(cfg, args.scenario)
    if args.out is not None:
        cfg.test_evaluator['output_dir'] = args.out
        cfg.test_evaluator['keep_results'] = True
    if args.show_dir is not None:
        hook = cfg.default_hooks.visualization
        hook.update(draw=True, interval=1)
        cfg.visualizer['save_dir'] = args.show_dir
    json_file = None
    if args.anymodal_out:
        evaluators = _anymodal_evaluators(cfg)
        if not evaluators:
            raise ValueError('--anymodal-out needs test_evaluator=dict(type="AnymodalIoUMetric")')
        os.makedirs(args.anymodal_out, exist_ok=True)
        json_file = osp.join(args.anymodal_out, 'anymodal.json')
        for evaluator in evaluators:
            evaluator.update(out_file=json_file, model_name=name)
    setup_distributed_on_cpu(cfg, args.launcher)
    runner = Runner.from_cfg(cfg)
    model = runner.model.module if is_model_wrapper(runner.model) else runner.model
    submodule = getattr(model, 'predicting_submodule', None)  # a distiller predicts with it
    predicting = getattr(model, submodule) if submodule else model
    try:
        load_predicting_weights(predicting, args.checkpoint, args.config)
    except ValueError as error:
        raise SystemExit(f'tools/test.py: {error}') from None
    runner.test()
    teardown_distributed()
    if json_file and is_main_process():
        results = load_anymodal_results([json_file])
        table = anymodal_markdown(results)
        with open(osp.join(args.anymodal_out, 'anymodal.md'), 'w') as f:
            f.write(table + '\n')
        plot_anymodal(results, osp.join(args.anymodal_out, 'anymodal.png'))
        print(table)
        print(f'anymodal table and chart written to {osp.abspath(args.anymodal_out)}')


if __name__ == '__main__':
    main()
