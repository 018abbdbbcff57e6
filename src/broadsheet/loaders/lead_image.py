"""The lead image the front matter names (``metadata.ImageRef``), as the site can show it (``model.Image``).

An http(s) URL (or ``//host/…``) is shown as a page may carry it: ``\\``
read as ``/`` before its query (as browsers do), credentials left out, and
what a URL may not hold as written (a space, a quote, ``<``, a ``%`` that
starts no escape) percent-encoded, as ingest's ``page_url`` does; one with no
host, a host no browser accepts or a port that is not a number is refused.
A path names a file of the content folder, found as an image in the body is
(assets.py: next to the article in a Hugo page bundle, from the content
folder's root with a leading ``/``, Pelican's ``{static}``, Jekyll's
``{{ site.baseurl }}``), published under ``media/``. Anything else
(``javascript:``, ``data:``, ``file:``, a file that is not there, is not an
image (by its name, or by its first bytes: a text file named ``photo.png``)
or lies outside the content folder) gives no lead image and a warning naming
the key and its line.
"""

from __future__ import annotations

import re
from pathlib import PurePosixPath
from typing import TYPE_CHECKING
from urllib.parse import quote, urlsplit, urlunsplit

from ..model import Image
from .assets import IMAGE_SUFFIXES, content_folder, locate, media_path, read_image_file, site_path_of
from .metadata import ImageRef, written_url

if TYPE_CHECKING:
    from .article import LoadContext

_DROPPED = re.compile(r"[\t\n\r]")  # browsers (and urlsplit) drop these from a URL wherever they are
# What no host holds (WHATWG's forbidden domain code points; an IPv6 address in brackets is checked by urlsplit).
_NOT_IN_HOST = re.compile(r"[\x00-\x20\x7f#%/:<>?@\[\\\]^|]")


def lead_image(
    ref: ImageRef | None, relpath: str, ctx: LoadContext, files: dict[str, bool], read: dict[str, tuple[int, int]]
) -> Image | None:
    """The image ``ref`` names for the article at ``relpath``.

    Each content file looked for is noted in ``files`` (assets.locate), and
    one read for its size in ``read`` (assets.read_image_file). One whose
    bytes are no image is taken back out of ``files`` (what media.py
    publishes) unless the body links to it: a copy no page links to is
    no use, and may be anything (a page of HTML named ``photo.png``).
    """
    if ref is None:
        return None
    address = ref.address
    if address.startswith("//"):
        address = "https:" + address
    try:
        parts = urlsplit(address)
    except ValueError:
        return _refused(ref, relpath, ctx, "is not a URL or a path")
    if parts.scheme.lower() in ("http", "https"):
        url, problem = remote_url(address)
        if not url:
            return _refused(ref, relpath, ctx, problem)
        if problem:
            ctx.diagnostics.warn(f"'{ref.key}' {ref.address[:100]!r} {problem}", relpath, ref.line)
        return Image(url, ref.alt, ref.caption, ref.credit)
    if parts.scheme and len(parts.scheme) > 1:  # one letter: a Windows drive (C:\…), refused as a path below
        return _refused(ref, relpath, ctx, f"is a {parts.scheme}: URL, not http(s) or a file of the content folder")
    config = ctx.config
    content = content_folder(config.paths.root, config.paths.content)
    found = None if content is None else site_path_of(address, relpath, content)
    if content is None or found is None or PurePosixPath(found).suffix.lower() not in IMAGE_SUFFIXES:
        return _refused(ref, relpath, ctx, "names no image file of the content folder")
    looked: dict[str, bool] = {}
    on_disk = locate(config.paths.root, found, looked)
    linked_in_body = on_disk is not None and files.get(on_disk, False)  # the body links to it: published anyway
    files.update(looked)
    if on_disk is None:
        return _refused(ref, relpath, ctx, f"names {found}, which is not there (or cannot be read)")
    found_image = read_image_file(config.paths.root, on_disk, read)
    if on_disk not in read:  # gone or swapped for a link since: not there after all
        return _refused(ref, relpath, ctx, f"names {found}, which is not there (or cannot be read)")
    if found_image is None:
        # Not a file the article publishes (media.py copies each one there in ``files``), unless its body links to
        # it too. It stays in ``read``: the article is read again when it changes, to the image it is named as.
        if not linked_in_body:
            del files[on_disk]
        return _refused(ref, relpath, ctx, f"names {on_disk}, which is not a PNG, JPEG, GIF, WebP or AVIF image")
    _, width, height = found_image
    return Image(quote(media_path(on_disk, content), safe="/"), ref.alt, ref.caption, ref.credit, width, height)


def remote_url(address: str) -> tuple[str, str]:
    """An http(s) ``address`` as a page, a feed and a social card may carry it, and what to warn of.

    ``("", why)`` when no browser could load it: no host, a host with a
    character no host holds, a port that is not a number. Else the URL with
    ``\\`` read as ``/`` before its query (as browsers read it in an http(s)
    URL: ``https://a.example\\@b.example/`` is a.example's), tab and newline
    dropped, credentials (``user:password@``) left out with a problem to warn
    of, and each character a URL may not hold as written percent-encoded.
    """
    address = _DROPPED.sub("", address.strip())
    cut = min((i for i in (address.find("?"), address.find("#")) if i >= 0), default=len(address))
    address = address[:cut].replace("\\", "/") + address[cut:]
    try:
        parts = urlsplit(address)
        parts.port  # noqa: B018 - raises ValueError for a port that is not a number
    except ValueError:
        return "", "is not a valid http(s) URL (its host or port)"
    host = parts.netloc.rpartition("@")[2]
    name = host if host.startswith("[") else host.rpartition(":")[0] if ":" in host else host
    if not parts.hostname or not name:
        return "", "has no host"
    if not name.startswith("[") and _NOT_IN_HOST.search(name):
        return "", f"has a host no browser accepts ({name[:60]!r})"
    problem = ""
    if "@" in parts.netloc:
        parts = parts._replace(netloc=host)
        problem = "has credentials (user:password@): left out of its URL"
    url = urlunsplit(parts._replace(scheme=parts.scheme.lower()))
    return written_url(url), problem


def _refused(ref: ImageRef, relpath: str, ctx: LoadContext, why: str) -> Image | None:
    """No lead image, and a warning saying why."""
    ctx.diagnostics.warn(f"'{ref.key}' {ref.address[:100]!r} {why}: no lead image", relpath, ref.line)
    return None
