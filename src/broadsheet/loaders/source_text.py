"""Reading an input file's bytes into text: encodings, line ends, hashes.

Real inputs arrive as UTF-8, UTF-8 with a BOM, UTF-16 from Windows tools, or
Latin-1/Windows-1252 from old CMSs; a page saved from a news site may say
its own encoding (``<meta charset="windows-1251">``, ``<?xml encoding=…?>``),
which is believed when its bytes are not UTF-8. Decoding is lenient where the
intent is clear and says so; it refuses only what is not text at all.
"""

from __future__ import annotations

import codecs
import hashlib
import re
from dataclasses import dataclass
from pathlib import Path

from ..codepoints import clean
from ..errors import BroadsheetError, Diagnostics

MAX_BYTES = 20 * 1024 * 1024
_BOMS = (
    (codecs.BOM_UTF32_LE, "utf-32-le"),
    (codecs.BOM_UTF32_BE, "utf-32-be"),
    (codecs.BOM_UTF8, "utf-8"),
    (codecs.BOM_UTF16_LE, "utf-16-le"),
    (codecs.BOM_UTF16_BE, "utf-16-be"),
)


@dataclass(frozen=True)
class SourceText:
    """An input file as text, with what identifies it."""

    path: Path
    relpath: str
    text: str
    sha256: str


def decode(data: bytes, path: Path | str, diagnostics: Diagnostics) -> str:
    """Decode ``data``; warn (naming the file) when it was not UTF-8."""
    for bom, encoding in _BOMS:
        if data.startswith(bom):
            try:
                return normalise_text(data[len(bom) :].decode(encoding))
            except UnicodeDecodeError as exc:
                raise BroadsheetError(
                    f"starts with a {encoding} byte-order mark but is not {encoding}: {exc.reason}", path
                ) from None
    if b"\x00" in data:
        raise BroadsheetError("binary file (contains NUL bytes), not an article", path)
    try:
        return normalise_text(data.decode("utf-8"))
    except UnicodeDecodeError as exc:
        line = data.count(b"\n", 0, exc.start) + 1
        declared = declared_encoding(data)
        if declared is not None:
            name, text = declared
            diagnostics.warn(
                f"not valid UTF-8 (byte 0x{data[exc.start]:02X}); read as {name}, as it declares", path, line
            )
            return normalise_text(text)
        diagnostics.warn(f"not valid UTF-8 (byte 0x{data[exc.start]:02X}); read as Windows-1252", path, line)
    # Only the bytes that are not UTF-8 are read as Windows-1252: a UTF-8 file with one stray Latin-1
    # byte keeps its curly quotes and dashes, and a whole Latin-1 file (where no accented letter
    # starts a valid UTF-8 sequence in practice) reads the same as decoding it all as Windows-1252.
    escaped = data.decode("utf-8", errors="surrogateescape")
    return normalise_text(_STRAY_BYTES.sub(_as_windows_1252, escaped))


# Where a file names its encoding near its start: ``<meta charset=X>``, ``<meta http-equiv="Content-Type"
# content="text/html; charset=X">`` (an HTML page, looked for in its first 1,024 bytes as browsers do),
# or an XML declaration's ``encoding="X"``.
_DECLARED = re.compile(
    rb"""<meta\b[^>]*?\bcharset\s*=\s*["']?\s*([A-Za-z0-9._:-]+)|<\?xml\b[^>]*?\bencoding\s*=\s*["']([A-Za-z0-9._:-]+)""",
    re.I,
)
# Labels that browsers read as Windows-1252 (the WHATWG Encoding Standard), and the UTF-8 labels that
# bytes not UTF-8 belie: both are left to the Windows-1252 reading below.
_READ_AS_1252 = frozenset(("cp1252", "iso8859-1", "ascii", "utf-8"))
# Labels browsers read as a wider encoding than their name (WHATWG): pages labelled GB2312 are GBK, and so on.
_SUPERSETS = {"gb2312": "gbk", "euc_kr": "cp949", "shift_jis": "cp932", "iso8859-9": "cp1254", "tis-620": "cp874"}


def declared_encoding(data: bytes) -> tuple[str, str] | None:
    """The encoding ``data`` declares and the text it gives, when that is neither UTF-8 nor Windows-1252
    (or a label browsers read as it) and Python knows it; bytes it has no letter for become U+FFFD."""
    found = _DECLARED.search(data, 0, 1024)
    if found is None:
        return None
    label = (found.group(1) or found.group(2)).decode("ascii").lower()
    try:
        codec = codecs.lookup(label)
    except LookupError:
        return None
    if codec.name in _READ_AS_1252 or codec.name.startswith(("utf-16", "utf-32")):
        return None
    return label, data.decode(_SUPERSETS.get(codec.name, codec.name), errors="replace")


# What ``surrogateescape`` makes of each byte that is not part of valid UTF-8 (0x80-0xFF).
_STRAY_BYTES = re.compile("[\udc80-\udcff]+")


def _as_windows_1252(stray: re.Match[str]) -> str:
    """The escaped bytes as Windows-1252; its five unassigned bytes become U+FFFD, never C1 controls."""
    return bytes(ord(char) - 0xDC00 for char in stray.group()).decode("cp1252", errors="replace")


def normalise_text(text: str) -> str:
    """``text`` with Unix newlines and without the code points no page may hold (``codepoints.clean``)."""
    if "\r" in text:
        text = text.replace("\r\n", "\n").replace("\r", "\n")
    return clean(text)


def read_source(path: Path, root: Path, diagnostics: Diagnostics) -> SourceText:
    """Read ``path`` (inside the site ``root``) as text, refusing what is not an article."""
    relpath = path.relative_to(root).as_posix() if path.is_relative_to(root) else path.name
    try:
        size = path.stat().st_size
        if size > MAX_BYTES:
            raise BroadsheetError(
                f"file is {size // 1_048_576} MB; articles over {MAX_BYTES // 1_048_576} MB are refused", relpath
            )
        data = path.read_bytes()
    except OSError as exc:
        raise BroadsheetError(f"cannot read: {exc.strerror or exc}", relpath) from None
    text = decode(data, relpath, diagnostics)
    if not text.strip():
        raise BroadsheetError("empty file: nothing to publish", relpath)
    return SourceText(path=path, relpath=relpath, text=text, sha256=hashlib.sha256(data).hexdigest())
