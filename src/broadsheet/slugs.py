"""Slugs made one way on every machine."""

from __future__ import annotations

from slugify import slugify as _slugify


def slugify(text: str) -> str:
    """python-slugify's slug, its transliteration fixed to text-unidecode (its own dependency).

    Its default ("auto") takes ``unidecode`` when that happens to be
    installed: the same site built on two machines got different addresses
    for non-ASCII headlines ("Łódź", "Київ"). It also tried that import
    again for every non-ASCII text.
    """
    return _slugify(text, backend="text-unidecode")
