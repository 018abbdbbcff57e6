"""feedparser on a fetched document, with its author-string splitting replaced.

RSS writes an author as one string, ``desk@example.com (Jane Doe)``, and
feedparser splits it into a name and an e-mail address with a regular
expression that (a) takes time growing with the square of the longest run
of word characters, so a 100 kB ``<author>`` took a minute to parse and a
1 MB one hours, with no timeout covering it, and (b) knows only top-level
domains of two to four letters, so ``desk@news.technology (Jane Doe)``
became the author "nology (Jane Doe". ``split_author`` does the same job in
linear time for any domain; feedparser's own code still handles authors
given as separate ``<name>`` and ``<email>`` elements.
"""

from __future__ import annotations

import io
import re
from functools import wraps
from typing import Any

import feedparser
from feedparser.mixin import _FeedParserMixin
from feedparser.util import FeedParserDict

from .fetch import Fetched

# Nothing an address holds; splitting on these is linear, unlike a search for an address in the whole text.
_NOT_IN_ADDRESS = re.compile(r"[\s()<>\[\],;\"]+")
_ADDRESS = re.compile(r"[^@]+@[^@.]+(?:\.[^@.]+)+")
_EMPTY_BRACKETS = re.compile(r"\(\s*\)|<\s*>|\[\s*\]")
_SPACE_BEFORE_COMMA = re.compile(r"\s+([,;])")


def split_author(text: str) -> tuple[str, str]:
    """``(name, email)`` of an RSS author string: ``a@b.example (Jane)``, ``Jane <a@b.example>``, or either alone.

    Every address is taken out of the name (``Jane (a@b.example), John (c@d.example)``); the first is the e-mail.
    """
    addresses = [t for t in _NOT_IN_ADDRESS.split(text) if _ADDRESS.fullmatch(t.removeprefix("mailto:"))]
    if not addresses:
        return " ".join(text.split()), ""
    for token in addresses:
        text = text.replace(token, " ", 1)
    name = _SPACE_BEFORE_COMMA.sub(r"\1", " ".join(_EMPTY_BRACKETS.sub(" ", text).split()))
    while len(name) > 1 and (name[0], name[-1]) in (("(", ")"), ("<", ">"), ("[", "]")):
        name = name[1:-1].strip()
    return name.strip(" ,;"), addresses[0].removeprefix("mailto:")


def _split_author_strings() -> None:
    """Have feedparser split author strings with ``split_author`` (installed once per process)."""
    original = _FeedParserMixin._sync_author_detail
    if getattr(original, "replaced_by_broadsheet", False):
        return

    @wraps(original)
    def sync_author_detail(self: Any, key: str = "author") -> None:
        context = self._get_context()
        detail = context.get(f"{key}s", [FeedParserDict()])[-1]
        if detail:  # given as <name> and <email>: feedparser joins them, with no search
            original(self, key)
            return
        if key == "author" and self.inauthor:
            return  # inside an Atom <author> before its first field is kept: context[key] is the previous author's
        text = context.get(key)
        if not isinstance(text, str) or not text:
            return
        name, email = split_author(text)
        if name or email:
            context.setdefault(f"{key}_detail", detail)
        if name:
            detail["name"] = name
        if email:
            detail["email"] = email

    sync_author_detail.replaced_by_broadsheet = True  # type: ignore[attr-defined]
    _FeedParserMixin._sync_author_detail = sync_author_detail


def parse_document(fetched: Fetched) -> Any:
    """feedparser on the bytes we fetched: never let it fetch or open anything itself.

    Given ``bytes``, feedparser first tries them as a file name; a stream it
    only reads. Its own sanitiser and URL resolver are off: ours run in
    ``entries`` with the entry's base URL, and are the ones under test.
    """
    _split_author_strings()
    headers = {}
    if fetched.content_type:
        headers["content-type"] = fetched.content_type
    if fetched.url:
        headers["content-location"] = fetched.url
    return feedparser.parse(
        io.BytesIO(fetched.body or b""), response_headers=headers, resolve_relative_uris=False, sanitize_html=False
    )
