"""The lead image the front matter names (``metadata.ImageRef``), as the site can show it (``model.Image``).

An http(s) URL (or ``//host/…``) is shown as it is. A path names a file of
the content folder, found as an image in the body is (assets.py: next to the
article in a Hugo page bundle, from the content folder's root with a leading
``/``, Pelican's ``{static}``, Jekyll's ``{{ site.baseurl }}``), published
under ``media/``. Anything else (``javascript:``, ``data:``, ``file:``, a
file that is not there, is not an image or lies outside the content folder)
gives no lead image and a warning naming the key and its line.
"""

from __future__ import annotations

from pathlib import PurePosixPath
from typing import TYPE_CHECKING
from urllib.parse import quote, urlsplit

from ..model import Image
from .assets import IMAGES, content_folder, locate, media_path, open_plain_file, site_path_of
from .image_size import image_size
from .metadata import ImageRef

if TYPE_CHECKING:
    from .article import LoadContext

IMAGE_SUFFIXES = frozenset(IMAGES.split())


Read = tuple[str, int, int]  # a content file whose bytes a record depends on: site path, size, mtime_ns


def lead_image(
    ref: ImageRef | None, relpath: str, ctx: LoadContext, files: dict[str, bool]
) -> tuple[Image | None, Read | None]:
    """The image ``ref`` names for the article at ``relpath``, and the state of its file if one was read for its size.

    Each content file looked for is noted in ``files`` (assets.locate).
    """
    if ref is None:
        return None, None
    address = ref.address
    if address.startswith("//"):
        address = "https:" + address
    try:
        parts = urlsplit(address)
    except ValueError:
        return _refused(ref, relpath, ctx, "is not a URL or a path")
    if parts.scheme.lower() in ("http", "https"):
        if not parts.hostname:
            return _refused(ref, relpath, ctx, "has no host")
        return Image(address, ref.alt, ref.caption, ref.credit), None
    if parts.scheme and len(parts.scheme) > 1:  # one letter: a Windows drive (C:\…), refused as a path below
        return _refused(ref, relpath, ctx, f"is a {parts.scheme}: URL, not http(s) or a file of the content folder")
    config = ctx.config
    content = content_folder(config.paths.root, config.paths.content)
    found = None if content is None else site_path_of(address, relpath, content)
    if content is None or found is None or PurePosixPath(found).suffix.lower() not in IMAGE_SUFFIXES:
        return _refused(ref, relpath, ctx, "names no image file of the content folder")
    on_disk = locate(config.paths.root, found, files)
    if on_disk is None:
        return _refused(ref, relpath, ctx, f"names {found}, which is not there (or cannot be read)")
    with open_plain_file(config.paths.root, on_disk) as opened:
        if opened is None:  # gone or swapped for a link since: not there after all
            return _refused(ref, relpath, ctx, f"names {found}, which is not there (or cannot be read)")
        stream, (size, modified) = opened
        width, height = image_size(stream) or (0, 0)
    image = Image(quote(media_path(on_disk, content), safe="/"), ref.alt, ref.caption, ref.credit, width, height)
    return image, (on_disk, size, modified)


def _refused(ref: ImageRef, relpath: str, ctx: LoadContext, why: str) -> tuple[None, None]:
    """No lead image, and a warning saying why."""
    ctx.diagnostics.warn(f"'{ref.key}' {ref.address[:100]!r} {why}: no lead image", relpath, ref.line)
    return None, None
