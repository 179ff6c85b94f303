"""Score one checkpoint under every scenario of the sensor-failure benchmark.

Runs ``tools/test.py --scenario`` for each scenario of
``configs/_base_/robustness/`` (EMM with missing modalities dropped and
zero-filled, RMM at rates 0.25/0.5/0.75, NM at low/mid/high noise) and writes
``OUT/robustness.json`` (every scenario's per-subset results, aggregates and
protocol), ``OUT/robustness.md`` (the benchmark's figures: mIoU^Avg,
mIoU^E(p) and the all-modality mIoU, which for NM is mIoU^NM) and
``OUT/robustness.png``::

    python tools/analysis_tools/robustness_benchmark.py CONFIG CKPT --out out/robustness
    python tools/analysis_tools/robustness_benchmark.py --compare A/robustness.json \
        B/robustness.json --out out/compare

With ``--compare``, files that hold the same model name are its seeds: the table
and the chart give their mean ± std.
"""
import argparse
import json
import os
import os.path as osp
import subprocess
import sys
import time

from mmengine.config import Config
from mmseg.registry import MODELS

from mmseg_anyseg.models import inference_model_cfg
from mmseg_anyseg.models import AnymodalBackbone
from mmseg_anyseg.reports import robustness_markdown
from mmseg_anyseg.robustness import shipped_scenarios
from mmseg_anyseg.visualization import plot_robustness

TOOLS = osp.dirname(osp.dirname(osp.abspath(__file__)))


def can_drop_modalities(config: str) -> bool:
    """Whether the predicting model's backbone can leave a modality out (not CMNeXt, CMX)."""
    backbone = MODELS.get(inference_model_cfg(Config.fromfile(config).model).backbone.type)
    if not (isinstance(backbone, type) and issubclass(backbone, AnymodalBackbone)):
        raise TypeError(f'{config}: the backbone {backbone} is not an AnymodalBackbone')
    return backbone.can_drop_modalities


def run_scenarios(args) -> dict:
    scenarios = {}
    if 'emm_drop' in args.scenarios and not can_drop_modalities(args.config):
        print('emm_drop skipped: the model has a fixed branch per modality, which can only '
              'see a missing modality as a zero image (emm_zero)')
        args.scenarios = [name for name in args.scenarios if name != 'emm_drop']
    started = time.time()
    for index, name in enumerate(args.scenarios, 1):
        out = osp.join(args.out, name)
        json_file = osp.join(out, 'anymodal.json')
        print(f'[{index}/{len(args.scenarios)}] {shipped_scenarios()[name]["label"]} ... ', end='', flush=True)
        tick = time.time()
        if not osp.isfile(json_file):
            cmd = [sys.executable, osp.join(TOOLS, 'test.py'), args.config, args.checkpoint,
                   '--scenario', shipped_scenarios()[name]['path'],
                   '--work-dir', out, '--anymodal-out', out, '--model-name', args.model_name]
            if args.cfg_options:
                cmd += ['--cfg-options', *args.cfg_options]
            with open(osp.join(args.out, f'{name}.log'), 'w') as log:
                result = subprocess.run(cmd, stdout=log, stderr=subprocess.STDOUT)
            if result.returncode:
                raise SystemExit(f'{name} failed (exit {result.returncode}); see '
                                 f'{osp.join(args.out, name + ".log")}')
        with open(json_file) as f:
            scenarios[name] = json.load(f)
        print(f'{time.time() - tick:.0f} s')
    print(f'all scenarios: {time.time() - started:.0f} s')
    return {args.model_name: scenarios}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument('config', nargs='?', help='test config')
    parser.add_argument('checkpoint', nargs='?', help='checkpoint')
    parser.add_argument('--out', required=True, help='output directory (or prefix with '
                        '--compare)')
    parser.add_argument('--model-name', default='model')
    parser.add_argument('--scenarios', nargs='+', default=list(shipped_scenarios()),
                        choices=list(shipped_scenarios()))
    parser.add_argument('--compare', nargs='+', help='robustness.json files of several '
                        'models (the same model in several: its seeds): write one table and '
                        'chart instead of running')
    parser.add_argument('--cfg-options', nargs='+', help='passed to tools/test.py')
    args = parser.parse_args()
    if args.compare:
        models = {}
        for path in args.compare:
            with open(path) as f:
                for name, scenarios in json.load(f).items():
                    models.setdefault(name, []).append(scenarios)
        prefix = args.out
    else:
        if not (args.config and args.checkpoint):
            parser.error('CONFIG and CHECKPOINT are needed unless --compare is given')
        os.makedirs(args.out, exist_ok=True)
        run = run_scenarios(args)
        with open(osp.join(args.out, 'robustness.json'), 'w') as f:
            json.dump(run, f, indent=2)
        models = {name: [scenarios] for name, scenarios in run.items()}
        prefix = osp.join(args.out, 'robustness')
    os.makedirs(osp.dirname(osp.abspath(prefix)), exist_ok=True)
    table = robustness_markdown(models)
    with open(f'{prefix}.md', 'w') as f:
        f.write(table + '\n')
    plot_robustness(models, f'{prefix}.png')
    print(table)
    print(f'\nwritten: {prefix}.md, {prefix}.png' + ('' if args.compare else
                                                      f', {prefix}.json'))


if __name__ == '__main__':
    main()
