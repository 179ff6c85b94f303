"""ONNX export of anymodal models: onnxruntime equals PyTorch on every subset; the demo needs no torch."""
import importlib.util
import json
import os.path as osp
import subprocess
import sys

import numpy as np
import pytest
import torch
from mmengine.config import Config
from mmengine.runner import save_checkpoint
from mmseg.registry import MODELS
from PIL import Image

from tests.conftest import REPO_ROOT
from tests.helpers import TINY_MIT, anymodal_model, runner_cfg
from tests.test_models.test_segmentors.test_anyseg_distiller import distiller_cfg

pytest.importorskip('onnxruntime', reason='the deploy extra (onnx, onnxruntime) is not installed')
import onnx  # noqa: E402

TOOLS = osp.join(REPO_ROOT, 'tools', 'deployment')
LOGIT_TOLERANCE = 1e-4  # max absolute logit difference between onnxruntime and PyTorch


def load_tool(name: str):
    spec = importlib.util.spec_from_file_location(name, osp.join(TOOLS, f'{name}.py'))
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def model_files(tmp_path, data_root: str, model: dict, name: str, state=None) -> tuple:
    """A full config on the synthetic tree (64x64 test frames) and a checkpoint."""
    cfg = runner_cfg(str(tmp_path / name), data_root, model)
    cfg['test_dataloader']['dataset']['pipeline'].insert(
        2, dict(type='Resize', scale=(64, 64), keep_ratio=False))
    config = str(tmp_path / f'{name}.py')
    Config(cfg).dump(config)
    if state is None:
        torch.manual_seed(0)
        state = MODELS.build(model).state_dict()
    checkpoint = str(tmp_path / f'{name}.pth')
    save_checkpoint(dict(state_dict=state, meta=dict(iter=1)), checkpoint)
    return config, checkpoint


def export(config, checkpoint, out, *options):
    return load_tool('export_onnx').main([config, checkpoint, '--out', out, '--shape', '64', '64',
                                          '--frames', '2', *options])


def check_report(out: str, missing: str) -> dict:
    report = json.load(open(osp.splitext(out)[0] + '.verify.json'))
    assert report['missing'] == missing
    assert [r['subset'] for r in report['subsets']] == ['R', 'D', 'E', 'L', 'RD', 'RE', 'RL',
                                                        'DE', 'DL', 'EL', 'RDE', 'RDL', 'REL',
                                                        'DEL', 'RDEL']
    for row in report['subsets']:
        assert row['frames'] == 2
        assert row['argmax_agreement'] == 1.0, row
        assert row['max_abs_diff'] < LOGIT_TOLERANCE, row
    return report


@pytest.mark.slow
@pytest.mark.parametrize('missing', ['drop', 'zero'])
def test_pml_model_equals_pytorch_on_all_15_subsets(tmp_path, synthetic_deliver, missing):
    config, checkpoint = model_files(tmp_path, synthetic_deliver, anymodal_model(), 'pml')
    out = str(tmp_path / f'pml_{missing}.onnx')
    assert export(config, checkpoint, out, '--missing', missing) == 0
    check_report(out, missing)
    props = {p.key: p.value for p in onnx.load(out).metadata_props}
    assert json.loads(props['modalities']) == ['rgb', 'depth', 'event', 'lidar']
    assert json.loads(props['input_size']) == [64, 64]
    assert props['missing'] == missing and props['output'] == 'logits'
    assert len(json.loads(props['classes'])) == 25 == len(json.loads(props['palette']))
    assert json.loads(props['mean'])[0] == [120.0, 110.0, 100.0]
    graph = onnx.load(out).graph
    assert [i.name for i in graph.input] == ['inputs', 'modality_mask']
    dims = [d.dim_value for d in graph.input[0].type.tensor_type.shape.dim]
    assert dims == [1, 4, 3, 64, 64]


def test_the_mask_decides_the_fusion_and_an_empty_mask_gives_zero_logits(tmp_path,
                                                                          synthetic_deliver):
    import onnxruntime as ort
    config, checkpoint = model_files(tmp_path, synthetic_deliver, anymodal_model(), 'pml')
    out = str(tmp_path / 'pml.onnx')
    assert export(config, checkpoint, out, '--no-verify') == 0
    session = ort.InferenceSession(out, providers=['CPUExecutionProvider'])
    rng = np.random.default_rng(0)
    frame = rng.uniform(0, 255, (1, 4, 3, 64, 64)).astype(np.float32)
    run = lambda mask: session.run(None, {'inputs': frame,  # noqa: E731
                                          'modality_mask': np.array([mask])})[0]
    only_rgb = run([True, False, False, False])
    changed = frame.copy()
    changed[0, 1:] = rng.uniform(0, 255, changed[0, 1:].shape)
    same = session.run(None, {'inputs': changed,
                              'modality_mask': np.array([[True, False, False, False]])})[0]
    np.testing.assert_allclose(same, only_rgb, atol=1e-5)  # absent sensors do not matter
    assert np.abs(run([True, True, False, False]) - only_rgb).max() > 1e-3
    empty = run([False, False, False, False])
    assert np.isfinite(empty).all() and np.abs(empty).max() == 0.0


@pytest.mark.slow
def test_distilled_student_exports_from_the_distiller_checkpoint_without_teacher(
        tmp_path, synthetic_deliver):
    teacher = dict(config=str(tmp_path / 'absent_teacher.py'),
                   checkpoint=str(tmp_path / 'absent_teacher.pth'))
    model = distiller_cfg(teacher)
    torch.manual_seed(0)
    student = MODELS.build(model['student'])
    state = {f'student.{k}': v for k, v in student.state_dict().items()}
    config, checkpoint = model_files(tmp_path, synthetic_deliver, model, 'distiller', state)
    out = str(tmp_path / 'student.onnx')
    assert export(config, checkpoint, out, '--missing', 'drop') == 0
    check_report(out, 'drop')


@pytest.mark.slow
def test_cmnext_exports_under_zero_and_refuses_drop(tmp_path, synthetic_deliver, capsys):
    model = anymodal_model()
    model['backbone'] = dict(type='CMNeXt', num_modalities=4, rgb_branch=TINY_MIT)
    config, checkpoint = model_files(tmp_path, synthetic_deliver, model, 'cmnext')
    out = str(tmp_path / 'cmnext.onnx')
    assert export(config, checkpoint, out) == 0  # the backbone's default: zero
    check_report(out, 'zero')
    with pytest.raises(SystemExit, match="missing='drop' needs a backbone"):
        export(config, checkpoint, str(tmp_path / 'drop.onnx'), '--missing', 'drop')


def test_a_wrong_shape_or_opset_is_a_clear_error(tmp_path, synthetic_deliver):
    config, checkpoint = model_files(tmp_path, synthetic_deliver, anymodal_model(), 'pml')
    tool = load_tool('export_onnx')
    with pytest.raises(SystemExit, match='--shape 60 64: height and width must be positive '
                       'multiples of 32'):
        tool.main([config, checkpoint, '--out', str(tmp_path / 'x.onnx'), '--shape', '60', '64'])
    with pytest.raises(SystemExit, match='--opset 11: the MiT needs opset 13'):
        export(config, checkpoint, str(tmp_path / 'x.onnx'), '--opset', '11')
    with pytest.raises(SystemExit, match='--frames 0: the check needs at least one test frame'):
        export(config, checkpoint, str(tmp_path / 'x.onnx'), '--frames', '0')
    with pytest.raises(SystemExit, match="no such checkpoint: '.*nope.pth'"):
        export(config, str(tmp_path / 'nope.pth'), str(tmp_path / 'x.onnx'))
    with pytest.raises(SystemExit, match="no such config: 'nope.py'"):
        export('nope.py', checkpoint, str(tmp_path / 'x.onnx'))
    with pytest.raises(SystemExit, match="--out '.*x.jpg': give the model an .onnx name"):
        export(config, checkpoint, str(tmp_path / 'x.jpg'))
    # A test set that cannot be read (a relative data_root from elsewhere) stops before any
    # file is written, and --cfg-options points it at the data.
    out = str(tmp_path / 'deep' / 'x.onnx')
    with pytest.raises((FileNotFoundError, SystemExit), match='nowhere'):
        export(config, checkpoint, out, '--cfg-options',
               'test_dataloader.dataset.data_root=nowhere')
    assert not osp.exists(out)
    assert export(config, checkpoint, out, '--frames', '1', '--cfg-options',
                  f'test_dataloader.dataset.data_root={synthetic_deliver}') == 0
    assert osp.isfile(out)


def test_onnx_demo_runs_without_torch_and_checks_its_inputs(tmp_path, synthetic_deliver):
    config, checkpoint = model_files(tmp_path, synthetic_deliver, anymodal_model(), 'pml')
    out = str(tmp_path / 'pml.onnx')
    assert export(config, checkpoint, out, '--output', 'labels', '--no-verify') == 0
    rng = np.random.default_rng(1)
    images = {}
    for name, size in (('rgb', 64), ('lidar', 64), ('small', 48)):
        images[name] = str(tmp_path / f'{name}.png')
        Image.fromarray(rng.integers(0, 255, (size, size, 3), dtype=np.uint8)).save(images[name])
    pred = str(tmp_path / 'pred.png')
    runner = ('import runpy, sys; sys.argv = sys.argv[1:]; '
              'code = 0\ntry:\n    runpy.run_path(sys.argv[0], run_name="__main__")\n'
              'except SystemExit as e:\n    code = e.code\n'
              'assert "torch" not in sys.modules and "mmcv" not in sys.modules, "torch imported"\n'
              'sys.exit(code)')

    def demo_of(model, *args):
        return subprocess.run([sys.executable, '-c', runner, osp.join(TOOLS, 'onnx_demo.py'),
                               model, *args], capture_output=True, text=True, cwd=str(tmp_path))

    def demo(*args):
        return demo_of(out, *args)

    ok = demo('--input', f'rgb={images["rgb"]}', '--input', f'lidar={images["lidar"]}',
              '--out', pred)
    assert ok.returncode == 0, ok.stderr
    assert "absent: ['depth', 'event']" in ok.stdout
    labels = np.asarray(Image.open(pred))
    assert labels.shape == (64, 64) and labels.max() < 25
    unknown = demo('--input', f'sonar={images["rgb"]}', '--out', pred)
    assert unknown.returncode != 0
    assert "unknown modality 'sonar'; the model takes ('rgb', 'depth', 'event', 'lidar')" in \
        unknown.stderr
    twice = demo('--input', f'rgb={images["rgb"]}', '--input', f'rgb={images["lidar"]}',
                 '--out', pred)
    assert twice.returncode != 0 and 'rgb is given twice' in twice.stderr
    assert 'no such ONNX model' in demo_of('missing.onnx', '--input', f'rgb={images["rgb"]}',
                                           '--out', pred).stderr
    assert 'give a .png name' in demo('--input', f'rgb={images["rgb"]}', '--out',
                                      str(tmp_path / 'pred.jpg')).stderr
    nested = str(tmp_path / 'new' / 'folder' / 'pred.png')
    assert demo('--input', f'rgb={images["rgb"]}', '--out', nested).returncode == 0
    assert osp.isfile(nested)
    small = demo('--input', f'rgb={images["small"]}', '--out', pred)
    assert small.returncode != 0
    assert f'{images["small"]} is 48x48 (HxW); the model was exported for 64x64' in small.stderr
