"""Input formats: one module per format, each returning the same ``Article``.

``LOADERS`` maps a file suffix to its parser; ``discover`` lists the input
files of a site in a stable order; ``load_file`` reads and parses one.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator
from dataclasses import replace
from pathlib import Path

from ..config import SiteConfig
from ..errors import BroadsheetError, Diagnostics
from ..model import Article
from .article import LoadContext
from .html_page import parse_html_page
from .markdown import parse_markdown
from .plaintext import parse_plaintext
from .source_text import SourceText, read_source

Parser = Callable[[SourceText, LoadContext], Article]
LOADERS: dict[str, Parser] = {
    ".txt": parse_plaintext,
    ".text": parse_plaintext,
    ".md": parse_markdown,
    ".markdown": parse_markdown,
    # The other Markdown extensions Jekyll reads by default.
    ".mkd": parse_markdown,
    ".mkdn": parse_markdown,
    ".mdown": parse_markdown,
    ".mkdown": parse_markdown,
    # Pelican's HTML articles, Hugo's and Jekyll's HTML content files, pages saved from news sites.
    ".html": parse_html_page,
    ".htm": parse_html_page,
}
# Jekyll's folders of posts, read although their names start with "_" (its other "_" folders are
# layouts, includes and data, not articles); what is in ``_drafts`` is a draft, as in Jekyll.
JEKYLL_FOLDERS = frozenset({"_posts", "_drafts"})
# Files a user may expect to be read as articles: named in a warning rather than passed over in silence.
NOT_READ = {
    ".rst": "reStructuredText is not read; convert it to Markdown",
    ".adoc": "AsciiDoc is not read; convert it to Markdown",
    ".org": "Org files are not read; convert them to Markdown",
    ".xml": "a feed is not read from content/: list it under 'feeds:' in site.yaml and run broadsheet ingest",
    ".rss": "a feed is not read from content/: list it under 'feeds:' in site.yaml and run broadsheet ingest",
    ".atom": "a feed is not read from content/: list it under 'feeds:' in site.yaml and run broadsheet ingest",
}


def discover(config: SiteConfig, diagnostics: Diagnostics) -> list[Path]:
    """Every input file under the content and seeds folders, sorted by site path; never outside the site."""
    return [Path(path) for path in inputs(config, diagnostics).values()]


def inputs(config: SiteConfig, diagnostics: Diagnostics, sidecars: set[str] | None = None) -> dict[str, str]:
    """``discover``'s files by site path (relative to the site folder, with ``/``), in the same order.

    Each file is given as the string of its path, not a ``Path``: a build
    looks up every input each time, and making (and ``stat``-ing through)
    ten thousand ``Path`` objects costs a tenth of a no-op rebuild.

    ``sidecars``, when given, receives the site paths of the inputs whose
    folder lists a ``NAME.yaml`` beside them (the others need no look for one).
    """
    root, paths = config.paths.root, config.paths
    found: dict[str, str] = {}
    beside: set[str] = set() if sidecars is None else sidecars
    # The site's other folders, should the content folder hold them (the site folder itself, ``content: .``).
    others = frozenset(str(folder) for folder in (paths.seeds, paths.templates, paths.data, paths.output, paths.cache))
    for folder in (paths.content, paths.seeds):
        if folder.is_dir():
            prefix = folder.relative_to(root).as_posix()  # "." when the content folder is the site folder itself
            found.update(
                _walk(folder, "" if prefix == "." else prefix, root, diagnostics, beside, others - {str(folder)})
            )
    return {key: found[key] for key in sorted(found)}


def _walk(
    folder: Path,
    prefix: str,
    root: Path,
    diagnostics: Diagnostics,
    sidecars: set[str],
    others: frozenset[str] = frozenset(),
) -> Iterator[tuple[str, str]]:
    """(site path, path) of each input under ``folder`` (site path ``prefix``, "" for the site folder); hidden and
    ``_`` names skipped, links checked.

    One directory listing per folder tells files, folders and links apart
    without a system call per file (ten thousand articles make that count).
    """
    try:
        with os.scandir(folder) as listing:
            entries = [
                entry
                for entry in listing
                if not entry.name.startswith((".", "_")) or (entry.name in JEKYLL_FOLDERS and entry.is_dir())
            ]
    except OSError as exc:  # unreadable: say so, and build what can be read
        diagnostics.warn(f"cannot list this folder ({exc.strerror}): skipped", prefix or ".")
        return
    within = f"{prefix}/" if prefix else ""
    yaml_names = {entry.name for entry in entries if entry.name.endswith(".yaml")}
    if yaml_names:  # most folders hold none: no need to look for one beside every file
        sidecars.update(
            within + entry.name for entry in entries if f"{os.path.splitext(entry.name)[0]}.yaml" in yaml_names
        )
    for entry in entries:
        site_path = within + entry.name
        if entry.is_symlink():  # a folder link is not followed; a file link only within the site
            target = Path(entry.path).resolve()
            if entry.is_dir():
                if not target.is_relative_to(root):
                    diagnostics.warn("symbolic link to a folder outside the site: skipped", site_path)
            elif _suffix(entry.name) in LOADERS:
                if not target.is_relative_to(root):
                    diagnostics.warn("symbolic link to a file outside the site: skipped", site_path)
                elif target.is_file():
                    yield site_path, entry.path
        elif entry.is_dir():
            if entry.path not in others:  # the templates, data or seeds folder: not articles of this one
                yield from _walk(Path(entry.path), site_path, root, diagnostics, sidecars, others)
        else:
            suffix = _suffix(entry.name)
            if suffix in LOADERS:
                yield site_path, entry.path
            elif suffix in NOT_READ:
                diagnostics.warn(f"{NOT_READ[suffix]}: skipped", site_path)


def _suffix(name: str) -> str:
    """``os.path.splitext(name)[1].lower()`` at a third of the cost (ten thousand names a build)."""
    stem, _, extension = name.rpartition(".")
    return f".{extension.lower()}" if stem.lstrip(".") else ""  # leading dots alone make no extension


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
        article = parser(source, LoadContext(config, diagnostics))
    except RecursionError:
        raise BroadsheetError("input nested too deeply to parse", source.relpath) from None
    if not article.draft and "_drafts" in source.relpath.split("/")[:-1]:
        article = replace(article, draft=True)
    return article


__all__ = ["LOADERS", "discover", "load_file", "parse_source"]
