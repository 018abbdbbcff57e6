"""What publishers' feed software adds to every entry, left out: the blog's footer, a link to read on, a pixel.

WordPress with Yoast SEO ends each entry "The post X appeared first on
Y."; excerpts end in "Continue reading →"; FeedBurner adds images that
count readers. On a digest page they are noise (the page links the
original itself), and the pixel reports every reader to a third party.
These run on nh3's output, whose markup is regular: one form of each tag,
attributes double-quoted.
"""

from __future__ import annotations

import re

_LINK_TEXT = r"<a [^>]*>(?:(?!</a>).)*</a>"
_POST_FOOTER = re.compile(
    rf"<p>\s*The post {_LINK_TEXT}\s+(?:appeared first|first appeared) on\s+{_LINK_TEXT}\s*\.?\s*</p>\s*", re.S
)
# A link to read on, ending its paragraph: "… go on. <a>Continue reading <span>"Title"</span></a> →".
_READ_ON = re.compile(
    r"\s*[\[(]?\s*<a [^>]*>\s*(?:continue\s+reading|read\s+more|read\s+the\s+rest|keep\s+reading)\b"
    r"(?:(?!</a>).)*</a>\s*(?:[»→›…]|&gt;|\.\.\.)?\s*[\])]?(?=\s*(?:</p>|$))",
    re.I | re.S,
)
# A feed proxy's counting and "flare" images (FeedBurner's "~r" and "~ff"); 1×1 images are gone already (sanitize).
_PIXEL = re.compile(r'<img (?=[^>]*\bsrc="https?://(?:feeds\.feedburner\.com|feedproxy\.google\.com)/~)[^>]*>')
_EMPTY = re.compile(r"<(p|div)>\s*</\1>\s*")


def drop_feed_furniture(fragment: str) -> str:
    """``fragment`` (sanitised HTML) less the footer, read-on link and counting pixels feed software adds."""
    if "appeared first" in fragment or "first appeared" in fragment:
        fragment = _POST_FOOTER.sub("", fragment)
    if "<a " in fragment:
        fragment = _READ_ON.sub("", fragment)
    if "<img " in fragment:
        fragment = _PIXEL.sub("", fragment)
    return _EMPTY.sub("", fragment) if "></" in fragment else fragment
