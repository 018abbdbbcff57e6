"""Fingerprints of everything a build's output depends on besides the articles.

A change of broadsheet's code, ``site.yaml``, a template or the data folder
changes the fingerprint, and with it every cache key and page fingerprint: a
cache can never serve a result computed by different code or settings.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Iterable
from functools import cache
from pathlib import Path

from . import __version__
from .config import SiteConfig


def digest(*parts: str | bytes) -> str:
    """A short, stable hex digest of ``parts``: each part's bytes followed by a NUL."""
    try:  # all text (page fingerprints hash hundreds of thousands of these): one join, one update
        text = "\0".join(parts) + "\0" if parts else ""  # type: ignore[arg-type]
        data = text.encode("utf-8", "surrogatepass")
    except TypeError:
        h = hashlib.blake2b(digest_size=16)
        for part in parts:
            h.update(part.encode("utf-8", "surrogatepass") if isinstance(part, str) else part)
            h.update(b"\0")
        return h.hexdigest()
    return hashlib.blake2b(data, digest_size=16).hexdigest()


def _files(folders: Iterable[Path]) -> list[Path]:
    found: list[Path] = []
    for folder in folders:
        if folder.is_dir():
            found.extend(p for p in folder.rglob("*") if p.is_file() and "__pycache__" not in p.parts)
    return sorted(found)


def tree_digest(folders: Iterable[Path]) -> str:
    """The digest of every file's path and bytes under ``folders``."""
    h = hashlib.blake2b(digest_size=16)
    for path in _files(folders):
        h.update(path.as_posix().encode("utf-8", "surrogatepass") + b"\0" + path.read_bytes() + b"\0")
    return h.hexdigest()


@cache
def code_digest() -> str:
    """broadsheet's own source: editing the code invalidates every cache, version bump or not."""
    return digest(__version__, tree_digest([Path(__file__).parent]))


def enrich_fingerprint(config: SiteConfig) -> str:
    """What parsing and enrichment depend on: code, settings and the site's data folder."""
    return digest(code_digest(), config.fingerprint, tree_digest([config.paths.data]))


def render_fingerprint(config: SiteConfig, theme: Path) -> str:
    """What every page depends on besides its own content: code, settings, data and templates."""
    return digest(enrich_fingerprint(config), tree_digest([theme, config.paths.templates]))


def named_by_us(folder: Path, kind: str) -> list[Path]:
    """What a build named ``KIND-DIGEST…`` in ``folder``: the only things there it may ever remove.

    A cache folder can hold a user's own files (``articles-of-faith.md``,
    ``templates-old/``): removing stale files by prefix alone deleted them.
    """
    own = re.compile(rf"{re.escape(kind)}-[0-9a-f]{{32}}(?:\.[a-z]+)*")
    return sorted(path for path in folder.glob(f"{kind}-*") if own.fullmatch(path.name))
