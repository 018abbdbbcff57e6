"""The width and height an image file declares in its header (PNG, GIF, JPEG, WebP; AVIF unread).

A page that gives an image's ``width`` and ``height`` keeps its layout while
the image loads (no shift of the text under it: Lighthouse's CLS). Only the
first bytes are read; a file that is not what its header claims gives none.
"""

from __future__ import annotations

import struct
from typing import BinaryIO

HEAD = 64 * 1024  # JPEG's size comes after its metadata segments: EXIF thumbnails fit in this, mostly
MAX_SIDE = 65535
# JPEG start-of-frame markers (baseline, progressive, lossless…): not DHT (C4), JPG (C8) or DAC (CC).
_SOF = frozenset({0xC0, 0xC1, 0xC2, 0xC3, 0xC5, 0xC6, 0xC7, 0xC9, 0xCA, 0xCB, 0xCD, 0xCE, 0xCF})


def image_size(stream: BinaryIO) -> tuple[int, int] | None:
    """(width, height) from the header of the image file open in ``stream``, or None if it does not say."""
    head = stream.read(HEAD)
    size = _png(head) or _gif(head) or _webp(head) or _jpeg(head)
    if size is None or not (0 < size[0] <= MAX_SIDE and 0 < size[1] <= MAX_SIDE):
        return None
    return size


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
    """The size in the first start-of-frame segment, walking the segments from the start of the file."""
    if head[:2] != b"\xff\xd8":
        return None
    position = 2
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
            return width, height
        position += 2 + length
    return None
