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


def author(slug: str) -> str:
    """The articles of one byline."""
    return f"authors/{slug}/"


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


# What the site writes at its root (folders and files): an old address given for an article (``redirect``)
# may not take one of these places.
SITE_FOLDERS = frozenset({
    "articles", "topics", "entities", "stories", "sources", "tags", "authors", "archive", "page", "search", "static",
    "media", "pagefind",
})  # fmt: skip
SITE_FILES = frozenset({
    "index.html", "404.html", "feed.xml", "atom.xml", "feed.json", "sitemap.xml", "sitemap-news.xml", "robots.txt",
})  # fmt: skip
_CONTROL = frozenset(chr(n) for n in (*range(32), 127))


def redirect(address: str) -> tuple[str, str]:
    """The site path of an old address of an article (Hugo's ``aliases``, Jekyll's ``redirect_from``), or why not.

    ``/2019/05/old-title/`` and ``old-title`` are the folder page
    ``2019/05/old-title/``; ``/old.html`` the file. Not an address of
    another site, a path out of the site or through a dot-folder, nor a
    place of the site's own pages: ("", why) then.
    """
    path = address.strip().split("#", 1)[0].split("?", 1)[0]
    if "://" in path or path.startswith("//") or ":" in path.split("/", 1)[0]:
        return "", "is an address of another site, not a path of this one"
    parts = [part for part in path.split("/") if part not in ("", ".")]
    if not parts or any(part == ".." or part.startswith(".") or "\\" in part for part in parts):
        return "", "is not a path inside the site"
    if any(part.lower().endswith((".html", ".htm")) for part in parts[:-1]):
        return "", "names a page inside a page"
    if any(character in _CONTROL for character in path):
        return "", "is not a path inside the site"
    joined = "/".join(parts)
    page = joined if parts[-1].lower().endswith((".html", ".htm")) else joined + "/"
    if parts[0].lower() in SITE_FOLDERS | SITE_FILES:  # lower: one name on macOS's and Windows's disks
        return "", "is a place of the site's own pages"
    try:
        output_file(page)
    except BroadsheetError as exc:
        return "", exc.message
    return page, ""


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
