"""Latency of an exported anymodal model in onnxruntime against PyTorch eager, same model and size.

For each ``--sizes`` entry the model (weights from ``--checkpoint``, else its initialisation:
latency does not depend on them) is exported to a temporary ONNX file and run on ``--frames``
random frames with every modality present, after ``--warmup`` runs, in PyTorch eager
(``torch.no_grad``, the same graph module that is exported) and in onnxruntime (CPU execution
provider, and CUDA where onnxruntime has it). Prints the median latency of each and their
ratio, measured in one run, and writes them as JSON with ``--out``.

    python tools/deployment/benchmark_onnx.py configs/synthetic/anyseg_segb0_synthetic.py \
        --sizes 512 1024 --frames 5
"""
import argparse
import json
import os.path as osp
import statistics
import sys
import tempfile
import time

import torch

from mmseg_anyseg.apis import init_anymodal_model
from mmseg_anyseg.deployment import OnnxAnymodalGraph

sys.path.insert(0, osp.dirname(osp.abspath(__file__)))
from export_onnx import export  # noqa: E402


def parse_args(argv=None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument('config', help='model or distiller config (the student is timed)')
    parser.add_argument('--checkpoint', help='weights (optional)')
    parser.add_argument('--sizes', type=int, nargs='+', default=[512, 1024])
    parser.add_argument('--frames', type=int, default=5)
    parser.add_argument('--warmup', type=int, default=2)
    parser.add_argument('--missing', choices=('drop', 'zero'))
    parser.add_argument('--out', help='JSON file for the figures')
    return parser.parse_args(argv)


def median_seconds(run, frames: int, warmup: int) -> float:
    for _ in range(warmup):
        run()
    times = []
    for _ in range(frames):
        start = time.perf_counter()
        run()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def main(argv=None) -> int:
    import onnxruntime as ort
    args = parse_args(argv)
    model = init_anymodal_model(args.config, args.checkpoint)
    graph = OnnxAnymodalGraph(model, args.missing).eval()
    num_mod = len(model.data_preprocessor.modalities)
    providers = ['CPUExecutionProvider']
    if 'CUDAExecutionProvider' in ort.get_available_providers():
        providers.insert(0, 'CUDAExecutionProvider')
    results = []
    print(f'{type(model.backbone).__name__}, {num_mod} modalities, missing={graph.missing!r}, '
          f'torch {torch.__version__} ({torch.get_num_threads()} threads), onnxruntime '
          f'{ort.__version__} ({", ".join(providers)})', flush=True)
    for size in args.sizes:
        shape = (size, size)
        inputs = torch.rand(1, num_mod, 3, *shape) * 255
        mask = torch.ones(1, num_mod, dtype=torch.bool)
        with tempfile.TemporaryDirectory() as tmp:
            path = osp.join(tmp, 'model.onnx')
            export(graph, num_mod, shape, path, 17)
            row = dict(size=size, frames=args.frames)
            with torch.no_grad():
                row['torch_eager_s'] = median_seconds(lambda: graph(inputs, mask), args.frames,
                                                      args.warmup)
            feed = {'inputs': inputs.numpy(), 'modality_mask': mask.numpy()}
            for provider in providers:
                session = ort.InferenceSession(path, providers=[provider])
                key = 'onnxruntime_' + provider.replace('ExecutionProvider', '').lower() + '_s'
                row[key] = median_seconds(lambda: session.run(None, feed), args.frames,
                                          args.warmup)
        ratios = ', '.join(f'{k[len("onnxruntime_"):-2]} {row["torch_eager_s"] / v:.2f}x'
                           for k, v in row.items() if k.startswith('onnxruntime_'))
        print(f'{size}x{size}: torch eager {1000 * row["torch_eager_s"]:.0f} ms, ' + ', '.join(
            f'{k[:-2]} {1000 * v:.0f} ms' for k, v in row.items()
            if k.startswith('onnxruntime_')) + f'; speed-up of onnxruntime: {ratios}', flush=True)
        results.append(row)
    if args.out:
        with open(args.out, 'w') as f:
            json.dump(dict(config=args.config, torch_threads=torch.get_num_threads(),
                           results=results), f, indent=2)
    return 0


if __name__ == '__main__':
    sys.exit(main())
