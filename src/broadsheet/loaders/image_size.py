"""The width and height an image file declares in its header (PNG, GIF, JPEG, WebP; AVIF unread).

A page that gives an image's ``width`` and ``height`` keeps its layout while
the image loads (no shift of the text under it: Lighthouse's CLS). Only the
first bytes are read; a file that is not what its header claims gives none.
A JPEG whose EXIF orientation turns it a quarter (a phone's portrait photo,
stored landscape) is shown turned by browsers: its sides are given swapped.
"""

from __future__ import annotations

import struct
from typing import BinaryIO

HEAD = 64 * 1024  # JPEG's size comes after its metadata segments: EXIF thumbnails fit in this, mostly
MAX_SIDE = 65535
# JPEG start-of-frame markers (baseline, progressive, lossless…): not DHT (C4), JPG (C8) or DAC (CC).
_SOF = frozenset({0xC0, 0xC1, 0xC2, 0xC3, 0xC5, 0xC6, 0xC7, 0xC9, 0xCA, 0xCB, 0xCD, 0xCE, 0xCF})
_APP1 = 0xE1
_ORIENTATION = 0x0112  # EXIF (TIFF) tag: 5 to 8 are the four turned a quarter
_AVIF_BRANDS = (b"avif", b"avis")


def image_size(stream: BinaryIO) -> tuple[int, int] | None:
    """(width, height) from the header of the image file open in ``stream``, or None if it does not say."""
    found = read_image(stream)
    return None if found is None or not found[1] else (found[1], found[2])


def read_image(stream: BinaryIO) -> tuple[str, int, int] | None:
    """The kind of the image file open in ``stream`` (``png``, ``gif``, ``jpeg``, ``webp``, ``avif``) and the width
    and height its header declares (0 and 0 when it does not say: AVIF, a truncated file); None if its first bytes
    are those of none of these kinds (a text file named ``photo.png``)."""
    head = stream.read(HEAD)
    kind = image_kind(head)
    if kind is None:
        return None
    size = {"png": _png, "gif": _gif, "webp": _webp, "jpeg": _jpeg}.get(kind, _none)(head)
    if size is None or not (0 < size[0] <= MAX_SIDE and 0 < size[1] <= MAX_SIDE):
        return kind, 0, 0
    return kind, *size


def image_kind(head: bytes) -> str | None:
    """The image kind the file's first bytes (its signature) say, if any."""
    if head.startswith(b"\x89PNG\r\n\x1a\n"):
        return "png"
    if head[:6] in (b"GIF87a", b"GIF89a"):
        return "gif"
    if head.startswith(b"\xff\xd8\xff"):
        return "jpeg"
    if head[:4] == b"RIFF" and head[8:12] == b"WEBP":
        return "webp"
    if head[4:8] == b"ftyp" and len(head) >= 16:  # ISO media: the major brand, then the compatible ones
        (box,) = struct.unpack(">I", head[:4])
        brands = head[8 : min(box, len(head), 256)]
        if any(brands[i : i + 4] in _AVIF_BRANDS for i in range(0, len(brands) - 3, 4)):
            return "avif"
    return None


def _none(head: bytes) -> None:
    return None


def _png(head: bytes) -> tuple[int, int] | None:
    if head[:8] != b"\x89PNG\r\n\x1a\n" or head[12:16] != b"IHDR" or len(head) < 24:
        return None
    width, height = struct.unpack(">II", head[16:24])
    return width, height


def _gif(head: bytes) -> tuple[int, int] | None:
    if head[:6] not in (b"GIF87a", b"GIF89a") or len(head) < 10:
        return None
    width, height = struct.unpack("<HH", head[6:10])
    return width, height


def _webp(head: bytes) -> tuple[int, int] | None:
    if head[:4] != b"RIFF" or head[8:12] != b"WEBP" or len(head) < 30:
        return None
    kind = head[12:16]
    if kind == b"VP8 " and head[23:26] == b"\x9d\x01\x2a":  # lossy: 14 bits each, after the frame tag
        width, height = struct.unpack("<HH", head[26:30])
        return width & 0x3FFF, height & 0x3FFF
    if kind == b"VP8L" and head[20] == 0x2F:  # lossless: 14 bits each, minus one, after the signature byte
        bits = int.from_bytes(head[21:25], "little")
        return (bits & 0x3FFF) + 1, ((bits >> 14) & 0x3FFF) + 1
    if kind == b"VP8X":  # extended: 24 bits each, minus one
        return int.from_bytes(head[24:27], "little") + 1, int.from_bytes(head[27:30], "little") + 1
    return None


def _jpeg(head: bytes) -> tuple[int, int] | None:
    """The size in the first start-of-frame segment, walking the segments from the start of the file; turned if
    an EXIF segment before it says the picture is shown turned a quarter."""
    if head[:2] != b"\xff\xd8":
        return None
    position = 2
    turned = False
    while position + 9 <= len(head):
        if head[position] != 0xFF:
            return None
        marker = head[position + 1]
        if marker == 0xFF:  # fill byte
            position += 1
            continue
        if marker in (0x01, *range(0xD0, 0xD9)):  # markers without a length
            position += 2
            continue
        (length,) = struct.unpack(">H", head[position + 2 : position + 4])
        if length < 2:
            return None
        if marker in _SOF:
            height, width = struct.unpack(">HH", head[position + 5 : position + 9])
            return (height, width) if turned else (width, height)
        if marker == _APP1 and head[position + 4 : position + 10] == b"Exif\0\0":
            turned = turned or _exif_orientation(head[position + 10 : position + 2 + length]) in (5, 6, 7, 8)
        position += 2 + length
    return None


def _exif_orientation(tiff: bytes) -> int:
    """The orientation tag of an EXIF block's first IFD (a TIFF header and directory), 0 if it has none."""
    order = {b"II": "<", b"MM": ">"}.get(tiff[:2])
    if order is None or len(tiff) < 8:
        return 0
    (magic, directory) = struct.unpack(order + "HI", tiff[2:8])
    if magic != 42 or directory + 2 > len(tiff):
        return 0
    (count,) = struct.unpack(order + "H", tiff[directory : directory + 2])
    for start in range(directory + 2, min(directory + 2 + 12 * count, len(tiff) - 11), 12):
        tag, kind = struct.unpack(order + "HH", tiff[start : start + 4])
        if tag == _ORIENTATION and kind == 3:  # a SHORT, first in its 4-byte value field
            (value,) = struct.unpack(order + "H", tiff[start + 8 : start + 10])
            return int(value)
    return 0
