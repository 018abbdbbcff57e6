"""A rebuild after edits to articles' text alone fingerprints only the page sets that show that text.

Telling which page sets changed means describing every set's inputs
(dependencies.set_fingerprint): a fifth of a one-article rebuild at 10,000
articles. When the site publishes the very articles the last build published
to this output folder, in the same order, under the same slugs, with the same
light records (cache.Loaded.light), and pages are rendered as then (the same
``base``: code, settings, templates, tags and clusters), then every page set
shows what it showed then, but for the text of the articles whose input
changed. Only the sets reading that text (assemble.texts_read) are
fingerprinted; the others keep the fingerprint recorded for them, and so
their files.

The state is kept per output folder with the generation of the live site it
describes: a site published by a build that could not save it (killed just
after) matches none, and that rebuild fingerprints every set.
"""

from __future__ import annotations

import pickle
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from itertools import compress
from operator import ne
from pathlib import Path

from .assemble import PageSet, texts_read
from .fingerprint import digest
from .model import Article, Story

TEXT_STATE_FORMAT = 1


@dataclass(frozen=True)
class TextState:
    """What a build's pages showed of its articles (``light``) and which text each had (``texts``)."""

    base: str
    light: str  # digest of every published article's path, slug and light digest, in order; "" if one has none
    texts: tuple[str, ...]  # each published article's sha256, in the same order
    paths: tuple[str, ...]  # each published article's site path: not stored
    generation: str = ""  # of the live site these describe: known once it is published


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


def shows_none_of(changed: frozenset[str]) -> Callable[[PageSet], bool]:
    """Whether a page set reads none of the texts at these paths: then it shows what it showed last build."""

    def shows_none(page_set: PageSet) -> bool:
        return not any(article.provenance.path in changed for article in texts_read(page_set))

    return shows_none


def read_text_state(file: Path) -> TextState | None:
    """The state a build saved in ``file``; None when it is missing, damaged or in another format."""
    try:
        with file.open("rb") as stream:
            form, base, light, texts, generation = pickle.load(stream)  # noqa: S301 - our own file under .cache/
    except (OSError, pickle.UnpicklingError, EOFError, AttributeError, TypeError, ValueError, ImportError):
        return None
    if form != TEXT_STATE_FORMAT or not all(isinstance(v, str) for v in (base, light, texts, generation)):
        return None
    return TextState(base, light, tuple(texts.split("\n")) if texts else (), (), generation)


def saved_form(state: TextState, generation: str) -> tuple[object, ...]:
    """What ``read_text_state`` reads back, for the site published as ``generation``: one string for the texts."""
    return (TEXT_STATE_FORMAT, state.base, state.light, "\n".join(state.texts), generation)
