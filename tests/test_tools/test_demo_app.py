"""tools/demo/anymodal_app.py in a real headless browser (Debian's chromium, Playwright)."""
import os
import os.path as osp
import shutil
import socket
import subprocess
import sys
import time
import urllib.request

import numpy as np
import pytest

from mmseg_anyseg.apis.demo import fail_sensor, frame_miou
from tests.conftest import REPO_ROOT
from tests.test_tools.test_train_test_tools import env, run, write_config

CHROMIUM = shutil.which('chromium') or shutil.which('chromium-browser')


def test_sensor_failures_and_frame_miou_by_hand():
    image = np.full((4, 4, 3), 200, np.uint8)
    assert not fail_sensor(image, 'zero').any()
    holes = fail_sensor(image, 'missing pixels')
    assert 0 < (holes == 0).all(-1).sum() < 16 and set(np.unique(holes)) == {0, 200}
    assert not np.array_equal(fail_sensor(image, 'noise'), image)
    with pytest.raises(ValueError, match="sensor failure 'melt'"):
        fail_sensor(image, 'melt')
    pred = np.array([[0, 0], [1, 1]])
    label = np.array([[0, 1], [1, 255]])
    # class 0: 1 / 2, class 1: 1 / 2 (the ignored pixel counts for neither)
    assert frame_miou(pred, label, num_classes=3) == pytest.approx(50.0)


def free_port() -> int:
    with socket.socket() as s:
        s.bind(('127.0.0.1', 0))
        return s.getsockname()[1]


@pytest.fixture
def app(tmp_path, synthetic_deliver):
    pytest.importorskip('gradio', reason='the demo extra (pip install -e .[demo]) is missing')
    if CHROMIUM is None:
        pytest.skip('no chromium: apt-get install chromium (tools/run_tests.sh does as root)')
    config = write_config(tmp_path, synthetic_deliver, iters=2)
    run([sys.executable, 'tools/train.py', config, '--work-dir', str(tmp_path / 'work')])
    checkpoint = str(tmp_path / 'work' / 'iter_2.pth')
    port = free_port()
    server = subprocess.Popen(
        [sys.executable, 'tools/demo/anymodal_app.py', config, checkpoint, '--compare', config,
         checkpoint, '--port', str(port)], cwd=REPO_ROOT,
        env=dict(env(), GRADIO_ANALYTICS_ENABLED='False'), stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT, text=True)
    url = f'http://127.0.0.1:{port}'
    deadline = time.time() + 180
    while True:
        try:
            urllib.request.urlopen(url, timeout=2)
            break
        except OSError:
            assert server.poll() is None, server.stdout.read()[-3000:]
            assert time.time() < deadline, 'the app did not start'
            time.sleep(0.5)
    yield url, tmp_path
    server.terminate()
    server.wait(timeout=30)


@pytest.mark.slow
def test_the_app_switches_sensors_and_names_a_bad_upload(app):
    sync_api = pytest.importorskip('playwright.sync_api')
    url, tmp_path = app
    with sync_api.sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, headless=True,
                                             args=['--no-sandbox'])
        page = browser.new_page(viewport=dict(width=1400, height=1000))
        page.goto(url)
        info = page.locator('#subset-info')
        info.get_by_text('Subset RDEL').wait_for(timeout=60000)
        assert 'mIoU on this frame' in info.inner_text()
        before = page.locator('#prediction-0 img').get_attribute('src')

        page.locator('#sensors').get_by_label('lidar').uncheck()
        page.locator('#sensors').get_by_label('depth').uncheck()
        info.get_by_text('Subset RE ').wait_for(timeout=60000)
        page.wait_for_function(
            'before => document.querySelector("#prediction-0 img").src !== before', arg=before,
            timeout=60000)
        page.screenshot(path=str(tmp_path / 'app.png'))

        for name in ('rgb', 'depth', 'event', 'lidar'):
            page.locator('#sensors').get_by_label(name).uncheck()
        info.get_by_text('every sensor is off').wait_for(timeout=60000)

        bad = tmp_path / 'bad_rgb.png'
        bad.write_bytes(b'not an image')
        page.locator('#sensors').get_by_label('rgb').check()
        page.get_by_text('Or upload your own frame').click()
        page.locator('#upload-rgb input[type=file]').set_input_files(str(bad))
        info.get_by_text('bad_rgb.png').wait_for(timeout=60000)
        assert 'Cannot segment this view' in info.inner_text()
        browser.close()
    assert os.path.getsize(tmp_path / 'app.png') > 0


@pytest.mark.slow
def test_the_onnx_model_segments_each_view_as_its_checkpoint(tmp_path, synthetic_deliver):
    """``--onnx``: onnxruntime's prediction of a subset is the checkpoint's; a frame of
    another size than the export's is a message, not a crash."""
    pytest.importorskip('onnxruntime', reason='the deploy extra (onnx, onnxruntime) is missing')
    import torch
    from mmengine.config import Config
    from mmengine.runner import save_checkpoint
    from mmseg.registry import MODELS
    from PIL import Image

    from tests.test_deployment.test_onnx_export import load_tool
    config = write_config(tmp_path, synthetic_deliver, iters=2)
    torch.manual_seed(0)
    checkpoint = str(tmp_path / 'model.pth')
    save_checkpoint(dict(state_dict=MODELS.build(Config.fromfile(config).model).state_dict(),
                         meta=dict(iter=2)), checkpoint)
    app = load_app()
    frames = app.AnymodalDemo(app.parse_args([config, checkpoint])).frames
    width, height = Image.open(frames[0].files['rgb']).size
    exported = {}
    for shape in ((height, width), (height * 2, width * 2)):
        exported[shape] = str(tmp_path / f'model_{shape[0]}.onnx')
        load_tool('export_onnx').main([config, checkpoint, '--out', exported[shape], '--shape',
                                       str(shape[0]), str(shape[1]), '--frames', '1'])
    demo = app.AnymodalDemo(app.parse_args([config, checkpoint, '--onnx',
                                            exported[(height, width)]]))
    assert [name for name, _ in demo.models] == [osp.splitext(osp.basename(config))[0],
                                                 f'model_{height}.onnx']
    for sensors in (['rgb'], ['depth', 'lidar'], ['rgb', 'depth', 'event', 'lidar']):
        _, _, torch_pred, onnx_pred, info = demo.update(frames[0].name, sensors, 'none', 'zero')
        assert np.array_equal(torch_pred, onnx_pred), sensors
        assert f'model_{height}.onnx: mIoU on this frame' in info
    alone = app.AnymodalDemo(app.parse_args([config, '--onnx', exported[(height * 2,
                                                                          width * 2)]]))
    *images, info = alone.update(frames[0].name, ['rgb'], 'none', 'zero')
    assert images == [None] * 3
    assert f'the model was exported for {height * 2}x{width * 2}' in info
    assert frames[0].files['rgb'] in info
    with pytest.raises(SystemExit):
        app.parse_args([config])


def load_app():
    import importlib.util
    spec = importlib.util.spec_from_file_location(
        'anymodal_app', osp.join(REPO_ROOT, 'tools', 'demo', 'anymodal_app.py'))
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module
