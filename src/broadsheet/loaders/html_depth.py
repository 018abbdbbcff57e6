"""HTML nested deeper than any page is, flattened before the HTML parser reads it.

The HTML parser (html5ever, in nh3) looks down its stack of open elements
at each block's start tag ("close a p element in button scope"), so a body
of 200,000 nested ``<div>`` tags (1 MB) took it 100 s, and a 20 MB input
hours: one hostile feed entry or file stalled the build. Browsers cap the
depth of the tree they build (Chromium at 512) and put deeper elements
beside, not inside, their parent; here, as nothing is shown deeper than
that, the tags past ``MAX_DEPTH`` are left out and their text kept.
"""

from __future__ import annotations

import re

from .html_paragraphs import OPTIONAL_END, VOID_ELEMENTS

MAX_DEPTH = 512
_TAG = re.compile(r"<(/?)([A-Za-z][^\s/<>]*+)[^<>]*+>")
# Elements that hold nothing (void), and those whose end tag may be left out, which the parser closes by itself
# when the next one starts: neither deepens the tree as counted here.
_NOT_COUNTED = VOID_ELEMENTS | OPTIONAL_END | {"p"}


def flatten_deep_nesting(fragment: str) -> str:
    """``fragment`` with each element opened past ``MAX_DEPTH`` open ones left out (its text kept), and its end tag.

    The depth counted is the parser's for markup as written: an end tag
    closes the elements opened inside its element; one naming no open
    element is nothing.
    """
    if fragment.count("<") <= MAX_DEPTH:
        return fragment  # too few tags to nest that deep
    stack: list[str] = []
    open_count: dict[str, int] = {}
    dropped: dict[str, int] = {}  # elements left out and not yet closed, by name: their end tags are left out too
    pieces: list[str] = []
    position = 0
    for tag in _TAG.finditer(fragment):
        name = tag.group(2).lower()
        if name in _NOT_COUNTED:
            continue
        if tag.group(1):  # an end tag
            if dropped.get(name):
                dropped[name] -= 1
            elif open_count.get(name):
                while True:
                    closed = stack.pop()
                    open_count[closed] -= 1
                    if closed == name:
                        break
                continue
            else:
                continue
        elif len(stack) < MAX_DEPTH:
            stack.append(name)
            open_count[name] = open_count.get(name, 0) + 1
            continue
        else:
            dropped[name] = dropped.get(name, 0) + 1
        pieces.append(fragment[position : tag.start()])
        position = tag.end()
    if not pieces:
        return fragment
    pieces.append(fragment[position:])
    return "".join(pieces)
