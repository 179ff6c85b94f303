"""Damaged files for every modality of DELIVER (and the synthetic tree, its layout), MUSES
projections and MUSES raw sensor files: each case is an error that names the file, never a
crash without it, a hang or silently wrong data."""
import io
import os.path as osp
import tempfile
from typing import Callable

import cv2
import h5py
import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from mmseg_anyseg.datasets.muses_projection import read_events, read_lidar, write_projection
from mmseg_anyseg.datasets.transforms import LoadMultiModalAnnotations, LoadMultiModalImages

NAMED = (ValueError, OSError, KeyError, EOFError)
EXAMPLES = settings(max_examples=25, deadline=None)
RNG = np.random.default_rng(0)
IMAGE = RNG.integers(0, 255, (24, 32, 3), dtype=np.uint8)
LOADER = LoadMultiModalImages()
DELIVER_MODALITIES = ('rgb', 'depth', 'event', 'lidar')


def png(array: np.ndarray) -> bytes:
    ok, data = cv2.imencode('.png', array)
    assert ok
    return data.tobytes()


def projection_png(folder: str) -> bytes:
    with tempfile.TemporaryDirectory() as tmp:
        path = osp.join(tmp, f'x_{folder}.png')
        write_projection(path, RNG.uniform(0, 20, (24, 32, 3)).astype(np.float32), folder)
        return open(path, 'rb').read()


def npz(**arrays) -> bytes:
    buffer = io.BytesIO()
    np.savez_compressed(buffer, **arrays)
    return buffer.getvalue()


def lidar_bin(points: int) -> bytes:
    return RNG.normal(size=(points, 6)).astype(np.float64).tobytes()


def events_h5(path: str, datasets=('events/x', 'events/y', 'events/t', 'events/p')) -> None:
    with h5py.File(path, 'w') as f:
        for name in datasets:
            f.create_dataset(name, data=np.arange(100, dtype=np.int64))


def assert_named(read: Callable[[str], object], name: str, data: bytes) -> None:
    """Writing ``data`` as ``name`` and reading it is an error whose message names the file."""
    with tempfile.TemporaryDirectory() as tmp:
        path = osp.join(tmp, name)
        with open(path, 'wb') as f:
            f.write(data)
        try:
            read(path)
        except NAMED as error:
            assert name in str(error), f'{type(error).__name__} without the file name: {error}'
            return
    pytest.fail(f'{name} ({len(data)} bytes, damaged) was read without an error')


def read_image(path: str) -> None:
    LOADER.load_file(path, 'color')


def read_projection(folder: str) -> Callable[[str], None]:
    return lambda path: LOADER.load_file(path, f'muses_projection:{folder}')


def read_label(path: str) -> None:
    LoadMultiModalAnnotations(reduce_zero_label=True)(
        dict(seg_map_path=path, seg_fields=[], num_classes=25, ori_shape=(24, 32)))


def truncated(data: bytes, fraction: float) -> bytes:
    return data[:int(len(data) * fraction)]


DELIVER = [f'000000_{m}_front.png' for m in DELIVER_MODALITIES]
LABEL = '000000_semantic_front.png'
WHOLE = {name: png(IMAGE) for name in DELIVER}
WHOLE[LABEL] = png(np.dstack([RNG.integers(1, 26, (24, 32), dtype=np.uint8)] * 3))
READERS = {name: read_image for name in DELIVER}
READERS[LABEL] = read_label
for folder in ('lidar', 'event_camera', 'radar'):
    WHOLE[f'REC_{folder}.png'] = projection_png(folder)
    WHOLE[f'REC_{folder}.npz'] = npz(arr_0=RNG.uniform(0, 20, (24, 32, 3)).astype(np.float32))
    READERS[f'REC_{folder}.png'] = READERS[f'REC_{folder}.npz'] = read_projection(folder)


@pytest.mark.parametrize('name', sorted(WHOLE))
def test_the_whole_files_read(name):
    with tempfile.TemporaryDirectory() as tmp:
        path = osp.join(tmp, name)
        open(path, 'wb').write(WHOLE[name])
        READERS[name](path)


@pytest.mark.parametrize('name', sorted(WHOLE))
@EXAMPLES
@given(fraction=st.floats(0.0, 0.99))
def test_a_file_cut_anywhere_is_named(name, fraction):
    assert_named(READERS[name], name, truncated(WHOLE[name], fraction))


@pytest.mark.parametrize('name', sorted(WHOLE))
@EXAMPLES
@given(data=st.binary(min_size=1, max_size=4096))
def test_random_bytes_are_named(name, data):
    assert_named(READERS[name], name, data)


@pytest.mark.parametrize('name', sorted(WHOLE))
def test_an_empty_file_is_named(name):
    assert_named(READERS[name], name, b'')


@pytest.mark.parametrize('name', DELIVER + [LABEL])
def test_a_16_bit_png_where_8_bits_are_read_is_named(name):
    assert_named(READERS[name], name, png(IMAGE.astype(np.uint16) * 257))


@pytest.mark.parametrize('folder', ['lidar', 'event_camera', 'radar'])
def test_a_projection_of_the_wrong_depth_or_channels_or_array_is_named(folder):
    read, name = read_projection(folder), f'REC_{folder}'
    assert_named(read, f'{name}.png', png(IMAGE))  # 8 bits where the SDK writes 16
    assert_named(read, f'{name}.png', png((IMAGE[..., 0].astype(np.uint16) * 257)))  # 1 channel
    assert_named(read, f'{name}.npz', npz(image=np.zeros((24, 32, 3), np.float32)))
    assert_named(read, f'{name}.npz', npz(arr_0=np.zeros((24, 32), np.float32)))


def test_a_label_of_another_size_is_named():
    assert_named(read_label, LABEL, png(np.ones((12, 32, 3), np.uint8)))


@EXAMPLES
@given(points=st.integers(1, 50), cut=st.integers(1, 47))
def test_a_lidar_scan_cut_inside_a_point_is_named(points, cut):
    assert_named(read_lidar, 'x_lidar.bin', lidar_bin(points)[:-cut])


@EXAMPLES
@given(fraction=st.floats(0.0, 0.99))
def test_an_event_file_cut_anywhere_is_named(fraction):
    with tempfile.TemporaryDirectory() as tmp:
        path = osp.join(tmp, 'whole.h5')
        events_h5(path)
        data = open(path, 'rb').read()
    assert_named(read_events, 'x_event_camera.h5', truncated(data, fraction))


def test_an_event_file_without_its_datasets_or_empty_is_named():
    with tempfile.TemporaryDirectory() as tmp:
        path = osp.join(tmp, 'x_event_camera.h5')
        events_h5(path, datasets=('events/x', 'events/y'))
        data = open(path, 'rb').read()
    assert_named(read_events, 'x_event_camera.h5', data)
    assert_named(read_events, 'x_event_camera.h5', b'')
    assert_named(read_lidar, 'x_lidar.bin', b'')
