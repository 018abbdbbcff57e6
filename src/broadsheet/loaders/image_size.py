"""The width and height an image file declares in its header (PNG, GIF, JPEG, WebP, AVIF).

A page that gives an image's ``width`` and ``height`` keeps its layout while
the image loads (no shift of the text under it: Lighthouse's CLS). Only the
first bytes are read (a JPEG's segments are walked, seeking past their
data: a camera's metadata may run to hundreds of kilobytes before its size);
a file that is not what its header claims gives none.
A JPEG whose EXIF orientation turns it a quarter (a phone's portrait photo,
stored landscape) is shown turned by browsers: its sides are given swapped.
"""

from __future__ import annotations

import struct
from typing import BinaryIO

HEAD = 64 * 1024  # what is read first: every format's size is in this, but a JPEG's after large metadata
MAX_SEGMENTS = 1024  # a JPEG's segments walked before its size, at most (real files have tens)
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
    if kind == "jpeg":
        size = _jpeg(_Reader(stream, head))
    else:
        size = {"png": _png, "gif": _gif, "webp": _webp, "avif": _avif}[kind](head)
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


class _Reader:
    """Bytes of a file at any offset: from its first bytes, read already, else from the file itself."""

    def __init__(self, stream: BinaryIO, head: bytes) -> None:
        self.stream, self.head = stream, head

    def at(self, offset: int, size: int) -> bytes:
        if offset + size <= len(self.head):
            return self.head[offset : offset + size]
        self.stream.seek(offset)
        return self.stream.read(size)


def _jpeg(data: _Reader) -> tuple[int, int] | None:
    """The size in the first start-of-frame segment, walking the segments from the start of the file; turned if
    an EXIF segment before it says the picture is shown turned a quarter."""
    position = 2
    turned = False
    for _ in range(MAX_SEGMENTS):
        segment = data.at(position, 9)
        if len(segment) < 9 or segment[0] != 0xFF:
            return None
        marker = segment[1]
        if marker == 0xFF:  # fill byte
            position += 1
            continue
        if marker in (0x01, *range(0xD0, 0xD9)):  # markers without a length
            position += 2
            continue
        (length,) = struct.unpack(">H", segment[2:4])
        if length < 2:
            return None
        if marker in _SOF:
            height, width = struct.unpack(">HH", segment[5:9])
            return (height, width) if turned else (width, height)
        if marker == _APP1 and segment[4:9] == b"Exif\0":
            turned = turned or _exif_orientation(data.at(position + 10, length - 8)) in (5, 6, 7, 8)
        position += 2 + length
    return None


# The boxes an AVIF's image properties are in: meta (a full box: 4 bytes of version and flags first) › iprp › ipco.
_AVIF_PATH = (b"meta", b"iprp", b"ipco")


def _avif(head: bytes) -> tuple[int, int] | None:
    """The largest image-spatial-extent (``ispe``) property, the primary image's (thumbnails and tiles are smaller),
    its sides swapped if a rotation (``irot``) turns it a quarter."""
    found = _boxes(head, 0, len(head), 0)
    sizes = [struct.unpack(">II", body[4:12]) for kind, body in found if kind == b"ispe" and len(body) >= 12]
    if not sizes:
        return None
    width, height = max(sizes, key=lambda size: size[0] * size[1])
    turned = any(kind == b"irot" and body[:1] and body[0] & 1 for kind, body in found)
    return (height, width) if turned else (width, height)


def _boxes(data: bytes, start: int, end: int, depth: int) -> list[tuple[bytes, bytes]]:
    """The (type, content) of the boxes in ``data[start:end]`` at the level ``depth`` of ``_AVIF_PATH``, and of
    the properties inside its last box."""
    found: list[tuple[bytes, bytes]] = []
    position = start
    while position + 8 <= end:
        size, kind = struct.unpack(">I4s", data[position : position + 8])
        header = 8
        if size == 1 and position + 16 <= end:  # a 64-bit size follows the type
            (size,) = struct.unpack(">Q", data[position + 8 : position + 16])
            header = 16
        elif size == 0:  # to the end of the file
            size = end - position
        if size < header:
            return found
        content_end = min(position + size, end)
        if depth == len(_AVIF_PATH):
            found.append((kind, data[position + header : content_end]))
        elif kind == _AVIF_PATH[depth]:
            inner = position + header + (4 if kind == b"meta" else 0)
            found += _boxes(data, inner, content_end, depth + 1)
        position += size
    return found


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
