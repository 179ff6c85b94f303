"""MUSES from the download: raw LiDAR, event and radar files in the release's formats, projected
by tools/dataset_converters/muses.py, read at full precision, trained and scored."""
import glob
import importlib.util
import io
import json
import os
import os.path as osp
import subprocess
import sys

import cv2
import numpy as np
import pytest

from mmseg_anyseg.datasets import MUSESDataset
from mmseg_anyseg.datasets.muses_projection import (decode_projection, event_image,
                                                    load_calibration, project_points,
                                                    radar_points, scale_intrinsics,
                                                    write_projection)
from tests.conftest import REPO_ROOT

h5py = pytest.importorskip('h5py')

SHAPE = (54, 96)  # 1/20 of the frame camera's 1080 x 1920
K_RGB = [[1000.0, 0.0, 960.0], [0.0, 1000.0, 540.0], [0.0, 0.0, 1.0]]
K_EVENT = [[500.0, 0.0, 320.0], [0.0, 500.0, 240.0], [0.0, 0.0, 1.0]]
# sensor frame x forward, y left, z up -> camera frame x right, y down, z forward
FORWARD = [[0.0, -1.0, 0.0, 0.0], [0.0, 0.0, -1.0, 0.2], [1.0, 0.0, 0.0, 0.0],
           [0.0, 0.0, 0.0, 1.0]]
IDENTITY = np.eye(4).tolist()
EXPOSURE_END = 1_700_000_000_000_000  # µs
FRAMES = (('train', 'clear', 'day', 'REC0001_frame_000100'),
          ('val', 'snow', 'night', 'REC0002_frame_000200'))


def lidar_points():
    """x, y, z, intensity, ring, timestamp rows at known positions."""
    return np.array([
        [10.0, 2.0, -1.0, 42.0, 3.0, 1.0],   # -> pixel (row 33, col 38): see test
        [20.0, 4.0, -2.2, 7.0, 3.0, 1.0],    # the same camera ray, farther: hidden by the first
        [0.5, 0.0, 0.0, 99.0, 0.0, 1.0],     # nearer than 1 m: dropped
        [-10.0, 0.0, 0.0, 99.0, 0.0, 1.0],   # behind the camera: dropped
        [8.0, -1.0, 0.5, 11.0, 1.0, 1.0],
    ])


def radar_scan(bins: int = 300) -> np.ndarray:
    scan = np.zeros((11 + bins, 400), dtype=np.uint8)
    scan[10, 199] = 1  # azimuth 0: straight ahead
    scan[11 + 200:11 + bins, 199] = 200  # bins 200 on: from (200 + 1) * 0.0438 m
    scan[10, 20] = 1  # outside the frame camera's field of view
    return scan


def write_events(path: str, rows) -> None:
    x, y, t, p = (np.array(c) for c in zip(*rows))
    with h5py.File(path, 'w') as f:
        f['events/x'] = x.astype(np.uint16)
        f['events/y'] = y.astype(np.uint16)
        f['events/t'] = t.astype(np.int64)
        f['events/p'] = p.astype(np.uint8)


EVENTS = [(320, 240, EXPOSURE_END - 1000, 1), (320, 240, EXPOSURE_END - 2000, 1),
          (320, 240, EXPOSURE_END - 3000, 0), (420, 140, EXPOSURE_END - 29000, 0),
          (320, 240, EXPOSURE_END - 31000, 1),  # before the 30 ms window
          (320, 240, EXPOSURE_END + 500, 1)]    # after the exposure end


@pytest.fixture
def raw_muses(tmp_path):
    """Two frames of a MUSES download in the release's formats."""
    root = str(tmp_path / 'muses')
    rng = np.random.default_rng(0)
    meta = {}
    for split, weather, time, stem in FRAMES:
        rel = osp.join(split, weather, time)
        paths = {folder: osp.join(folder, rel, f'{stem}_{folder}{ext}') for folder, ext in (
            ('frame_camera', '.png'), ('lidar', '.bin'), ('event_camera', '.h5'),
            ('radar', '.png'), ('gt_semantic', ''))}
        for rel_path in paths.values():
            os.makedirs(osp.dirname(osp.join(root, rel_path)), exist_ok=True)
        cv2.imwrite(osp.join(root, paths['frame_camera']),
                    rng.integers(0, 255, SHAPE + (3, ), dtype=np.uint8))
        lidar_points().tofile(osp.join(root, paths['lidar']))
        write_events(osp.join(root, paths['event_camera']), EVENTS)
        cv2.imwrite(osp.join(root, paths['radar']), radar_scan())
        label = rng.integers(0, 19, SHAPE).astype(np.uint8)
        cv2.imwrite(osp.join(root, 'gt_semantic', rel, f'{stem}_gt_labelTrainIds.png'), label)
        meta[stem] = dict(
            path_to_frame_camera=paths['frame_camera'], path_to_lidar=paths['lidar'],
            path_to_event_camera=paths['event_camera'], path_to_radar=paths['radar'],
            split=split, weather=weather, time_of_day=time,
            frame_camera_exposure_start_timestamp_us=EXPOSURE_END - 5000,
            frame_camera_exposure_end_timestamp_us=EXPOSURE_END)
    calib = dict(intrinsics=dict(rgb=dict(K=K_RGB), event=dict(K=K_EVENT)),
                 extrinsics=dict(lidar2rgb=FORWARD, radar2rgb=FORWARD, event2rgb=IDENTITY))
    with open(osp.join(root, 'calib.json'), 'w') as f:
        json.dump(calib, f)
    with open(osp.join(root, 'meta.json'), 'w') as f:
        json.dump(meta, f)
    return root


def load_tool(name: str):
    path = osp.join(REPO_ROOT, 'tools', *name.split('/')) + '.py'
    spec = importlib.util.spec_from_file_location(name.replace('/', '_'), path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def convert(root: str, *options: str) -> int:
    return load_tool('dataset_converters/muses').main(
        [root, '--shape', str(SHAPE[0]), str(SHAPE[1]), *options])


# ------------------------------------------------------------------ geometry
def test_lidar_points_land_on_the_pinhole_pixels_with_range_intensity_height():
    K = scale_intrinsics(np.array(K_RGB), SHAPE)
    np.testing.assert_allclose(K, [[50, 0, 48], [0, 50, 27], [0, 0, 1]])
    image = project_points(lidar_points(), np.array(FORWARD), K, SHAPE)
    # (10, 2, -1): camera (-2, 1 + 0.2, 10) -> u = 50 * -0.2 + 48 = 38, v = 50 * 0.12 + 27 = 33
    np.testing.assert_allclose(image[33, 38], [np.sqrt(105), 42.0, -1.0], rtol=1e-6)
    # (8, -1, 0.5): camera (1, -0.3, 8) -> u = 54.25, v = 25.125
    np.testing.assert_allclose(image[25, 54], [np.sqrt(65.25), 11.0, 0.5], rtol=1e-6)
    assert np.count_nonzero(image.any(axis=2)) == 2  # nearer than 1 m and behind: dropped
    flat = project_points(lidar_points(), np.array(FORWARD), K, SHAPE, height=False)
    assert flat[..., 2].max() == 0 and flat[33, 38, 1] == 42.0


def test_radar_scan_gives_points_in_the_field_of_view_at_ground_level():
    points = radar_points(radar_scan())
    assert points.shape == (300, 4)  # every bin of the one valid column in the field of view
    np.testing.assert_allclose(points[228], [229 * 0.0438, 0.0, -1.62, 200.0], atol=1e-9)
    assert points[199, 3] == 0 and points[200, 3] == 200
    assert np.allclose(points[:, 1], 0.0, atol=1e-9) and (points[:, 3] != 0).sum() == 100


def test_events_in_the_30ms_window_are_counted_by_polarity_the_others_ignored():
    x, y, t, p = (np.array(c) for c in zip(*EVENTS))
    events = dict(x=x, y=y, t=t, p=p)
    K = scale_intrinsics(np.array(K_RGB), SHAPE)
    image = event_image(events, EXPOSURE_END, K, np.array(K_EVENT), np.eye(4), SHAPE)
    # homography K_rgb K_event^-1: u = 0.1 x + 16, v = 0.1 y + 3
    np.testing.assert_array_equal(image[27, 48], [2.0, 1.0, 0.0])
    np.testing.assert_array_equal(image[17, 58], [0.0, 1.0, 0.0])
    assert image.sum() == 4  # the two events outside the window are not counted
    # The window is closed at both ends, as the SDK's t >= t_max - 30 ms.
    edges = dict(x=np.array([320, 320, 320]), y=np.array([240, 240, 240]),
                 t=np.array([EXPOSURE_END - 30000, EXPOSURE_END - 30001, EXPOSURE_END]),
                 p=np.array([1, 1, 1]))
    image = event_image(edges, EXPOSURE_END, K, np.array(K_EVENT), np.eye(4), SHAPE)
    assert image.sum() == 2


def test_png_and_npz_projections_decode_to_the_same_floats(tmp_path):
    K = scale_intrinsics(np.array(K_RGB), SHAPE)
    lidar = project_points(lidar_points(), np.array(FORWARD), K, SHAPE)
    for folder, image in (('lidar', lidar), ('event_camera', np.arange(
            np.prod(SHAPE) * 3, dtype=np.float32).reshape(SHAPE + (3, )) % 300)):
        decoded = {}
        for ext in ('npz', 'png'):
            path = str(tmp_path / f'{folder}.{ext}')
            write_projection(path, image, folder)
            with open(path, 'rb') as f:
                decoded[ext] = decode_projection(f.read(), path, folder)
        assert decoded['npz'].dtype == np.float32
        np.testing.assert_array_equal(decoded['npz'], image)
        # The SDK truncates (value + shift) * scale: a PNG value is at most one step below.
        step = decoded['npz'] - decoded['png']
        assert step.min() >= -1e-4 and step.max() < 1 / 150 + 1e-4
        if folder == 'lidar':
            stored = cv2.imread(str(tmp_path / 'lidar.png'), cv2.IMREAD_UNCHANGED)
            assert stored.dtype == np.uint16 and stored[0, 0, 0] == 15000  # empty pixel
            assert decoded['png'][33, 38, 2] == pytest.approx(-1.0, abs=1e-3)


# ------------------------------------------------------- converter and loader
def test_converter_writes_the_sdk_layout_and_resumes(raw_muses, capsys):
    assert convert(raw_muses) == 0
    out = osp.join(raw_muses, 'projected_to_rgb')
    stem = FRAMES[0][3]
    lidar = np.load(osp.join(out, 'lidar', 'train', 'clear', 'day', f'{stem}_lidar.npz'))['arr_0']
    np.testing.assert_allclose(lidar[33, 38], [np.sqrt(105), 42.0, -1.0], rtol=1e-6)
    events = np.load(osp.join(out, 'event_camera', 'train', 'clear', 'day',
                              f'{stem}_event_camera.npz'))['arr_0']
    np.testing.assert_array_equal(events[27, 48], [2.0, 1.0, 0.0])
    radar = np.load(osp.join(out, 'radar', 'train', 'clear', 'day', f'{stem}_radar.npz'))['arr_0']
    assert radar[..., 0].max() > 0 and radar[..., 2].max() == 0 and radar[..., 1].max() == 200
    assert '6 projections written, 0 already there' in capsys.readouterr().out
    assert convert(raw_muses) == 0
    assert '0 projections written, 6 already there' in capsys.readouterr().out
    assert convert(raw_muses, '--format', 'png', '--modalities', 'lidar', '--out',
                   osp.join(raw_muses, 'png')) == 0
    png = osp.join(raw_muses, 'png', 'lidar', 'train', 'clear', 'day', f'{stem}_lidar.png')
    assert cv2.imread(png, cv2.IMREAD_UNCHANGED).dtype == np.uint16


def test_projected_layout_reads_full_precision_through_geometric_transforms(raw_muses):
    assert convert(raw_muses) == 0
    pipeline = [dict(type='LoadMultiModalImages'), dict(type='LoadMultiModalAnnotations'),
                dict(type='RandomResize', scale=(96, 54), ratio_range=(1.0, 1.5),
                     keep_ratio=True),
                dict(type='RandomCrop', crop_size=(32, 32)), dict(type='RandomFlip', prob=1.0),
                dict(type='MultiModalColorJitter', prob=1.0, modalities=('frame', )),
                dict(type='PackAnymodalInputs')]
    dataset = MUSESDataset(data_root=raw_muses, split='train',
                           modalities=('frame', 'event', 'lidar', 'radar'), pipeline=pipeline)
    info = dataset.get_data_info(0)
    assert info['modality_paths']['lidar'].endswith('projected_to_rgb/lidar/train/clear/day/'
                                                    f'{FRAMES[0][3]}_lidar.npz')
    loaded = dataset.pipeline.transforms[0](dataset.get_data_info(0))['img']
    assert loaded.dtype == np.float32 and loaded.shape == SHAPE + (12, )
    np.testing.assert_allclose(loaded[33, 38, 6:9], [np.sqrt(105), 42.0, -1.0], rtol=1e-6)
    frame = cv2.imread(osp.join(raw_muses, 'frame_camera', 'train', 'clear', 'day',
                                f'{FRAMES[0][3]}_frame_camera.png'))[..., ::-1]
    np.testing.assert_array_equal(loaded[..., :3], frame)  # 8-bit camera, exact levels
    sample = dataset[0]['inputs']
    assert sample.dtype.is_floating_point and sample.shape == (12, 32, 32)
    frame_part = sample[:3]
    assert frame_part.max() <= 255 and frame_part.min() >= 0
    assert (frame_part == frame_part.round()).all()  # the jitter worked on 0-255 levels
    # interpolation stays within each channel's values: range, and the negative heights kept
    assert float(sample[6].max()) <= np.sqrt(105) + 1e-3 and float(sample[6].min()) >= 0
    assert float(sample[8].min()) >= -1.0 - 1e-3 and float(sample[8].max()) <= 0.5 + 1e-3


def test_bad_inputs_name_the_file(raw_muses, tmp_path):
    stem = FRAMES[0][3]
    lidar = osp.join(raw_muses, 'lidar', 'train', 'clear', 'day', f'{stem}_lidar.bin')
    with open(lidar, 'r+b') as f:
        f.truncate(5 * 48 + 17)
    with pytest.raises(SystemExit, match=f'{lidar}: 257 bytes is not a whole number'):
        convert(raw_muses, '--modalities', 'lidar')

    events = osp.join(raw_muses, 'event_camera', 'train', 'clear', 'day',
                      f'{stem}_event_camera.h5')
    with h5py.File(events, 'w') as f:
        f['events/x'] = np.zeros(3, np.uint16)
    with pytest.raises(SystemExit, match=r"has no event datasets \['events/y', 'events/t', "
                       r"'events/p'\]"):
        convert(raw_muses, '--modalities', 'event')

    meta_path = osp.join(raw_muses, 'meta.json')
    meta = json.load(open(meta_path))
    del meta[FRAMES[1][3]]
    json.dump(meta, open(meta_path, 'w'))
    with pytest.raises(SystemExit, match=f'{FRAMES[1][3]}_frame_camera.png has no entry in '
                       'meta.json'):
        convert(raw_muses, '--modalities', 'radar', '--splits', 'val')

    calib_path = osp.join(raw_muses, 'calib.json')
    calib = json.load(open(calib_path))
    del calib['extrinsics']['radar2rgb']
    json.dump(calib, open(calib_path, 'w'))
    with pytest.raises(KeyError, match='calib.json has no extrinsics/radar2rgb'):
        load_calibration(raw_muses, ['radar'])

    # the release's raw radar scans where an image-plane map is expected
    authors = MUSESDataset(data_root=raw_muses, split='train', layout='authors',
                           modalities=('frame', 'radar'),
                           pipeline=[dict(type='LoadMultiModalImages')])
    with pytest.raises(ValueError, match=r'_radar.png is a raw MUSES radar scan .* '
                       r'tools/dataset_converters/muses.py'):
        authors[0]


@pytest.mark.slow
def test_converted_tree_trains_and_tools_test_scores_all_7_subsets(raw_muses, tmp_path):
    """From the raw tree: convert, train the PML teacher and the AnySeg student
    (configs/anyseg/anyseg_segb0_muses.py) one Runner iteration each, then tools/test.py
    prints the student's 7-subset table."""
    from mmengine.runner import Runner

    from tests.test_configs import cpu_sized
    assert convert(raw_muses) == 0

    def sized(config: str, work: str):
        cfg = cpu_sized(osp.join(REPO_ROOT, config), raw_muses, str(tmp_path / work),
                        train_cfg=dict(max_iters=1, val_interval=1),
                        default_hooks=dict(logger=dict(interval=1),
                                           checkpoint=dict(interval=1, save_best=None)))
        for loader in ('val_dataloader', 'test_dataloader'):
            cfg[loader].dataset.split = 'train'
            for step in cfg[loader].dataset.pipeline:
                if step.type == 'Resize':
                    step.scale = SHAPE[::-1]
        return cfg

    teacher = sized('configs/pml/pml_segb0_muses.py', 'teacher')
    Runner.from_cfg(teacher).train()
    teacher.dump(str(tmp_path / 'teacher.py'))
    student = sized('configs/anyseg/anyseg_segb0_muses.py', 'student')
    student.model.teacher = dict(config=str(tmp_path / 'teacher.py'),
                                 checkpoint=str(tmp_path / 'teacher' / 'iter_1.pth'))
    runner = Runner.from_cfg(student)
    runner.train()
    assert 'train/loss_cmd' in runner.message_hub.log_scalars
    config = str(tmp_path / 'student.py')
    student.dump(config)
    result = subprocess.run(
        [sys.executable, 'tools/test.py', config, str(tmp_path / 'student' / 'iter_1.pth'),
         '--work-dir', str(tmp_path / 'test'), '--anymodal-out', str(tmp_path / 'anymodal')],
        cwd=REPO_ROOT, capture_output=True, text=True)
    assert result.returncode == 0, result.stderr[-3000:]
    table = json.load(open(tmp_path / 'anymodal' / 'anymodal.json'))
    assert list(table['subsets']) == ['F', 'E', 'L', 'FE', 'FL', 'EL', 'FEL']
    assert '| FEL |' in result.stdout or 'FEL' in result.stdout


def test_modality_stats_match_numpy_on_the_projections(raw_muses, capsys):
    assert convert(raw_muses) == 0
    config = osp.join(REPO_ROOT, 'configs/pml/pml_segb0_muses_felr.py')
    tool = load_tool('analysis_tools/modality_stats')
    out = osp.join(raw_muses, 'stats.json')
    assert tool.main([config, '--out', out, '--data-root', raw_muses]) == 0
    stats = json.load(open(out))['statistics']
    lidar = [np.load(p)['arr_0'] for p in glob.glob(osp.join(
        raw_muses, 'projected_to_rgb', 'lidar', 'train', '**', '*.npz'), recursive=True)]
    stack = np.concatenate([x.reshape(-1, 3) for x in lidar])
    np.testing.assert_allclose(stats['lidar']['mean'], stack.mean(axis=0), rtol=1e-5, atol=1e-9)
    np.testing.assert_allclose(stats['lidar']['std'], stack.std(axis=0), rtol=1e-4, atol=1e-9)
    assert 'lidar' in capsys.readouterr().out
    nonzero = osp.join(raw_muses, 'nonzero.json')
    assert tool.main([config, '--out', nonzero, '--data-root', raw_muses, '--nonzero-only']) == 0
    points = stack[(stack != 0).any(axis=1)]
    np.testing.assert_allclose(json.load(open(nonzero))['statistics']['lidar']['mean'],
                               points.mean(axis=0), rtol=1e-5)


def test_damaged_projection_and_raw_files_are_named_with_the_cause(tmp_path):
    """An 8-bit PNG where the SDK's 16-bit encoding is expected, a truncated .npz, an .npz
    without arr_0, an empty LiDAR scan and a damaged event file: each error names the file."""
    from mmseg_anyseg.datasets.muses_projection import read_events, read_lidar
    eight_bit = cv2.imencode('.png', np.full((4, 4, 3), 100, np.uint8))[1].tobytes()
    with pytest.raises(ValueError, match=r"lidar/a\.png: a uint8 PNG where the SDK's 16-bit "
                       r"encoding of a lidar projection is expected.*layout='authors'"):
        decode_projection(eight_bit, 'lidar/a.png', 'lidar')
    buffer = io.BytesIO()
    np.savez_compressed(buffer, arr_0=np.ones((4, 4, 3), np.float32))
    data = buffer.getvalue()
    with pytest.raises(ValueError, match=r'event/b\.npz: cannot read the projection \(truncated'):
        decode_projection(data[:len(data) // 2], 'event/b.npz', 'event')
    buffer = io.BytesIO()
    np.savez(buffer, image=np.ones((4, 4, 3), np.float32))
    with pytest.raises(ValueError, match=r"c\.npz: the \.npz holds no array arr_0 \(it holds "
                       r"\['image'\]\)"):
        decode_projection(buffer.getvalue(), 'c.npz', 'lidar')
    empty = tmp_path / 'x_lidar.bin'
    empty.write_bytes(b'')
    with pytest.raises(ValueError, match=r'x_lidar\.bin: the LiDAR scan is empty \(0 bytes\)'):
        read_lidar(str(empty))
    damaged = tmp_path / 'x_event_camera.h5'
    damaged.write_bytes(b'\x89HDF\r\n\x1a\n' + b'\0' * 40)
    with pytest.raises(OSError, match=r'x_event_camera\.h5: not a readable HDF5 event file'):
        read_events(str(damaged))
