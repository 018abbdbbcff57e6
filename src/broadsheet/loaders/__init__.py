"""Input formats: one module per format, each returning the same ``Article``.

``LOADERS`` maps a file suffix to its parser; ``discover`` lists the input
files of a site in a stable order; ``load_file`` reads and parses one.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path

from ..config import SiteConfig
from ..errors import BroadsheetError, Diagnostics
from ..model import Article
from .article import LoadContext
from .markdown import parse_markdown
from .plaintext import parse_plaintext
from .source_text import SourceText, read_source

Parser = Callable[[SourceText, LoadContext], Article]
LOADERS: dict[str, Parser] = {
    ".txt": parse_plaintext,
    ".text": parse_plaintext,
    ".md": parse_markdown,
    ".markdown": parse_markdown,
}


def discover(config: SiteConfig, diagnostics: Diagnostics) -> list[Path]:
    """Every input file under the content and seeds folders, sorted; never outside the site."""
    root = config.paths.root
    found: set[Path] = set()
    for folder in (config.paths.content, config.paths.seeds):
        if folder.is_dir():
            found.update(_walk(folder, root, diagnostics))
    return sorted(found, key=lambda p: p.relative_to(root).as_posix())


def _walk(folder: Path, root: Path, diagnostics: Diagnostics) -> Iterator[Path]:
    for path in folder.rglob("*"):
        if any(part.startswith((".", "_")) for part in path.relative_to(folder).parts):
            continue
        if path.is_symlink() and path.is_dir() and not path.resolve().is_relative_to(root):
            diagnostics.warn("symbolic link to a folder outside the site: skipped", path.relative_to(root))
            continue
        if path.suffix.lower() not in LOADERS:
            continue
        resolved = path.resolve()
        if not resolved.is_relative_to(root):
            diagnostics.warn("symbolic link to a file outside the site: skipped", path.relative_to(root))
            continue
        if resolved.is_file():
            yield path


def load_file(path: Path, config: SiteConfig, diagnostics: Diagnostics) -> Article:
    """Read and parse one input file; raises ``BroadsheetError`` naming the file."""
    if path.suffix.lower() not in LOADERS:
        raise BroadsheetError(f"no loader for '{path.suffix}' files", path)
    return parse_source(read_source(path, config.paths.root, diagnostics), config, diagnostics)


def parse_source(source: SourceText, config: SiteConfig, diagnostics: Diagnostics) -> Article:
    """Parse the text of an input file with the loader for its suffix; errors name the file."""
    parser = LOADERS.get(source.path.suffix.lower())
    if parser is None:
        raise BroadsheetError(f"no loader for '{source.path.suffix}' files", source.relpath)
    try:
        return parser(source, LoadContext(config, diagnostics))
    except RecursionError:
        raise BroadsheetError("input nested too deeply to parse", source.relpath) from None


__all__ = ["LOADERS", "discover", "load_file", "parse_source"]
