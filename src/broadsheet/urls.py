"""Where every kind of page lives, in one place.

Paths are site-relative and end in ``/`` for pretty URLs; ``output_file``
maps one to the file that holds it. Templates link with ``url()``, which
makes a path relative to the current page, so the site works from any
folder or sub-path, and the same input always gives the same bytes.
"""

from __future__ import annotations

from datetime import date
from posixpath import normpath

from .errors import BroadsheetError

MAX_NAME = 255  # bytes in one file name: the limit of every common file system


def article(slug: str) -> str:
    return f"articles/{slug}/"


def topic(slug: str) -> str:
    return f"topics/{slug}/"


def entity(slug: str) -> str:
    """A person, organisation or place; kind lists live at ``entities/people/`` etc."""
    return f"entities/{slug}/"


def cluster(slug: str) -> str:
    """The reports of one event from several outlets, named after the first report."""
    return f"stories/{slug}/"


def source(slug: str) -> str:
    return f"sources/{slug}/"


def tag(slug: str) -> str:
    return f"tags/{slug}/"


def year(value: int) -> str:
    return f"archive/{value:04d}/"


def month(value: date) -> str:
    return f"archive/{value:%Y/%m}/"


def edition(value: date) -> str:
    """The page of one day's edition: the digest of that date."""
    return f"archive/{value:%Y/%m/%d}/"


def paged(base: str, number: int) -> str:
    """The path of page ``number`` (1-based) of a paginated list at ``base``."""
    return base if number <= 1 else f"{base}page/{number}/"


def output_file(path: str) -> str:
    """The file that holds the page at ``path``; refuses anything that would escape the output folder."""
    file = path + "index.html" if path == "" or path.endswith("/") else path
    clean = normpath(file)
    if clean.startswith(("../", "/")) or clean in ("..", ".") or "\\" in clean or "\0" in clean or clean != file:
        raise BroadsheetError(f"refusing to write outside the output folder: {path!r}")
    if any(len(part.encode("utf-8", "surrogatepass")) > MAX_NAME for part in clean.split("/")):
        raise BroadsheetError(f"a file name in {path[:100]!r}... is longer than {MAX_NAME} bytes")
    return clean


def prefix(path: str) -> str:
    """What leads from the page at ``path`` back to the site root (``../../`` or empty)."""
    return "../" * output_file(path).count("/")
