"""Publishing the files of the content folder that articles link to (found by loaders/assets.py).

Each goes to ``media/<its path in the content folder>``, copied only when
its size or modification time changed since the live site was published
(the fingerprint the output state keeps), so a site with gigabytes of photos
reads none of them on a rebuild.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Iterable
from pathlib import Path

from .config import SiteConfig
from .errors import Diagnostics
from .loaders.assets import content_folder, file_key, media_path, open_plain_file
from .model import Article
from .output import Publisher

LinkedFiles = dict[str, tuple[int, int] | None]  # site path -> size and mtime, None when it is not there
# The state of a file the pages do not show as it is now (gone or unreadable when copied, or seen there by one
# article and not by another): no file has it, so the next build is no no-op and reads the articles again.
UNSETTLED = (-1, -1)


def publish_media(
    out: Publisher, config: SiteConfig, articles: Iterable[Article], diagnostics: Diagnostics
) -> LinkedFiles:
    """Copy each file the articles link to (and found when they were read); returns the state of every file named.

    The state is what a no-op rebuild compares (build.InputState): a photo
    replaced under the same name is copied again, one that comes or goes
    changes the pages that link to it. It is the state the pages show: a
    file that came or went since its articles were read is not recorded as
    it is now, or the next build would take pages that show it wrongly for
    up to date. A file only read (``Provenance.read``: a lead image whose
    bytes are no image) is not published, but its state is kept as read:
    replaced by a real image, the next build is no no-op.
    """
    seen: dict[str, set[bool]] = {}  # site path -> whether the articles found it there
    read: dict[str, set[tuple[int, int]]] = {}  # site path -> its size and mtime as articles read it
    for article in articles:
        for path, there in article.provenance.files:
            seen.setdefault(path, set()).add(there)
        for path, size, modified in article.provenance.read:
            read.setdefault(path, set()).add((size, modified))
    content = content_folder(config.paths.root, config.paths.content)
    root = config.paths.root
    state: LinkedFiles = {}
    for site_path, found in sorted(seen.items()):
        if True not in found:
            state[site_path] = None  # left out of every page: a file come since is a change
            continue
        key = None if content is None else _copy(out, root, site_path, media_path(site_path, content), diagnostics)
        state[site_path] = key if key is not None and found == {True} else UNSETTLED
    _warn_of_names_alike([path for path, key in state.items() if key is not None], diagnostics)
    for site_path, keys in read.items():
        if site_path not in state:  # read, not published
            state[site_path] = next(iter(keys)) if len(keys) == 1 else UNSETTLED
    return state


def _warn_of_names_alike(published: Iterable[str], diagnostics: Diagnostics) -> None:
    """Name published files whose names differ only in case or Unicode form (``Photo.JPG``, ``photo.jpg``).

    On the file systems of macOS and Windows, where sites are often built,
    copied or served from, the two are one file: one would show in place of
    the other. Linux keeps both, so the build does too, and says so.
    """
    alike: dict[str, list[str]] = {}
    for path in sorted(published):
        alike.setdefault(unicodedata.normalize("NFC", path).casefold(), []).append(path)
    for paths in alike.values():
        if len(paths) > 1:
            diagnostics.warn(
                f"linked files whose names differ only in case or accents ({', '.join(paths)}) are one file on "
                "macOS and Windows, where one would show in place of the other: rename one",
                paths[0],
            )


def _copy(out: Publisher, root: Path, site_path: str, path: str, diagnostics: Diagnostics) -> tuple[int, int] | None:
    """Publish the file at ``site_path`` at ``path`` (kept when its size and mtime are as then); its key, or None."""
    key = file_key(root, site_path)
    if key is None:  # gone since the article was read (it is read again next build)
        diagnostics.warn("linked from an article but gone while the site was built: not published", site_path)
        return None
    if out.keep_if_unchanged(path, _fingerprint(key)):
        return key
    try:
        with open_plain_file(root, site_path) as opened:  # never through a link, should one have taken its place
            if opened is not None:
                stream, key = opened
                out.write_from(path, stream, _fingerprint(key))
                return key
    except OSError:  # a read that failed half-way
        pass
    diagnostics.warn("linked from an article but cannot be read (or is a symbolic link now): not published", site_path)
    return None


def _fingerprint(key: tuple[int, int]) -> str:
    return f"file of {key[0]} bytes modified {key[1]}"
