"""Switch sensors off and watch the segmentation hold: a local web app (Gradio).

Pick a frame of a dataset tree (its weather condition and failure case in its name) or upload
your own modality files, turn each sensor on or off, make one fail, and see every model's
prediction of that subset beside the inputs and the ground truth, with the subset's mIoU on
the frame and, from an anymodal JSON, on the whole dataset::

    python tools/demo/anymodal_app.py configs/synthetic/anyseg_segb0_synthetic.py STUDENT.pth \
        --compare configs/synthetic/pml_segb0_synthetic.py TEACHER.pth \
        --anymodal-json work_dirs/quickstart/raw/AnySeg_600_it/seed0-*/anymodal.json

With ``--onnx model.onnx`` (written by ``tools/deployment/export_onnx.py``) the exported model
segments as well, by onnxruntime alone (``tools/deployment/onnx_demo.py``'s runtime): give it
alone (``CONFIG --onnx model.onnx``; the config still lays out the dataset tree) or beside the
checkpoint, to compare the two.

It binds to 127.0.0.1 (``--host 0.0.0.0`` to share it) and needs the ``demo`` extra
(``pip install -e .[demo]``; ``tools/setup_env.sh`` installs it).
"""
import argparse
import os.path as osp
import sys
from typing import Dict, List, Optional

import numpy as np
from mmengine.config import Config
from mmseg.registry import DATASETS
from PIL import Image

from mmseg_anyseg.apis import init_anymodal_model
from mmseg_anyseg.apis.demo import (SENSOR_FAILURES, dataset_scores, frame_miou, list_frames,
                                    predict_subset, read_label, subset_of)
from mmseg_anyseg.visualization import colourise


def parse_args(argv=None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument('config', help='model or distiller config (its test dataset is the '
                        "frame picker's tree)")
    parser.add_argument('checkpoint', nargs='?', help='its checkpoint')
    parser.add_argument('--onnx', help='an exported model, run by onnxruntime')
    parser.add_argument('--compare', nargs=2, metavar=('CONFIG', 'CHECKPOINT'),
                        help='a second model shown beside the first (e.g. the teacher)')
    parser.add_argument('--data', help="dataset root in the config's layout (default: the "
                        "config's test data_root)")
    parser.add_argument('--split', default='val')
    parser.add_argument('--anymodal-json', help='anymodal.json of the first model: the '
                        'dataset-level score of each subset')
    parser.add_argument('--host', default='127.0.0.1')
    parser.add_argument('--port', type=int, default=7860)
    args = parser.parse_args(argv)
    if args.checkpoint is None and args.onnx is None:
        parser.error('give the checkpoint of the config, or --onnx model.onnx')
    return args


class OnnxModel:
    """An exported anymodal model that segments through onnxruntime, without torch.

    Args:
        path: The ``.onnx`` file with its deployment metadata.
    """

    def __init__(self, path: str) -> None:
        runtime_dir = osp.join(osp.dirname(osp.dirname(osp.abspath(__file__))), 'deployment')
        if runtime_dir not in sys.path:  # onnx_demo.py: the torch-free runtime, one copy
            sys.path.insert(0, runtime_dir)
        import onnx_demo
        import onnxruntime
        if not osp.isfile(path):
            raise SystemExit(f'--onnx {path!r}: no such file (write one with '
                             'tools/deployment/export_onnx.py)')
        self.runtime = onnx_demo
        self.session = onnxruntime.InferenceSession(path, providers=['CPUExecutionProvider'])
        self.meta = onnx_demo.read_metadata(self.session, path)

    def segment(self, files: Dict[str, str]) -> np.ndarray:
        """``H x W`` class ids; a file it cannot take raises ValueError naming it."""
        try:
            return self.runtime.segment(self.session, self.meta, files)
        except SystemExit as error:  # the runtime's messages, shown in the page
            raise ValueError(str(error)) from None


def read_rgb(path: str) -> np.ndarray:
    return np.asarray(Image.open(path).convert('RGB'))


class AnymodalDemo:
    """The state of the app: models, frames, scores; :meth:`update` renders one view."""

    def __init__(self, args: argparse.Namespace) -> None:
        self.models = []
        if args.checkpoint:
            self.models.append((osp.splitext(osp.basename(args.config))[0],
                                init_anymodal_model(args.config, args.checkpoint)))
        if args.onnx:
            self.models.append((osp.basename(args.onnx), OnnxModel(args.onnx)))
        if args.compare:
            self.models.append((osp.splitext(osp.basename(args.compare[0]))[0],
                                init_anymodal_model(*args.compare)))
        first = self.models[0][1]
        if isinstance(first, OnnxModel):
            self.modalities = list(first.meta['modalities'])
            self.palette = first.meta['palette']
            self.num_classes = len(first.meta['classes'])
        else:
            self.modalities = list(first.data_preprocessor.modalities)
            self.palette = (first.dataset_meta or {}).get('palette')
            self.num_classes = first.out_channels
        cfg = Config.fromfile(args.config)
        self.test_dataset = cfg.test_dataloader.dataset
        if not self.palette:  # a checkpoint saved without dataset_meta
            self.palette = DATASETS.get(self.test_dataset['type']).METAINFO['palette']
        self.frames = list_frames(cfg, args.data, args.split)
        self.scores = dataset_scores(args.anymodal_json)

    def files_of(self, frame_name: str, uploads: Dict[str, Optional[str]]) -> tuple:
        """The modality files and label of the view: the uploads if any, else the frame."""
        given = {m: path for m, path in uploads.items() if path}
        if given:
            return given, None
        frame = next((f for f in self.frames if f.name == frame_name), None)
        if frame is None:
            raise ValueError(f'no frame {frame_name!r}')
        return frame.files, frame.label

    def update(self, frame_name: str, sensors_on: List[str], failed: str, failure: str,
               *uploads: Optional[str]) -> tuple:
        """Inputs strip, ground truth, one prediction per model and the Markdown summary."""
        blank = (None, None) + (None, ) * len(self.models)
        try:
            files, label_path = self.files_of(frame_name, dict(zip(self.modalities, uploads)))
            on = [m for m in self.modalities if m in sensors_on and m in files]
            failed = failed if failed in on else None
            preds = [predict_subset(model, files, on, failed, failure)
                     for _, model in self.models]
        except (ValueError, OSError, KeyError) as error:
            return blank + (f'**Cannot segment this view.** {error}', )
        strip = np.concatenate([read_rgb(files[m]) if m in on else
                                np.zeros_like(read_rgb(files[m])) for m in self.modalities
                                if m in files], axis=1)
        label = None
        name = subset_of(self.modalities, on)
        lines = [f'**Subset {name}** ({", ".join(on)} on' +
                 (f'; {failed} failing: {failure}' if failed else '') + ')']
        gt = None
        if label_path:
            gt = read_label(self.test_dataset, label_path)
            label = colourise(gt, self.palette)
        for (model_name, _), pred in zip(self.models, preds):
            score = f'{frame_miou(pred, gt, self.num_classes):.1f}' if gt is not None else '-'
            lines.append(f'- {model_name}: mIoU on this frame {score}')
        if name in self.scores:
            lines.append(f'- {self.models[0][0]} on the whole dataset, subset {name}: '
                         f'{self.scores[name]:.2f} mIoU')
        return (strip, label, *[colourise(p, self.palette) for p in preds], '\n'.join(lines))


def build_app(demo: AnymodalDemo):
    """The page: controls on the left, images and the summary on the right."""
    import gradio as gr
    with gr.Blocks(title='AnySeg: any subset of sensors') as app:
        gr.Markdown('# Switch sensors off and watch the segmentation hold\n'
                    'Pick a frame (weather / failure case / frame), turn sensors on and off, '
                    'make one fail; every model segments the subset that is on.')
        with gr.Row():
            with gr.Column(scale=1):
                frame = gr.Dropdown([f.name for f in demo.frames], label='Frame',
                                    value=demo.frames[0].name if demo.frames else None)
                sensors = gr.CheckboxGroup(demo.modalities, value=demo.modalities,
                                           label='Sensors on', elem_id='sensors')
                failed = gr.Dropdown(['none'] + demo.modalities, value='none',
                                     label='Fail a sensor', elem_id='failed')
                failure = gr.Radio(list(SENSOR_FAILURES), value=SENSOR_FAILURES[0],
                                   label='How it fails')
                with gr.Accordion('Or upload your own frame', open=False):
                    uploads = [gr.File(label=m, type='filepath', elem_id=f'upload-{m}')
                               for m in demo.modalities]
            with gr.Column(scale=3):
                strip = gr.Image(label='Inputs (' + ', '.join(demo.modalities) + ')',
                                 elem_id='inputs')
                with gr.Row():
                    truth = gr.Image(label='Ground truth', elem_id='truth')
                    preds = [gr.Image(label=name, elem_id=f'prediction-{i}')
                             for i, (name, _) in enumerate(demo.models)]
                info = gr.Markdown(elem_id='subset-info')
        controls = [frame, sensors, failed, failure, *uploads]
        outputs = [strip, truth, *preds, info]
        for control in controls:
            control.change(demo.update, controls, outputs)
        app.load(demo.update, controls, outputs)
    return app


def main(argv=None) -> int:
    args = parse_args(argv)
    try:
        import gradio  # noqa: F401
    except ImportError:
        print('error: the demo needs Gradio: pip install -e ".[demo]"', file=sys.stderr)
        return 2
    demo = AnymodalDemo(args)
    print(f'{len(demo.frames)} frames, models: {", ".join(n for n, _ in demo.models)}; '
          f'open http://{args.host}:{args.port}', flush=True)
    build_app(demo).launch(server_name=args.host, server_port=args.port, show_error=True)
    return 0


if __name__ == '__main__':
    sys.exit(main())
