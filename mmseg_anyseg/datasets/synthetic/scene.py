"""Procedural street scenes and the four sensors that observe them.

Every sensor sees the same scene but carries partial, different information,
as real sensors do:

- camera (RGB): class appearance (colour, texture), the only sensor that
  sees road lines well; degraded at night, in fog and rain, and by the
  camera failure cases (motion blur, over- and under-exposure);
- depth: dense geometry in every weather, no texture: road and road line are
  the same plane, sidewalk differs from road only by a small curb;
- LiDAR: sparse scan lines of range and reflectance intensity; the
  ``lidarjitter`` case shifts its returns;
- event camera: brightness changes from ego and object motion, i.e. edges,
  robust to darkness; the ``eventlowres`` case lowers its resolution.
"""
from dataclasses import dataclass
from typing import Dict, Optional

import numpy as np

# DELIVER class ids of the classes drawn here.
BUILDING, FENCE, PEDESTRIAN, POLE, ROADLINE, ROAD, SIDEWALK, VEGETATION, CARS = 0, 1, 3, 4, 5, 6, 7, 8, 9
TRAFFICSIGN, SKY, TERRAIN = 11, 12, 21

#: Mean camera colour (RGB) of each class.
CLASS_COLOUR = {
    BUILDING: (120, 100, 90), FENCE: (150, 120, 80), PEDESTRIAN: (200, 60, 80),
    POLE: (140, 140, 150), ROADLINE: (235, 235, 225), ROAD: (85, 85, 90),
    SIDEWALK: (150, 140, 130), VEGETATION: (60, 130, 50), CARS: (40, 60, 170),
    TRAFFICSIGN: (230, 200, 30), SKY: (130, 180, 235), TERRAIN: (120, 110, 60),
}
#: LiDAR reflectance of each class (0-255).
CLASS_INTENSITY = {
    BUILDING: 110, FENCE: 140, PEDESTRIAN: 90, POLE: 170, ROADLINE: 250, ROAD: 40,
    SIDEWALK: 75, VEGETATION: 55, CARS: 200, TRAFFICSIGN: 255, SKY: 0, TERRAIN: 60,
}
#: Classes that move relative to the scene (extra event activity).
MOVING = (CARS, PEDESTRIAN)
FAR = 200.0  # metres, depth of the sky


@dataclass
class Scene:
    """One frame: labels, metric depth, and the object-motion field.

    Attributes:
        label: ``[H, W]`` DELIVER class ids.
        depth: ``[H, W]`` metres.
        motion: ``[H, W]`` horizontal image motion of each pixel, pixels/frame.
        instance_tint: ``[H, W, 3]`` per-instance colour offset.
    """

    label: np.ndarray
    depth: np.ndarray
    motion: np.ndarray
    instance_tint: np.ndarray


def _box(scene: Scene, rng: np.random.Generator, cls: int, top: int, bottom: int, left: int,
         right: int, depth: float, motion: float = 0.0, tint: float = 25.0) -> None:
    height, width = scene.label.shape
    top, bottom = max(top, 0), min(bottom, height)
    left, right = max(left, 0), min(right, width)
    if top >= bottom or left >= right:
        return
    scene.label[top:bottom, left:right] = cls
    scene.depth[top:bottom, left:right] = depth
    scene.motion[top:bottom, left:right] = motion
    scene.instance_tint[top:bottom, left:right] = rng.normal(0, tint, 3)


def make_scene(rng: np.random.Generator, size: int) -> Scene:
    """Draw a random street scene of ``size x size`` pixels."""
    h = w = size
    rows = np.arange(h, dtype=np.float32)[:, None]
    cols = np.arange(w, dtype=np.float32)[None, :]
    horizon = int(rng.uniform(0.36, 0.48) * h)
    focal, cam_height = 0.9 * w, 1.6
    below = np.maximum(rows - horizon, 0.5)
    ground_depth = np.minimum(focal * cam_height / below, FAR)

    label = np.full((h, w), SKY, np.uint8)
    depth = np.full((h, w), FAR, np.float32)
    label[horizon:] = TERRAIN
    depth[horizon:] = np.broadcast_to(ground_depth[horizon:], (h - horizon, w))
    scene = Scene(label, depth, np.zeros((h, w), np.float32), np.zeros((h, w, 3), np.float32))

    # Road, sidewalks and the dashed centre line converge to the vanishing point.
    centre = w * rng.uniform(0.4, 0.6)
    spread = rng.uniform(0.9, 1.5)
    offset = (cols - centre) / below
    ground = rows >= horizon
    road = ground & (np.abs(offset) < spread)
    sidewalk = ground & ~road & (np.abs(offset) < spread + rng.uniform(0.5, 0.9))
    label[road] = ROAD
    label[sidewalk] = SIDEWALK
    curb = 0.15  # a raised sidewalk is slightly closer to the camera
    depth[sidewalk] = np.minimum(focal * (cam_height - curb) / below, FAR).repeat(w, 1)[sidewalk]
    dashes = (np.floor(np.log(ground_depth + 1.0) * 6) % 2 == 0)
    line = road & (np.abs(offset) < 0.06) & dashes
    label[line] = ROADLINE

    # Objects stand on the ground; paint from far to near.
    objects = []
    for side in (-1, 1):
        for _ in range(rng.integers(1, 4)):   # buildings beyond the sidewalk
            base = horizon + rng.integers(1, max(2, h // 12))
            objects.append(('building', side, base))
        for _ in range(rng.integers(0, 3)):   # trees
            objects.append(('tree', side, horizon + rng.integers(2, max(3, h // 4))))
        for _ in range(rng.integers(0, 3)):   # poles, some with signs
            objects.append(('pole', side, horizon + rng.integers(3, max(4, h // 2))))
        for _ in range(rng.integers(0, 3)):   # pedestrians on the sidewalk
            objects.append(('pedestrian', side, horizon + rng.integers(4, h - horizon)))
        if rng.random() < 0.4:
            objects.append(('fence', side, horizon + rng.integers(4, max(5, h // 3))))
    for _ in range(rng.integers(1, 4)):       # cars on the road
        objects.append(('car', int(rng.choice((-1, 1))), horizon + rng.integers(4, h - horizon)))
    objects.sort(key=lambda o: o[2])

    for kind, side, base in objects:
        dist = float(focal * cam_height / max(base - horizon, 0.5))
        scale = (base - horizon)  # pixels per ~1.6 m at this distance
        road_half = spread * scale
        walk_half = (spread + 0.7) * scale
        if kind == 'building':
            left = centre + side * walk_half
            width_px = rng.uniform(0.3, 0.6) * w
            x0, x1 = (left, left + width_px) if side > 0 else (left - width_px, left)
            top = horizon - rng.uniform(0.15, 0.4) * h
            _box(scene, rng, BUILDING, int(top), base, int(x0), int(x1), dist * 1.2)
        elif kind == 'tree':
            x = centre + side * rng.uniform(road_half + 0.2 * scale, walk_half + 0.5 * scale)
            trunk_h, crown = 2.0 * scale, max(1.2 * scale, 1.5)
            _box(scene, rng, VEGETATION, int(base - trunk_h), base, int(x - 0.1 * scale - 1),
                 int(x + 0.1 * scale + 1), dist)
            yy, xx = np.ogrid[:h, :w]
            disc = (yy - (base - trunk_h)) ** 2 + (xx - x) ** 2 < crown**2
            label[disc], depth[disc] = VEGETATION, dist
            scene.motion[disc] = 0
        elif kind == 'pole':
            x = centre + side * (road_half + 0.15 * scale)
            top = base - 3.0 * scale
            _box(scene, rng, POLE, int(top), base, int(x - 0.05 * scale - 1),
                 int(x + 0.05 * scale + 1), dist, tint=5)
            if rng.random() < 0.6:
                s = max(int(0.35 * scale), 2)
                _box(scene, rng, TRAFFICSIGN, int(top), int(top) + s, int(x - s // 2),
                     int(x + s // 2 + 1), dist * 0.99, tint=10)
        elif kind == 'pedestrian':
            x = centre + side * rng.uniform(road_half + 0.1 * scale, walk_half)
            half = max(0.15 * scale, 1)
            _box(scene, rng, PEDESTRIAN, int(base - 1.1 * scale), base, int(x - half),
                 int(x + half + 1), dist, motion=side * 1.0, tint=40)
        elif kind == 'fence':
            x = centre + side * walk_half
            length = rng.uniform(0.5, 2.0) * scale
            x0, x1 = (x, x + length) if side > 0 else (x - length, x)
            _box(scene, rng, FENCE, int(base - 0.6 * scale), base, int(x0), int(x1), dist, tint=10)
        else:  # car
            x = centre + side * rng.uniform(0.1, 0.7) * road_half
            half = 1.1 * scale
            _box(scene, rng, CARS, int(base - 0.9 * scale), base, int(x - half), int(x + half),
                 dist, motion=side * 2.0, tint=45)
    return scene


def _lookup(table: Dict[int, object], label: np.ndarray, default=0) -> np.ndarray:
    values = np.array([table.get(i, default) for i in range(256)], dtype=np.float32)
    return values[label]


def _blur_rows(img: np.ndarray, width: int) -> np.ndarray:
    padded = np.pad(img, ((0, 0), (width // 2, width - 1 - width // 2), (0, 0)), mode='edge')
    cumsum = np.cumsum(padded, axis=1, dtype=np.float64)
    cumsum = np.concatenate([np.zeros_like(cumsum[:, :1]), cumsum], axis=1)
    return ((cumsum[:, width:] - cumsum[:, :-width]) / width).astype(np.float32)


def render_rgb(scene: Scene, rng: np.random.Generator, condition: str,
               case: Optional[str]) -> np.ndarray:
    """Camera image, ``[H, W, 3]`` uint8."""
    colour = np.stack([_lookup({k: v[c] for k, v in CLASS_COLOUR.items()}, scene.label)
                       for c in range(3)], axis=-1)
    texture = rng.normal(0, 12, scene.label.shape + (1, )).astype(np.float32)
    shade = 1.0 - 0.25 * np.clip(np.log(scene.depth) / np.log(FAR), 0, 1)[..., None]
    img = (colour + scene.instance_tint + texture) * shade
    if condition == 'cloud':
        img = 0.75 * img + 0.25 * img.mean(axis=-1, keepdims=True)
        img *= 0.8
    elif condition == 'rain':
        img *= 0.7
        streaks = (rng.random(scene.label.shape) < 0.03).astype(np.float32)
        img += 80 * _blur_rows(streaks[..., None].transpose(1, 0, 2), 7).transpose(1, 0, 2)
    elif condition == 'fog':
        haze = 1 - np.exp(-scene.depth / rng.uniform(8, 15))
        img = img * (1 - haze[..., None]) + 190 * haze[..., None]
    elif condition == 'night':
        img = img * 0.12 + rng.normal(0, 6, img.shape)
    if case == 'motionblur':
        img = _blur_rows(img, 9)
    elif case == 'overexposure':
        img = img * 3.5 + 60
    elif case == 'underexposure':
        img = img * 0.08 + rng.normal(0, 4, img.shape)
    return np.clip(img, 0, 255).astype(np.uint8)


def render_depth(scene: Scene, rng: np.random.Generator) -> np.ndarray:
    """Depth camera image, ``[H, W, 3]`` uint8 (log-scaled near = bright)."""
    log_depth = np.log(np.clip(scene.depth, 1.0, FAR)) / np.log(FAR)
    value = 255 * (1 - log_depth) + rng.normal(0, 1.0, scene.depth.shape)
    value = np.clip(value, 0, 255).astype(np.uint8)
    return np.repeat(value[..., None], 3, axis=-1)


def render_lidar(scene: Scene, rng: np.random.Generator, case: Optional[str]) -> np.ndarray:
    """Projected LiDAR, ``[H, W, 3]`` uint8: range, intensity, return flag; sparse."""
    h, w = scene.label.shape
    hit = np.zeros((h, w), bool)
    hit[::4] = rng.random((len(range(0, h, 4)), w)) < 0.6
    hit &= scene.label != SKY
    rows, cols = np.nonzero(hit)
    rng_values = 255 * (1 - np.log(np.clip(scene.depth[rows, cols], 1, FAR)) / np.log(FAR))
    intensity = _lookup(CLASS_INTENSITY, scene.label[rows, cols])
    intensity = intensity + rng.normal(0, 8, intensity.shape)
    if case == 'lidarjitter':
        rows = np.clip(rows + rng.integers(-3, 4, rows.shape), 0, h - 1)
        cols = np.clip(cols + rng.integers(-3, 4, cols.shape), 0, w - 1)
        rng_values = rng_values + rng.normal(0, 20, rng_values.shape)
    out = np.zeros((h, w, 3), np.float32)
    out[rows, cols, 0] = rng_values
    out[rows, cols, 1] = intensity
    out[rows, cols, 2] = 255
    return np.clip(out, 0, 255).astype(np.uint8)


def render_event(scene: Scene, rng: np.random.Generator, condition: str,
                 case: Optional[str]) -> np.ndarray:
    """Event frame, ``[H, W, 3]`` uint8: positive, negative and total counts.

    Events are the log-brightness change between the scene and the scene a
    moment later (ego motion toward the vanishing point plus object motion),
    computed from scene radiance, so darkness only adds noise events.
    """
    h, w = scene.label.shape
    grey = np.stack([_lookup({k: v[c] for k, v in CLASS_COLOUR.items()}, scene.label)
                     for c in range(3)], -1).mean(-1) + scene.instance_tint.mean(-1)
    log_i = np.log1p(np.clip(grey, 0, 255))
    shift = np.rint(scene.motion).astype(int) + 1
    cols = np.clip(np.arange(w)[None, :] - shift, 0, w - 1)
    later = log_i[np.arange(h)[:, None], cols]
    diff = later - log_i
    noise = 0.02 if condition != 'night' else 0.08
    diff = diff + rng.normal(0, noise, diff.shape)
    pos = np.clip(diff / 0.15, 0, 8)
    neg = np.clip(-diff / 0.15, 0, 8)
    pos, neg = np.floor(pos), np.floor(neg)
    out = np.stack([pos, neg, pos + neg], -1) * 30
    if case == 'eventlowres':
        small = out.reshape(h // 4, 4, w // 4, 4, 3).mean(axis=(1, 3))
        out = small.repeat(4, 0).repeat(4, 1)
    return np.clip(out, 0, 255).astype(np.uint8)


def render_frame(rng: np.random.Generator, size: int, condition: str,
                 case: Optional[str]) -> Dict[str, np.ndarray]:
    """All sensors and the label of one random frame.

    Returns:
        ``rgb``, ``depth``, ``event``, ``lidar`` (``[H, W, 3]`` uint8) and
        ``label`` (``[H, W]`` DELIVER class ids).
    """
    scene = make_scene(rng, size)
    return dict(rgb=render_rgb(scene, rng, condition, case), depth=render_depth(scene, rng),
                event=render_event(scene, rng, condition, case),
                lidar=render_lidar(scene, rng, case), label=scene.label)
