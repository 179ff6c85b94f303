"""Project MUSES' raw LiDAR, event and radar files into the frame camera, for every frame.

From the download (``timbroed/MUSES``: ``frame_camera/``, ``lidar/*.bin``, ``event_camera/*.h5``,
``radar/*.png`` raw range-azimuth scans, ``calib.json``, ``meta.json``) to the image-plane inputs
``MUSESDataset(layout='projected')`` reads, in the MUSES SDK's layout and encoding
(``scripts/project_sensors_to_rgb.py``), so that SDK projections and these are read by the same
code::

    MUSES_ROOT/projected_to_rgb/{lidar,event_camera,radar}/{split}/{weather}/{time}/<stem>_<sensor>.npz

LiDAR and radar become ``[range, intensity, height]`` (radar: height 0) in metres and raw
intensity; events ``[positive, negative, 0]`` counts over the 30 ms, bounds included, up to
the frame camera's exposure end (``meta.json``; ``--event-window-end last-event`` ends it at
the file's last event, as the SDK does). ``.npz`` holds float32 (default); ``--format png``
the SDK's 16-bit PNG, ``(v + 100) * 150`` truncated for LiDAR and radar, and exact 16-bit
counts for events (the SDK's event images are 8-bit and wrap at 256 events per pixel). Frames already written are skipped,
so a killed conversion resumes. ``mmseg_anyseg/datasets/muses_projection.py`` has the geometry.

    python tools/dataset_converters/muses.py data/muses [--out DIR] [--modalities lidar event radar]
        [--workers 4] [--format npz|png] [--shape 1080 1920] [--enlarge-event-points]
"""
import argparse
import glob
import os.path as osp
import sys
from functools import partial
from multiprocessing import Pool
from typing import List, Optional, Tuple

from tqdm import tqdm

from mmseg_anyseg.datasets.muses_projection import (FRAME_SIZE, RADAR_MAX_DISTANCE,
                                                    SENSOR_FOLDERS, dilate, event_image,
                                                    load_calibration, load_meta,
                                                    project_points, radar_points, read_events,
                                                    read_lidar, read_radar_scan,
                                                    scale_intrinsics, write_projection)

MODALITIES = ('lidar', 'event', 'radar')
SPLITS = ('train', 'val', 'test')
FRAME_SUFFIX = '_frame_camera.png'
RAW_SUFFIXES = dict(lidar='.bin', event='.h5', radar='.png')
# The SDK's dilation kernels (--enlarge_*_points).
ENLARGE_KERNELS = dict(lidar=(2, 2), event=(2, 2), radar=(9, 9))
EXPOSURE_END = 'frame_camera_exposure_end_timestamp_us'


def parse_args(argv=None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument('root', help='the MUSES download (holds calib.json and meta.json)')
    parser.add_argument('--out', help='output folder (default: ROOT/projected_to_rgb)')
    parser.add_argument('--modalities', nargs='+', choices=MODALITIES, default=list(MODALITIES))
    parser.add_argument('--splits', nargs='+', choices=SPLITS, default=list(SPLITS))
    parser.add_argument('--format', choices=('npz', 'png'), default='npz')
    parser.add_argument('--shape', type=int, nargs=2, default=list(FRAME_SIZE),
                        metavar=('H', 'W'), help='output size (default: the frame camera\'s)')
    parser.add_argument('--event-window-end', choices=('exposure-end', 'last-event'),
                        default='exposure-end')
    parser.add_argument('--workers', type=int, default=1)
    for modality in MODALITIES:
        parser.add_argument(f'--enlarge-{modality}-points', action='store_true',
                            help=f'dilate the {modality} points '
                            f'({ENLARGE_KERNELS[modality][0]}x{ENLARGE_KERNELS[modality][1]}, as '
                            'the SDK)')
    return parser.parse_args(argv)


def list_frames(root: str, splits) -> List[Tuple[str, str]]:
    """``(stem, relative folder)`` of every frame-camera image of the splits."""
    frames = []
    for split in splits:
        pattern = osp.join(root, 'frame_camera', split, '*', '*', f'*{FRAME_SUFFIX}')
        for path in sorted(glob.glob(pattern)):
            frames.append((osp.basename(path)[:-len(FRAME_SUFFIX)],
                           osp.relpath(osp.dirname(path), osp.join(root, 'frame_camera'))))
    return frames


def raw_path(root: str, entry: dict, modality: str, stem: str, rel: str) -> str:
    """A frame's raw sensor file: ``meta.json``'s ``path_to_<sensor>``, else the release layout."""
    folder = SENSOR_FOLDERS[modality]
    given = entry.get(f'path_to_{folder}')
    if given:
        return osp.join(root, given)
    return osp.join(root, folder, rel, f'{stem}_{folder}{RAW_SUFFIXES[modality]}')


def project(modality: str, path: str, entry: dict, calib: dict, shape: Tuple[int, int],
            args: argparse.Namespace, stem: str):
    """One frame's projection of one sensor, ``[H, W, 3]`` float32."""
    K_rgb = scale_intrinsics(calib['K_rgb'], shape)
    if modality == 'lidar':
        image = project_points(read_lidar(path), calib['lidar2rgb'], K_rgb, shape)
        return dilate(image, ENLARGE_KERNELS['lidar'], shift_height=True) \
            if args.enlarge_lidar_points else image
    if modality == 'radar':
        image = project_points(radar_points(read_radar_scan(path)), calib['radar2rgb'], K_rgb,
                               shape, max_distance=RADAR_MAX_DISTANCE, height=False)
        return dilate(image, ENLARGE_KERNELS['radar']) if args.enlarge_radar_points else image
    events = read_events(path)
    if args.event_window_end == 'last-event':
        window_end = float(events['t'].max()) if len(events['t']) else 0.0
    else:
        if EXPOSURE_END not in entry:
            raise KeyError(f'meta.json entry {stem!r} has no {EXPOSURE_END!r}, which the event '
                           'window needs (or use --event-window-end last-event)')
        window_end = float(entry[EXPOSURE_END])
        t = events['t']
        if len(t) and (window_end < t.min() or window_end - 30000 > t.max()):
            raise ValueError(f'{path}: events span {t.min()}..{t.max()} us, outside the 30 ms '
                             f'window before the exposure end {window_end:.0f} us of {stem} '
                             '(different clocks?): use --event-window-end last-event')
    image = event_image(events, window_end, K_rgb, calib['K_event'], calib['event2rgb'], shape)
    return dilate(image, ENLARGE_KERNELS['event']) if args.enlarge_event_points else image


def convert_frame(frame: Tuple[str, str], root: str, out: str, meta: dict, calib: dict,
                  args: argparse.Namespace) -> Tuple[int, int]:
    """Write one frame's projections; returns (written, skipped)."""
    stem, rel = frame
    if stem not in meta:
        raise KeyError(f'frame {osp.join(root, "frame_camera", rel, stem + FRAME_SUFFIX)} has no '
                       'entry in meta.json (its timestamps and sensor paths)')
    entry, shape = meta[stem], tuple(args.shape)
    written = skipped = 0
    for modality in args.modalities:
        folder = SENSOR_FOLDERS[modality]
        target = osp.join(out, folder, rel, f'{stem}_{folder}.{args.format}')
        if osp.isfile(target):
            skipped += 1
            continue
        source = raw_path(root, entry, modality, stem, rel)
        if not osp.isfile(source):
            raise FileNotFoundError(f'{modality} file of {stem} not found: {source}')
        write_projection(target, project(modality, source, entry, calib, shape, args, stem),
                         folder)
        written += 1
    return written, skipped


def main(argv: Optional[list] = None) -> int:
    try:
        return convert(parse_args(argv))
    except (ImportError, KeyError, OSError, ValueError) as err:
        raise SystemExit(f'error: {err.args[0] if err.args else err}') from err


def convert(args: argparse.Namespace) -> int:
    root = args.root
    out = args.out or osp.join(root, 'projected_to_rgb')
    meta = load_meta(root)
    calib = load_calibration(root, args.modalities)
    frames = list_frames(root, args.splits)
    if not frames:
        raise SystemExit(f'no frame-camera images under {osp.join(root, "frame_camera")}/'
                         f'{{{",".join(args.splits)}}}/<weather>/<time>/*{FRAME_SUFFIX}')
    work = partial(convert_frame, root=root, out=out, meta=meta, calib=calib, args=args)
    written = skipped = 0
    with tqdm(total=len(frames), desc=f'MUSES {"+".join(args.modalities)} -> {out}',
              unit='frame') as bar:
        if args.workers > 1:
            with Pool(args.workers) as pool:
                results = pool.imap_unordered(work, frames)
                for w, s in results:
                    written, skipped = written + w, skipped + s
                    bar.update()
        else:
            for frame in frames:
                w, s = work(frame)
                written, skipped = written + w, skipped + s
                bar.update()
    print(f'{len(frames)} frames: {written} projections written, {skipped} already there '
          f'(skipped) under {out}')
    return 0


if __name__ == '__main__':
    sys.exit(main())
