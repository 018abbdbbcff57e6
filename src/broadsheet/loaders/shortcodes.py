"""Hugo shortcodes and Jekyll's Liquid tags in Markdown written for those tools: what they stand for, or left out.

A page moved from Hugo holds ``{{< figure src="map.png" caption="…" >}}``
and ``{{< youtube ID >}}``; one from Jekyll ``{% highlight python %}`` and
``{{ page.title }}``. Shown as written, readers saw template code. The ones
such sites use most become what they stand for, in Markdown or in HTML the
sanitiser keeps (no iframe: an embedded video or post is a link to it). Any
other shortcode or tag is left out, the text between a pair of them kept,
with a warning naming it and its line. Links (``ref``, ``relref``,
``post_url``, ``link``) are article_links.py's; fenced code and code spans
are not touched; Hugo's ``{{</* x */>}}`` shows ``{{< x >}}`` as text, and
Jekyll's ``{% raw %}`` its content as written.

A replacement keeps the line breaks of what it replaces (padded where it
has fewer), so later warnings name the lines of the file.
"""

from __future__ import annotations

import html
import re
from collections.abc import Callable, Mapping
from typing import Any
from urllib.parse import quote

LINKS = frozenset({"ref", "relref", "post_url", "link"})  # article_links.py reads them in a link's URL

_SCAN = re.compile(
    # Code, left as written: a fenced block, a code span.
    r"(?P<fence>^[ ]{0,3}(?P<marks>`{3,}|~{3,})[^\n]*\n.*?(?:^[ ]{0,3}(?P=marks)[ \t]*$|\Z))"
    r"|(?P<span>(?P<ticks>`+)[^`](?:[^\n]|\n(?![ \t]*\n))*?(?P=ticks))"  # a code span ends with its paragraph
    # Code to show: Hugo's and Jekyll's highlight pairs; Jekyll's raw and comment pairs.
    r"|\{\{[<%]\s*highlight\s+(?P<hugo_lang>[\w+#.-]+)[^}]*?[>%]\}\}(?P<hugo_code>.*?)\{\{[<%]\s*/highlight\s*[>%]\}\}"
    r"|\{%-?\s*highlight\s+(?P<liquid_lang>[\w+#.-]+)[^%]*?-?%\}(?P<liquid_code>.*?)\{%-?\s*endhighlight\s*-?%\}"
    r"|\{%-?\s*raw\s*-?%\}(?P<raw>.*?)\{%-?\s*endraw\s*-?%\}"
    r"|(?P<comment>\{%-?\s*comment\s*-?%\}.*?\{%-?\s*endcomment\s*-?%\})"
    # A Hugo shortcode (``{{< >}}`` or ``{{% %}}``), a Liquid tag, a Liquid object of Jekyll's.
    r"|(?P<hugo>\{\{(?P<open>[<%])(?P<inside>.*?)(?P<close>[>%])\}\})"
    r"|(?P<tag>\{%-?\s*(?P<tag_name>\w+)[^%]*?-?%\})"
    r"|(?P<object>\{\{-?\s*(?P<scope>site|page|include|layout)\.(?P<key>[\w.]+)\s*(?:\|[^}]*)?-?\}\})",
    re.S | re.M,
)
_NAME = re.compile(r"\s*(?P<closing>/)?\s*(?P<name>[\w.-]+)(?P<args>.*?)\s*\Z", re.S)
_ARGUMENT = re.compile(r'(?:(?P<key>\w+)=)?(?:"(?P<quoted>(?:[^"\\]|\\.)*)"|`(?P<raw>[^`]*)`|(?P<bare>[^\s"`]+))')
_ID = re.compile(r"[\w-]{1,100}")

Note = tuple[str, int]  # what was left out, and its offset in the text
Shortcode = Callable[[list[str], dict[str, str], Mapping[str, Any]], str | None]


def expand(text: str, params: Mapping[str, Any]) -> tuple[str, list[Note]]:
    """``text`` with its shortcodes and tags replaced; ``params``: the front matter (``param``, ``page.title``)."""
    if "{{" not in text and "{%" not in text:
        return text, []
    notes: list[Note] = []

    def one(found: re.Match[str]) -> str:
        replaced = _replace(found, params)
        if replaced is None:
            notes.append((_what(found), found.start()))
            replaced = ""
        whole = found.group(0)
        return replaced + "\n" * max(0, whole.count("\n") - replaced.count("\n"))

    return _SCAN.sub(one, text), notes


def _replace(found: re.Match[str], params: Mapping[str, Any]) -> str | None:
    """What one match stands for; None: a shortcode or tag left out."""
    if found.group("fence") or found.group("span"):
        return found.group(0)
    if found.group("hugo_lang") or found.group("liquid_lang"):
        language = found.group("hugo_lang") or found.group("liquid_lang")
        code = found.group("hugo_code") if found.group("hugo_lang") else found.group("liquid_code")
        return f"```{language}\n{code.strip(chr(10))}\n```"
    if found.group("raw") is not None:
        return found.group("raw")
    if found.group("comment"):
        return ""
    if found.group("hugo"):
        return _hugo(found, params)
    if found.group("tag"):
        return found.group(0) if found.group("tag_name") in LINKS else None
    if found.group("scope") == "page":
        return _scalar(params.get(found.group("key")))
    return "" if found.group("scope") == "site" and found.group("key") in ("url", "baseurl") else None


def _hugo(found: re.Match[str], params: Mapping[str, Any]) -> str | None:
    inside, opening, closing = found.group("inside"), found.group("open"), found.group("close")
    if (opening, closing) not in (("<", ">"), ("%", "%")):
        return found.group(0)  # not a shortcode: ``{{<b>}}`` and the like
    if inside.startswith("/*") and inside.endswith("*/"):  # Hugo's way to show a shortcode as text
        return "{{" + opening + inside[2:-2] + closing + "}}"
    parts = _NAME.match(inside)
    if parts is None:
        return found.group(0)
    name = parts.group("name")
    if name in LINKS:
        return found.group(0)
    handler = SHORTCODES.get(name)
    if handler is None or parts.group("closing"):
        return None
    positional, named = arguments(parts.group("args"))
    return handler(positional, named, params)


def _what(found: re.Match[str]) -> str:
    """How a warning names what was left out."""
    if found.group("hugo"):
        parts = _NAME.match(found.group("inside"))
        return f"Hugo shortcode '{parts.group('name') if parts else found.group('inside').strip()}'"
    if found.group("tag"):
        return f"Liquid tag '{found.group('tag_name')}'"
    return f"Liquid object '{found.group('scope')}.{found.group('key')}'"


def arguments(text: str) -> tuple[list[str], dict[str, str]]:
    """A shortcode's positional and named arguments (``"quoted"``, ```raw```, or bare)."""
    positional: list[str] = []
    named: dict[str, str] = {}
    for found in _ARGUMENT.finditer(text):
        if found.group("quoted") is not None:
            value = re.sub(r"\\(.)", r"\1", found.group("quoted"))
        else:
            value = found.group("raw") if found.group("raw") is not None else found.group("bare")
        if found.group("key"):
            named[found.group("key")] = value
        else:
            positional.append(value)
    return positional, named


def _scalar(value: Any) -> str | None:
    """A front-matter value as text in the body: a string or number only."""
    if isinstance(value, bool) or not isinstance(value, str | int | float):
        return None
    return str(value)


def _figure(positional: list[str], named: dict[str, str], params: Mapping[str, Any]) -> str | None:
    """``<figure>`` with its image (linked, if ``link``) and caption; the image's file is found as any other's."""
    src = named.get("src")
    if not src:
        return None
    title, caption = named.get("title", ""), named.get("caption", "")
    alt = named.get("alt") or caption or title
    image = f'<img src="{html.escape(src)}" alt="{html.escape(alt)}">'
    if named.get("link"):
        image = f'<a href="{html.escape(named["link"])}">{image}</a>'
    words = " ".join(part for part in (title, caption) if part)
    captioned = f"<figcaption>{html.escape(words, quote=False)}</figcaption>" if words else ""
    return f"<figure>{image}{captioned}</figure>"


def _embedded(url: str, label: str, by_user: bool = False) -> Shortcode:
    """A shortcode embedding a post of another site (``url`` with ``{id}``, ``{user}``): a link to it, labelled.

    ``by_user``: the user comes first (``gist spf13 7896402``) or as ``user=``.
    """

    def link(positional: list[str], named: dict[str, str], params: Mapping[str, Any]) -> str | None:
        user = named.get("user") or (positional[0] if by_user and len(positional) > 1 else "")
        ident = named.get("id") or (positional[1 if user and len(positional) > 1 else 0] if positional else "")
        if not _ID.fullmatch(ident) or (user and not _ID.fullmatch(user)) or ("{user}" in label and not user):
            return None
        href = url.format(id=quote(ident), user=quote(user or "i"))  # x.com/i/status/ID: a post whoever wrote it
        text = named.get("title") or label.format(user=user)
        return f'<a href="{html.escape(href)}">{html.escape(text, quote=False)}</a>'

    return link


def _param(positional: list[str], named: dict[str, str], params: Mapping[str, Any]) -> str | None:
    return _scalar(params.get(positional[0])) if positional else None


POST_ON_X = _embedded("https://x.com/{user}/status/{id}", "Post on X", by_user=True)
SHORTCODES: dict[str, Shortcode] = {
    "figure": _figure,
    "youtube": _embedded("https://www.youtube.com/watch?v={id}", "Video on YouTube"),
    "vimeo": _embedded("https://vimeo.com/{id}", "Video on Vimeo"),
    "x": POST_ON_X,
    "twitter": POST_ON_X,
    "tweet": POST_ON_X,
    "instagram": _embedded("https://www.instagram.com/p/{id}/", "Post on Instagram"),
    "gist": _embedded("https://gist.github.com/{user}/{id}", "Gist by {user}", by_user=True),
    "param": _param,
}
