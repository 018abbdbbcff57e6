"""Files an article links to in the content folder (Hugo's page bundles, Pelican's ``{static}``), published under media/.

A Markdown article's page-relative link or image (``![](photo.jpg)``,
``[the report](files/report.pdf#page=3)``, Pelican's ``{static}/images/map.png``
and ``{attach}photo.jpg``) names a file of the content folder. When that
file is of a kind a site publishes (``PUBLISHED``: images, audio, video,
PDF, CSV) and lies in the content folder itself (no ``..`` out of it, no
symbolic link, nothing under a dot-folder), the build copies it to
``media/<its path in the content folder>`` and the link leads there, with
its query and fragment.
Anything else is left out with a warning, as a link to a file the site
does not have.

An article records each such file it looked for and whether it was there
(``Provenance.files``): its cached record is used only while that still
holds, so a photo added after the article was written shows at the next
build, and one removed is left out again.
"""

from __future__ import annotations

import html
import os
import re
import stat
import unicodedata
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from pathlib import Path, PurePosixPath
from typing import BinaryIO
from urllib.parse import quote, unquote

from .image_size import read_image

# What a site publishes from its content folder: media and documents a browser shows or downloads as they are.
# Not HTML or SVG (a page of the site's own origin that may run scripts), nor anything a loader reads as an article.
IMAGES = ".jpg .jpeg .png .gif .webp .avif"
SOUND_AND_VIDEO = ".mp3 .m4a .ogg .oga .opus .wav .flac .mp4 .m4v .webm .ogv"
DOCUMENTS = ".pdf .csv"
PUBLISHED = frozenset(f"{IMAGES} {SOUND_AND_VIDEO} {DOCUMENTS}".split())
IMAGE_SUFFIXES = frozenset(IMAGES.split())
MEDIA = "media/"
# From an article's page (articles/SLUG/, urls.article) back to the site root: bodies are shown on that page.
FROM_ARTICLE_PAGE = "../../"
# Jekyll's site root, which links to its files start with.
JEKYLL_SITE = re.compile(r"\{\{\s*site\.(?:baseurl|url)\s*\}\}")
# Pelican's prefixes for a file of the content folder: from the content root when the path starts with "/".
# Before Pelican 3.5, ``{filename}`` named static files too (``{filename}/images/map.png``); it names an article
# (``{filename}other.md``) as well, which no published suffix matches. Pelican still reads its first syntax,
# with bars (``|static|``).
PELICAN = tuple(f"{start}{name}{end}" for name in ("static", "attach", "filename") for start, end in ("{}", "||"))


def site_path_of(url: str, article: str, content: str) -> str | None:
    """The site path (``content/…``) of the file a page-relative ``url`` of the article at ``article`` names.

    ``article`` and ``content`` are site paths (``content/2025/post.md``,
    ``content``: a folder in the site folder, see ``content_folder``). None
    when the URL cannot name a file the site publishes: another kind of
    file, a path out of the content folder, a dot-folder.
    """
    path = url[: len(url) - len(query_and_fragment(url))]
    for prefix in PELICAN:
        if path.startswith(prefix):
            path = path[len(prefix) :]
            break
    jekyll = JEKYLL_SITE.match(path)
    if jekyll is not None:  # ``{{ site.baseurl }}/assets/map.png``: from the site's root, here the content folder
        path = "/" + path[jekyll.end() :].lstrip("/")
    found = content_path(unquote(path), article, content)
    if found is None or PurePosixPath(found).suffix.lower() not in PUBLISHED:
        return None
    return found


def content_path(path: str, article: str, content: str) -> str | None:
    """The site path ``path`` names in the content folder: from the article's folder, or the content folder's if
    it starts with ``/``.

    None when it leads out of the content folder or through a dot-folder or
    dot-file (``.git/``, ``.env``), or cannot be a file name.
    """
    if not path or "\\" in path or "\0" in path:
        return None
    folder = content if path.startswith("/") else str(PurePosixPath(article).parent)
    parts: list[str] = []
    for part in f"{folder}/{path.lstrip('/')}".split("/"):
        if part in ("", "."):
            continue
        if part == "..":
            if not parts:
                return None
            parts.pop()
        elif part.startswith("."):
            return None  # a dot-file or dot-folder (.git/, .env) is never published
        else:
            parts.append(part)
    found = "/".join(parts)
    return found if found.startswith(content + "/") else None


def query_and_fragment(url: str) -> str:
    """What follows the path in ``url`` (``?v=2#top``, ``#page=3``), kept on the link to the published file."""
    ends = [at for at in (url.find("?"), url.find("#")) if at >= 0]
    return url[min(ends) :] if ends else ""


def _plain_file(root: Path, site_path: str) -> os.stat_result | None:
    """The ``lstat`` of ``site_path`` if it is a plain file under ``root``, reached without a symbolic link, readable.

    One that cannot be read is not there: linked, it would be a broken link
    on the page, and its copy would fail build after build.
    """
    current = root
    found = None
    for part in site_path.split("/"):
        current = current / part
        try:
            found = os.lstat(current)
        except OSError:
            return None
        if stat.S_ISLNK(found.st_mode):
            return None
    if found is None or not stat.S_ISREG(found.st_mode) or not os.access(current, os.R_OK):
        return None
    return found


def is_there(root: Path, site_path: str) -> bool:
    """Whether ``site_path`` is a plain, readable file under ``root`` reached without a symbolic link."""
    return _plain_file(root, site_path) is not None


def locate(root: Path, site_path: str, looked: dict[str, bool]) -> str | None:
    """The name ``site_path`` has on disk, if it is there: as written, else in the other Unicode form.

    A file named on a Mac keeps its decomposed name (NFD: ``e`` and a
    combining accent) where the article's link is composed (NFC), or the
    other way round: to Linux they are two names. Each name looked for is
    noted in ``looked`` with whether it was there (``Provenance.files``),
    so the file coming under either name later is seen.
    """
    for name in dict.fromkeys([site_path, *(unicodedata.normalize(form, site_path) for form in ("NFC", "NFD"))]):
        there = looked[name] = is_there(root, name)
        if there:
            return name
    return None


def content_folder(root: Path, content: Path) -> str | None:
    """The content folder as a site path, if it is a folder inside the site folder (else nothing is published)."""
    try:
        inside = content.relative_to(root).as_posix()
    except ValueError:
        return None
    return None if inside in ("", ".") else inside


def media_path(site_path: str, content: str) -> str:
    """Where the site publishes the content file at ``site_path`` (``media/…``)."""
    return MEDIA + site_path[len(content) + 1 :]


def link_from_article(site_path: str, content: str, query_and_fragment: str = "") -> str:
    """The URL of the published file, as the article's page (and so its body) links to it.

    ``query_and_fragment``: those of the link as written (``#page=3`` of a PDF, ``#t=10`` of a video).
    """
    return FROM_ARTICLE_PAGE + quote(media_path(site_path, content), safe="/") + query_and_fragment


def still_as_recorded(root: Path, files: Iterable[tuple[str, bool]], read: Iterable[tuple[str, int, int]] = ()) -> bool:
    """Whether each file an article looked for is still there, or still not (``Provenance.files``), and each one
    it read from (``Provenance.read``) still of the same size and modification time."""
    return all(is_there(root, path) == there for path, there in files) and all(
        file_key(root, path) == (size, modified) for path, size, modified in read
    )


# The URL of a link or image as nh3 writes it (every attribute value double-quoted, a quote inside escaped),
# when it leads to a published file from the article's page: only a tag's, never text that reads the same
# (a page about HTML quoting `<img src="../../media/x.png">` in its code).
_MEDIA_LINK = re.compile(r'(<(?:a|img)(?:\s[a-z-]+="[^"]*")*?\s(?:href|src)=")' + re.escape(FROM_ARTICLE_PAGE + MEDIA))


def absolute_media(fragment: str, media_url: str) -> str:
    """``fragment`` (a body) with its links to published files absolute: a feed reader has no article page to start from."""
    return _MEDIA_LINK.sub(lambda link: link.group(1) + html.escape(media_url), fragment)


def file_key(root: Path, site_path: str) -> tuple[int, int] | None:
    """Size and modification time of the file at ``site_path``, if it is there (``is_there``)."""
    found = _plain_file(root, site_path)
    return None if found is None else (found.st_size, found.st_mtime_ns)


_NOFOLLOW = getattr(os, "O_NOFOLLOW", 0)  # POSIX flags: getattr, so that the module imports everywhere
_FOLDER = os.O_RDONLY | getattr(os, "O_DIRECTORY", 0) | _NOFOLLOW
_FILE = os.O_RDONLY | _NOFOLLOW | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_CLOEXEC", 0)  # a FIFO must not block


@contextmanager
def open_plain_file(root: Path, site_path: str) -> Iterator[tuple[BinaryIO, tuple[int, int]] | None]:
    """The file at ``site_path``, open to read, and its ``file_key``, if it is a plain file reached without a link.

    Each folder on the way is opened from the one before, refusing a
    symbolic link, and the file itself too: a file or folder swapped for a
    link since ``is_there`` said yes is not followed out of the site.
    None when it cannot be opened (gone, swapped, refused). It is read in
    pieces by whoever copies it: a video may be larger than memory.
    """
    descriptor = _open_plain(root, site_path)
    if descriptor is None:
        yield None
        return
    with os.fdopen(descriptor, "rb") as stream:
        found = os.fstat(descriptor)
        yield (stream, (found.st_size, found.st_mtime_ns)) if stat.S_ISREG(found.st_mode) else None


def read_image_file(root: Path, site_path: str, read: dict[str, tuple[int, int]]) -> tuple[str, int, int] | None:
    """The kind, width and height of the image file at ``site_path`` (``image_size.read_image``); None if it is none.

    When it could be opened, its size and modification time go in ``read``
    (``Provenance.read``): the article is read again when the file changes.
    """
    with open_plain_file(root, site_path) as opened:
        if opened is None:
            return None
        stream, key = opened
        read[site_path] = key
        return read_image(stream)


def _open_plain(root: Path, site_path: str) -> int | None:
    if os.open not in os.supports_dir_fd or not _NOFOLLOW:  # (Windows) checked, then opened: the best it allows
        if _plain_file(root, site_path) is None:
            return None
        try:
            return os.open(root / site_path, os.O_RDONLY | getattr(os, "O_BINARY", 0))
        except OSError:
            return None
    *folders, name = site_path.split("/")
    try:
        at = os.open(root, _FOLDER & ~_NOFOLLOW)
    except OSError:
        return None
    try:
        for folder in folders:
            inner = os.open(folder, _FOLDER, dir_fd=at)
            os.close(at)
            at = inner
        return os.open(name, _FILE, dir_fd=at)
    except OSError:
        return None
    finally:
        os.close(at)
