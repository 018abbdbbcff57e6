"""A rebuild after edits to articles' text alone fingerprints only the page sets that show that text.

Telling which page sets changed means describing every set's inputs
(dependencies.set_fingerprint): a fifth of a one-article rebuild at 10,000
articles. When the site publishes the very articles the last build published
to this output folder, in the same order, under the same slugs, with the same
light records (cache.Loaded.light), and pages are rendered as then (the same
``base``: code, settings, templates, tags and clusters), then every page set
shows what it showed then, but for the text of the articles whose input
changed. Only the sets reading that text (assemble.texts_read) are made
and fingerprinted; the others are not even made: they stand in by their
names, recorded in the state in the order the build made them, and keep the
fingerprint recorded for them, and so their files.

The state is kept per output folder with the generation of the live site it
describes: a site published by a build that could not save it (killed just
after) matches none, and that rebuild fingerprints every set.
"""

from __future__ import annotations

import pickle
from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass
from itertools import compress
from operator import ne
from pathlib import Path

from .assemble import PageSet, SiteIndex, article_set
from .fingerprint import digest
from .model import Article, Story
from .pagesets_enrich import entity_set

TEXT_STATE_FORMAT = 2


@dataclass(frozen=True)
class TextState:
    """What a build's pages showed of its articles (``light``) and which text each had (``texts``)."""

    base: str
    light: str  # digest of every published article's path, slug and light digest, in order; "" if one has none
    texts: tuple[str, ...]  # each published article's sha256, in the same order
    paths: tuple[str, ...]  # each published article's site path: not stored
    generation: str = ""  # of the live site these describe: known once it is published
    sets: tuple[str, ...] = ()  # the names of the build's page sets, in the order it made them


def text_state(
    base: str, published: Sequence[tuple[Article, tuple[Story, ...]]], lights: Mapping[str, str]
) -> TextState:
    """The state of the articles a build publishes; ``lights``: each input's light digest (cache.Loaded.light), by path."""
    paths: list[str] = []
    texts: list[str] = []
    parts = [base]
    known = True
    for article, _ in published:  # one pass: ten thousand articles, each read once
        provenance = article.provenance
        version = lights.get(provenance.path, "")
        known = known and version != ""
        paths.append(provenance.path)
        texts.append(provenance.sha256)
        parts += (provenance.path, article.slug, version)
    return TextState(base, digest(*parts) if known else "", tuple(texts), tuple(paths))


def changed_texts(before: TextState | None, now: TextState, generation: str) -> frozenset[str] | None:
    """The paths of the articles whose text alone changed since ``before``; None: more changed, or it is not known.

    ``generation``: the live site's now. ``before`` must describe it.
    """
    if before is None or not now.light or not generation:
        return None
    if (before.base, before.light, before.generation) != (now.base, now.light, generation):
        return None
    if len(before.texts) != len(now.texts):
        return None  # the same light digest over other paths: cannot be, but never trusted
    return frozenset(compress(now.paths, map(ne, before.texts, now.texts)))


def set_name(page_set: PageSet | str) -> str:
    """The name of a set of a text-only rebuild, made or given by name (``text_only_sets``)."""
    return page_set if isinstance(page_set, str) else page_set.name


def text_only_sets(
    index: SiteIndex, before: TextState, changed: frozenset[str], live: Collection[str]
) -> list[PageSet | str] | None:
    """The page sets of a text-only rebuild, in order: those reading a changed text made, the others by name.

    A name stands for a set that shows what it showed last build (same light
    records, same sets): it keeps its recorded fingerprint. Only article
    pages and entity lists quoting an article read a text (``texts_read``).
    ``live``: the names of the sets the live site records (output state).
    None when the names saved are not those, or not every set made here:
    the caller makes every set.
    """
    names = set(before.sets)
    if not names or len(names) != len(before.sets) or len(live) != len(names) or not names.issuperset(live):
        return None
    made: dict[str, PageSet] = {}
    for article in index.articles:
        if article.provenance.path in changed:
            page_set = article_set(index, article)
            made[page_set.name] = page_set
    for entry in index.entities or ():
        if entry.quoting and any(story.article.provenance.path in changed for story in entry.quoting):
            page_set = entity_set(index, entry)
            made[page_set.name] = page_set
    if not made.keys() <= names:
        return None
    return [made.get(name, name) for name in before.sets]


def read_text_state(file: Path) -> TextState | None:
    """The state a build saved in ``file``; None when it is missing, damaged or in another format."""
    try:
        with file.open("rb") as stream:
            form, base, light, texts, generation, sets = pickle.load(stream)  # noqa: S301 - our own file under .cache/
    except (OSError, pickle.UnpicklingError, EOFError, AttributeError, TypeError, ValueError, ImportError):
        return None
    if form != TEXT_STATE_FORMAT or not all(isinstance(v, str) for v in (base, light, texts, generation, sets)):
        return None
    return TextState(base, light, _lines(texts), (), generation, _lines(sets))


def _lines(text: str) -> tuple[str, ...]:
    return tuple(text.split("\n")) if text else ()


def saved_form(state: TextState, generation: str) -> tuple[object, ...]:
    """What ``read_text_state`` reads back, for the site published as ``generation``: one string per list.

    Set names are site paths, made of slugs: should one hold a line break, no
    names are saved, and the next rebuild makes every set.
    """
    sets = "\n".join(state.sets)
    if sets.count("\n") != max(len(state.sets) - 1, 0):
        sets = ""
    return (TEXT_STATE_FORMAT, state.base, state.light, "\n".join(state.texts), generation, sets)
