"""MUSES' raw sensor files projected into the frame camera, and the files that hold projections.

The MUSES release (``timbroed/MUSES``, ``README.md``; its SDK's ``processing/*.py``) ships
LiDAR as ``lidar/.../<stem>_lidar.bin`` (float64 rows ``x, y, z, intensity, ring, timestamp``),
events as ``event_camera/.../<stem>_event_camera.h5`` (``events/x``, ``events/y``,
``events/t`` in µs, ``events/p``), radar as a raw range-azimuth scan
``radar/.../<stem>_radar.png`` (8 timestamp rows, a valid-flag row at 10, range bins from row
11, 400 azimuth columns), ``calib.json`` and ``meta.json``. This module turns them into
``H x W x 3`` float32 images in the frame camera's geometry, the SDK's channels:

- LiDAR: ``[range, intensity, height]`` (metres, raw intensity, ``z`` in the sensor frame);
- radar: ``[range, intensity, 0]``;
- events: ``[positive, negative, 0]`` counts over a 30 ms window.

Projections are stored in the SDK's layout and encodings (``scripts/project_sensors_to_rgb.py``),
so that files made with the SDK and with ``tools/dataset_converters/muses.py`` are read by the
same :func:`read_projection`: ``.npz`` (float32, key ``arr_0``) or a 3-channel 16-bit PNG
holding ``(v + 100) * 150`` for LiDAR and radar (an empty pixel reads 15000) and the counts
themselves for events, in the channel order of OpenCV's ``imwrite`` / ``imread``.
Differences from the SDK, all at points the SDK leaves undefined: points behind the camera
(which its projection mirrors into the image) are dropped; where several points fall on one
pixel the nearest is kept (the SDK keeps an arbitrary one); events mapped outside the image
are dropped. Motion compensation is not implemented.
"""
import io
import json
import os
import os.path as osp
import zipfile
from typing import Dict, Optional, Sequence, Tuple

import cv2
import numpy as np

from .image_bytes import require_whole

# Sensor folder of each MUSES modality name used by MUSESDataset.
SENSOR_FOLDERS = {'event': 'event_camera', 'lidar': 'lidar', 'radar': 'radar'}
# (scale, shift) of the SDK's 16-bit PNGs: stored = (value + shift) * scale.
PNG_ENCODINGS = {'lidar': (150.0, 100.0), 'radar': (150.0, 100.0), 'event_camera': (1.0, 0.0)}
FRAME_SIZE = (1080, 1920)  # (H, W) the frame camera's intrinsics in calib.json belong to
LIDAR_COLUMNS = 6
MIN_DISTANCE = 1.0  # metres; nearer points are dropped (the SDK's filter_points_by_distance)
RADAR_MAX_DISTANCE = 150.0  # metres, the SDK's radar projection
RADAR_AZIMUTHS = 400
RADAR_HEADER_ROWS = 11  # rows 0-3 seconds, 4-7 nanoseconds, 10 the valid flag
RADAR_VALID_ROW = 10
RADAR_RESOLUTION = 0.0438  # metres per range bin
RADAR_MAX_RANGE = 330.0768
RADAR_FOV_COLUMNS = (145, 255)  # the azimuths in the frame camera's field of view
RADAR_GROUND_LEVEL = 1.62  # metres below the sensor: the height given to every radar point
EVENT_WINDOW_US = 30000
EVENT_DATASETS = ('events/x', 'events/y', 'events/t', 'events/p')
# The calib.json entries each projection needs, by the name load_calibration gives them.
CALIBRATION_KEYS = {
    'lidar': dict(K_rgb=('intrinsics', 'rgb', 'K'), lidar2rgb=('extrinsics', 'lidar2rgb')),
    'radar': dict(K_rgb=('intrinsics', 'rgb', 'K'), radar2rgb=('extrinsics', 'radar2rgb')),
    'event': dict(K_rgb=('intrinsics', 'rgb', 'K'), K_event=('intrinsics', 'event', 'K'),
                  event2rgb=('extrinsics', 'event2rgb')),
}


def load_calibration(root: str, modalities: Sequence[str]) -> Dict[str, np.ndarray]:
    """The matrices of ``calib.json`` the given modalities need.

    Returns:
        ``K_rgb`` and, per modality, ``lidar2rgb`` / ``radar2rgb`` (4x4) or
        ``K_event`` and ``event2rgb``.

    Raises:
        FileNotFoundError: no ``calib.json``.
        KeyError: a key absent, named with its path in the file.
    """
    path = osp.join(root, 'calib.json')
    if not osp.isfile(path):
        raise FileNotFoundError(f'MUSES calibration not found: {path}')
    with open(path) as f:
        calib = json.load(f)
    out = {}
    for modality in modalities:
        for name, keys in CALIBRATION_KEYS[modality].items():
            node = calib
            for depth, key in enumerate(keys):
                if not isinstance(node, dict) or key not in node:
                    raise KeyError(f'{path} has no {"/".join(keys[:depth + 1])}, which the '
                                   f'{modality} projection needs')
                node = node[key]
            out[name] = np.asarray(node, dtype=np.float64)
    return out


def load_meta(root: str) -> dict:
    """``meta.json``: per frame, its paths, split, weather, time of day and timestamps."""
    path = osp.join(root, 'meta.json')
    if not osp.isfile(path):
        raise FileNotFoundError(f'MUSES meta data not found: {path}')
    with open(path) as f:
        return json.load(f)


def scale_intrinsics(K: np.ndarray, shape: Tuple[int, int]) -> np.ndarray:
    """The frame camera's ``K`` (for 1920x1080) for an ``(H, W)`` target image."""
    K = np.array(K, dtype=np.float64)
    sy, sx = shape[0] / FRAME_SIZE[0], shape[1] / FRAME_SIZE[1]
    K[0, 0] *= sx
    K[0, 2] *= sx
    K[1, 1] *= sy
    K[1, 2] *= sy
    return K


def read_lidar(path: str) -> np.ndarray:
    """``[N, 6]`` float64 points of a ``_lidar.bin`` file.

    Raises:
        ValueError: the file is empty, or its size is not a whole number of 6-float64 rows
            (truncated).
    """
    size = osp.getsize(path)
    row = LIDAR_COLUMNS * 8
    if size == 0:
        raise ValueError(f'{path}: the LiDAR scan is empty (0 bytes): an interrupted download '
                         'or copy; a scan without points would project to an empty image')
    if size % row:
        raise ValueError(f'{path}: {size} bytes is not a whole number of {LIDAR_COLUMNS}-column '
                         f'float64 points ({row} bytes each): the file is truncated or not a '
                         'MUSES LiDAR scan')
    return np.fromfile(path, dtype=np.float64).reshape(-1, LIDAR_COLUMNS)


def read_radar_scan(path: str) -> np.ndarray:
    """The raw range-azimuth scan of a ``_radar.png``: ``[rows, 400]`` uint8."""
    scan = cv2.imread(path, cv2.IMREAD_UNCHANGED)
    if scan is None:
        raise ValueError(f'cannot decode radar scan {path}')
    if scan.ndim == 3:
        scan = scan[..., 0]
    if scan.dtype != np.uint8 or scan.shape[1] != RADAR_AZIMUTHS or \
            scan.shape[0] <= RADAR_HEADER_ROWS:
        raise ValueError(f'{path} is not a raw MUSES radar scan (8-bit, {RADAR_AZIMUTHS} '
                         f'azimuth columns, {RADAR_HEADER_ROWS} header rows): got '
                         f'{scan.dtype} {scan.shape}')
    return scan


def radar_points(scan: np.ndarray) -> np.ndarray:
    """``[N, 4]`` points ``x, y, z, intensity`` of the field-of-view azimuths of a radar scan.

    Range bin ``k`` lies at ``(k + 1) * 0.0438`` m; column ``a`` at azimuth
    ``-radians(-180 + 0.9 (a + 1))``; every point at the ground level, 1.62 m
    below the sensor; a bin counts where the column's valid flag is set.
    """
    first, last = RADAR_FOV_COLUMNS
    bins = min(scan.shape[0] - RADAR_HEADER_ROWS, int(RADAR_MAX_RANGE // RADAR_RESOLUTION))
    azimuths = -np.radians(np.linspace(-180 + 360 / RADAR_AZIMUTHS, 180, RADAR_AZIMUTHS))
    azimuths = azimuths[first:last]
    valid = scan[RADAR_VALID_ROW, first:last].astype(bool)
    intensity = scan[RADAR_HEADER_ROWS:RADAR_HEADER_ROWS + bins, first:last].astype(np.float64)
    distance = RADAR_RESOLUTION * np.arange(1, bins + 1)
    rows, cols = np.nonzero(np.broadcast_to(valid, intensity.shape))
    return np.stack([distance[rows] * np.cos(azimuths[cols]),
                     distance[rows] * np.sin(azimuths[cols]),
                     np.full(rows.shape, -RADAR_GROUND_LEVEL), intensity[rows, cols]], axis=1)


def project_points(points: np.ndarray, sensor2rgb: np.ndarray, K: np.ndarray,
                   shape: Tuple[int, int], max_distance: Optional[float] = None,
                   height: bool = True) -> np.ndarray:
    """Points of a sensor as a ``[range, intensity, height or 0]`` image of the frame camera.

    Args:
        points: ``[N, >=4]``: ``x, y, z, intensity`` in the sensor frame.
        sensor2rgb: 4x4 sensor-to-frame-camera transform.
        K: The frame camera's intrinsics at ``shape`` (:func:`scale_intrinsics`).
        shape: ``(H, W)`` of the image.
        max_distance: Points farther from the sensor are dropped.
        height: Third channel ``z``, else 0.

    Returns:
        ``[H, W, 3]`` float32; pixels without a point are 0.
    """
    h, w = shape
    distance = np.linalg.norm(points[:, :3], axis=1)
    keep = distance >= MIN_DISTANCE
    if max_distance is not None:
        keep &= distance <= max_distance
    points, distance = points[keep], distance[keep]
    camera = (sensor2rgb[:3, :3] @ points[:, :3].T + sensor2rgb[:3, 3:]).T
    front = camera[:, 2] > 0
    points, distance, camera = points[front], distance[front], camera[front]
    uv = (K @ camera.T).T
    u, v = uv[:, 0] / uv[:, 2], uv[:, 1] / uv[:, 2]
    inside = (u > 0) & (u < w - 1) & (v > 0) & (v < h - 1)
    points, distance, depth = points[inside], distance[inside], camera[inside, 2]
    cols, rows = u[inside].astype(int), v[inside].astype(int)
    order = np.argsort(-depth, kind='stable')  # far first: the nearest point is written last
    image = np.zeros((h, w, 3), dtype=np.float32)
    rows, cols = rows[order], cols[order]
    image[rows, cols, 0] = distance[order]
    image[rows, cols, 1] = points[order, 3]
    if height:
        image[rows, cols, 2] = points[order, 2]
    return image


def read_events(path: str) -> Dict[str, np.ndarray]:
    """The four event datasets of a ``_event_camera.h5`` file.

    Raises:
        ImportError: h5py is not installed.
        KeyError: a dataset is missing, named.
        OSError: the data need an HDF5 compression filter that is not installed.
    """
    try:
        import h5py
    except ImportError as err:
        raise ImportError('reading MUSES events needs h5py: pip install h5py hdf5plugin') from err
    try:
        import hdf5plugin  # noqa: F401  (registers the compression filters MUSES uses)
    except ImportError:
        hdf5plugin = None
    try:
        handle = h5py.File(path, 'r')
    except OSError as err:
        raise OSError(f'{path}: not a readable HDF5 event file (truncated or damaged: '
                      f'{str(err).splitlines()[0] if str(err) else type(err).__name__})') from None
    with handle as f:
        missing = [name for name in EVENT_DATASETS if name not in f]
        if missing:
            raise KeyError(f'{path} has no event datasets {missing} (expected '
                           f'{list(EVENT_DATASETS)})')
        try:
            return {name.split('/')[1]: f[name][:] for name in EVENT_DATASETS}
        except OSError as err:
            hint = 'pip install hdf5plugin' if hdf5plugin is None else \
                'the filter is not among those hdf5plugin provides'
            raise OSError(f'{path}: cannot read the event data ({err}); it needs an HDF5 '
                          f'compression filter that is not installed: {hint}') from err


def event_image(events: Dict[str, np.ndarray], window_end_us: float, K_rgb: np.ndarray,
                K_event: np.ndarray, event2rgb: np.ndarray, shape: Tuple[int, int],
                window_us: float = EVENT_WINDOW_US) -> np.ndarray:
    """Events of ``[window_end - window, window_end]`` as ``[positive, negative, 0]`` counts.

    The window is closed at both ends, as the SDK's (``timbroed/MUSES``,
    ``processing/event_camera_processing.py``, ``accumulate_events``: ``t >= t_max - 30 ms``).
    The counts are exact; the SDK's ``render`` writes them into a ``uint8`` image, so a pixel
    with 256 events reads 0 there.

    Each event pixel is mapped into the frame camera with the rotation-only
    homography ``K_rgb R_event2rgb K_event^-1``: the composition of the
    SDK's stereo rectification of the event camera and the inverse
    rectification of the frame camera (``cv2.stereoRectify`` with zero
    disparity, then ``cv2.undistortPoints`` twice), which equals it for
    undistorted pixels. Coordinates are rounded; events outside the image
    are dropped.

    Args:
        events: ``x``, ``y``, ``t`` (µs), ``p`` (1 positive, 0 negative).
        window_end_us: End of the accumulation window, µs.
        K_rgb: The frame camera's intrinsics at ``shape``.
        K_event: The event camera's intrinsics.
        event2rgb: 4x4 event-to-frame-camera transform.
        shape: ``(H, W)``.
        window_us: Window length, µs.

    Returns:
        ``[H, W, 3]`` float32 counts.
    """
    t = events['t'].astype(np.float64)
    keep = (t >= window_end_us - window_us) & (t <= window_end_us)
    x, y = events['x'][keep].astype(np.float64), events['y'][keep].astype(np.float64)
    positive = events['p'][keep].astype(np.int64) == 1
    homography = K_rgb @ event2rgb[:3, :3] @ np.linalg.inv(K_event)
    mapped = homography @ np.stack([x, y, np.ones_like(x)])
    cols = np.round(mapped[0] / mapped[2]).astype(np.int64)
    rows = np.round(mapped[1] / mapped[2]).astype(np.int64)
    h, w = shape
    inside = (cols >= 0) & (cols < w) & (rows >= 0) & (rows < h)
    image = np.zeros((h, w, 3), dtype=np.float32)
    for channel, selected in ((0, positive), (1, ~positive)):
        chosen = inside & selected
        np.add.at(image[..., channel], (rows[chosen], cols[chosen]), 1.0)
    return image


def dilate(image: np.ndarray, kernel: Tuple[int, int], shift_height: bool = False) -> np.ndarray:
    """Enlarge sparse points (the SDK's ``--enlarge_*_points``: a max filter).

    With ``shift_height`` the (negative) height channel is raised by 255 where set
    before the dilation and lowered after, as the SDK does for LiDAR.
    """
    image = image.copy()
    if shift_height:
        image[image[..., 2] != 0, 2] += 255.0
    image = cv2.dilate(image, np.ones(kernel, np.uint8), iterations=1)
    if shift_height:
        image[image[..., 2] != 0, 2] -= 255.0
    return image


def encode_png(image: np.ndarray, folder: str, path: str = '') -> np.ndarray:
    """The SDK's 16-bit PNG encoding of a projection of sensor ``folder``.

    ``(value + shift) * scale`` truncated to an integer, as the SDK's
    ``rescale_and_shift_image`` (``timbroed/MUSES``, ``processing/utils.py``) does with
    ``astype(np.uint16)``: a decoded value is at most one step (1/scale) below the original.

    Raises:
        ValueError: a value outside what 16 bits hold after the shift and scale.
    """
    scale, shift = PNG_ENCODINGS[folder]
    stored = np.floor((image.astype(np.float64) + shift) * scale)
    if stored.min() < 0 or stored.max() > 65535:
        raise ValueError(f'{path or folder}: values {image.min():.3f}..{image.max():.3f} do not '
                         f'fit the 16-bit PNG encoding (v + {shift}) * {scale}; write .npz')
    return stored.astype(np.uint16)


def write_projection(path: str, image: np.ndarray, folder: str) -> None:
    """Write a projection as ``.npz`` or 16-bit ``.png``, atomically (resumable conversions)."""
    os.makedirs(osp.dirname(path), exist_ok=True)
    tmp = path + '.part' + osp.splitext(path)[1]
    if path.endswith('.npz'):
        np.savez_compressed(tmp, image.astype(np.float32))
    elif path.endswith('.png'):
        if not cv2.imwrite(tmp, encode_png(image, folder, path)):
            raise OSError(f'cannot write {tmp}')
    else:
        raise ValueError(f'{path}: projections are written as .npz or .png')
    os.replace(tmp, path)


def decode_projection(data: bytes, path: str, folder: str) -> np.ndarray:
    """``[H, W, 3]`` float32 values of a stored projection (``.npz``, ``.npy`` or 16-bit ``.png``).

    Raises:
        ValueError: undecodable (truncated ``.npz``, no ``arr_0``), not 3 channels, an 8-bit
            PNG where the SDK's 16-bit encoding is expected, or (radar) a raw range-azimuth
            scan; the message names the file.
    """
    if path.endswith(('.npz', '.npy')):
        try:
            loaded = np.load(io.BytesIO(data), allow_pickle=False)
            image = loaded['arr_0'] if path.endswith('.npz') else loaded
            image = np.asarray(image, dtype=np.float32)
        except KeyError:
            raise ValueError(f'{path}: the .npz holds no array arr_0 (it holds '
                             f'{list(loaded.keys())}); projections are written as arr_0') \
                from None
        except (ValueError, OSError, EOFError, zipfile.BadZipFile) as err:
            raise ValueError(f'{path}: cannot read the projection (truncated or damaged: '
                             f'{type(err).__name__}: {err})') from None
    else:
        require_whole(data, path)
        stored = cv2.imdecode(np.frombuffer(data, np.uint8), cv2.IMREAD_UNCHANGED)
        if stored is None:
            raise ValueError(f'cannot decode projection {path}')
        if folder == 'radar' and stored.dtype == np.uint8 and \
                stored.shape[1] == RADAR_AZIMUTHS:
            raise ValueError(f'{path} is a raw MUSES radar scan (range x {RADAR_AZIMUTHS} '
                             'azimuths), not a projection to the frame camera: run '
                             'tools/dataset_converters/muses.py MUSES_ROOT and read its '
                             "projected_to_rgb/ output (MUSESDataset(layout='projected'))")
        if stored.dtype != np.uint16:
            raise ValueError(f'{path}: a {stored.dtype} PNG where the SDK\'s 16-bit encoding of '
                             f'a {folder} projection is expected (read as 16 bits it would give '
                             'values near the encoding\'s offset); for the authors\' 8-bit PNGs '
                             "use MUSESDataset(layout='authors')")
        scale, shift = PNG_ENCODINGS[folder]
        image = stored.astype(np.float32) / np.float32(scale) - np.float32(shift)
    if image.ndim != 3 or image.shape[2] != 3:
        raise ValueError(f'{path}: a projection has 3 channels; got shape {image.shape}')
    return image
