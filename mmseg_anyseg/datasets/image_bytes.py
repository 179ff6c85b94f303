"""Image files checked as bytes before they are decoded: a cut or empty file is an error
naming it, never a partly decoded image.

OpenCV and Pillow may decode a PNG cut inside its image data into an image whose lower part is
blank, with no more than a warning; the end marker of the format tells a whole file.
"""
from typing import Optional

PNG_SIGNATURE = b'\x89PNG\r\n\x1a\n'
PNG_END = b'IEND\xaeB`\x82'
JPEG_END = b'\xff\xd9'


def damage(data: bytes, path: str) -> Optional[str]:
    """Why the bytes of an image file are not a whole file, or None."""
    if not data:
        return 'empty file (0 bytes)'
    if path.endswith('.png') and data.startswith(PNG_SIGNATURE) and PNG_END not in data[-16:]:
        return 'truncated PNG (no IEND chunk at its end)'
    if path.endswith(('.jpg', '.jpeg')) and not data.rstrip(b'\x00').endswith(JPEG_END):
        return 'truncated JPEG (no end-of-image marker)'
    return None


def png_bit_depth(data: bytes) -> Optional[int]:
    """Bits per channel of a PNG (its IHDR), or None for anything else."""
    return data[24] if data.startswith(PNG_SIGNATURE) and len(data) > 24 else None


def require_whole(data: bytes, path: str, max_bits: Optional[int] = None) -> None:
    """Raise if an image file is empty or cut short, or stores more bits than are read.

    Args:
        data: The file's bytes.
        path: The file, named in the error.
        max_bits: Bits per channel the reader keeps (8 for an 8-bit decode): a PNG with more
            would be silently scaled down.

    Raises:
        ValueError: naming the file and the cause.
    """
    reason = damage(data, path)
    if reason:
        raise ValueError(f'{path}: {reason}')
    bits = png_bit_depth(data)
    if max_bits is not None and bits is not None and bits > max_bits:
        raise ValueError(f'{path}: a {bits}-bit PNG where a {max_bits}-bit image is expected '
                         f'(decoded as {max_bits} bits its values would be scaled down)')
