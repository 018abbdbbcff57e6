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

Posts exported from WordPress keep its shortcodes: ``[caption]<img …>
Text[/caption]`` becomes a ``<figure>`` with its caption, ``[embed]URL[/embed]``,
``[video src=…]`` and ``[audio src=…]`` a link; ``[gallery ids=…]`` and
``[playlist]`` name pictures in WordPress's database, which the export does
not hold: left out, with a warning. Only these names are read: any other
``[text]`` is Markdown's.

A replacement keeps the line breaks of what it replaces (padded where it
has fewer), so later warnings name the lines of the file.
"""

from __future__ import annotations

import html
import operator
import re
from bisect import bisect_left, bisect_right
from collections.abc import Callable, Iterator, Mapping
from typing import Any, NamedTuple
from urllib.parse import quote

LINKS = frozenset({"ref", "relref", "post_url", "link"})  # article_links.py reads them in a link's URL

# (Possessive quantifiers, ``++``, where what follows could take what they give back: no search backtracks
# over a long run.)
# Where code, a shortcode or a tag may start: a run of backticks (a code span, or a fence at a line's start),
# of tildes (a fence), or a ``{{`` or ``{%``.
_WORDPRESS = ("caption", "wp_caption", "embed", "video", "audio", "gallery", "playlist")
_WORDPRESS_NAMES = "|".join(_WORDPRESS)
_START = re.compile(rf"`+|~{{3,}}|\{{[{{%]|\[(?=/?(?:{_WORDPRESS_NAMES})\b)")
# A WordPress shortcode's tag, opening or closing; the opening ones of these kinds may enclose content.
# Its arguments are key=value pairs ("[video games]" is prose).
_WORDPRESS_TAG = re.compile(
    rf"\[(?P<closing>/)?(?P<name>{_WORDPRESS_NAMES})"
    r"(?P<args>(?:\s++[\w-]++=(?:\"[^\"\]\n]*+\"|'[^'\]\n]*+'|[^\s\]\"']++))*+)\s*+\]"
)
_WORDPRESS_CLOSING = {name: re.compile(rf"\[/{name}\]") for name in _WORDPRESS if name not in ("gallery", "playlist")}
# A caption's picture (an <img>, perhaps in a link) and then its text.
_CAPTIONED = re.compile(r"\s*(?P<image>(?:<a\b[^>]*+>\s*)?<img\b[^>]*+>(?:\s*</a>)?)(?P<text>.*)", re.S | re.I)
_FENCE = re.compile(r"^[ ]{0,3}(?P<marks>`{3,}+|~{3,}+)[^\n]*\n", re.M)
_PARAGRAPH_END = re.compile(r"\n[ \t]*\n")  # a code span ends with its paragraph
_TICKS = re.compile(r"`+")
_BLANK_TO_LINE_END = re.compile(r"[ \t\r]*+(?:\n|\Z)")
# Pairs whose text between is code: (kind, opening tag, closing tag), Hugo's (after ``{{<`` or ``{{%``) and
# Liquid's (a tag of these names). Each opening tag stops at the first brace or percent sign it cannot hold,
# so no search runs on past the next tag.
Pair = tuple[str, re.Pattern[str], re.Pattern[str]]
_HUGO_PAIRS: tuple[Pair, ...] = (
    (
        "highlight",
        re.compile(r"\{\{[<%]\s*highlight\s+(?P<lang>[\w+#.-]++)[^{}]*?[>%]\}\}"),
        re.compile(r"\{\{[<%]\s*/highlight\s*[>%]\}\}"),
    ),
    ("hugo", re.compile(r"\{\{(?P<open>[<%])"), re.compile(r"[>%]\}\}")),  # a Hugo shortcode: {{< >}}, {{% %}}
)
_LIQUID_PAIRS: dict[str, Pair] = {
    "highlight": (
        "highlight",
        re.compile(r"\{%-?\s*highlight\s+(?P<lang>[\w+#.-]++)[^%]*?-?%\}"),
        re.compile(r"\{%-?\s*endhighlight\s*-?%\}"),
    ),
    "raw": ("raw", re.compile(r"\{%-?\s*raw\s*-?%\}"), re.compile(r"\{%-?\s*endraw\s*-?%\}")),
    "comment": ("comment", re.compile(r"\{%-?\s*comment\s*-?%\}"), re.compile(r"\{%-?\s*endcomment\s*-?%\}")),
}
# A Liquid tag; a Liquid object of Jekyll's.
_TAG = re.compile(r"\{%-?\s*(?P<tag_name>\w++)[^%]*?-?%\}")
_OBJECT = re.compile(r"\{\{-?\s*(?P<scope>site|page|include|layout)\.(?P<key>[\w.]+)\s*(?:\|[^{}]*)?-?\}\}")
_NAME = re.compile(r"\s*+(?P<closing>/)?\s*+(?P<name>[\w.-]+)(?P<args>.*)", re.S)
# An unclosed quote runs to the end: failing, it would be tried again from each quote after it.
_ARGUMENT = re.compile(
    r'(?:(?P<key>\w+)=)?(?:"(?P<quoted>(?:[^"\\]|\\.)*)"?|`(?P<raw>[^`]*)`|(?P<bare>[^\s"`]+))', re.S
)
_ID = re.compile(r"[\w-]{1,100}")

Note = tuple[str, int]  # what a warning says of a piece left out, and its offset in the text
Shortcode = Callable[[list[str], dict[str, str], Mapping[str, Any]], str | None]


class _Found(NamedTuple):
    """A piece of the text ``expand`` replaces: its kind, where it is, and its parts (name, arguments, code)."""

    kind: str  # code, highlight, raw, comment, hugo, tag or object
    start: int
    end: int
    parts: Mapping[str, str]


class _Scanner:
    """Finds each piece of a text in one pass, however hostile the text.

    A closing tag or a code span's end is looked for once: a search that
    found one (or none) answers every later search from before it, so a
    text of a thousand unclosed ``{{<`` is read once, not a thousand times.
    """

    def __init__(self, text: str) -> None:
        self.text = text
        self._searched: dict[re.Pattern[str], tuple[int, re.Match[str] | None]] = {}
        self._runs: dict[int, list[int]] | None = None  # where each run of backticks starts, by its length
        self._lengths: list[int] = []  # those lengths, longest first

    def pieces(self) -> Iterator[_Found]:
        at = 0
        while (start := _START.search(self.text, at)) is not None:
            found = self._at(start)
            if found is not None:
                yield found
                at = found.end
            elif start.group().startswith(("`", "~")):
                at = start.end()  # a run of backticks is one: its end is no other span's start
            else:
                at = start.start() + 1

    def _search(self, pattern: re.Pattern[str], start: int) -> re.Match[str] | None:
        """``pattern.search(text, start)``, from what an earlier search from before ``start`` found, if it can."""
        known = self._searched.get(pattern)
        if known is not None:
            since, found = known
            if since <= start and (found is None or found.start() >= start):
                return found
        found = pattern.search(self.text, start)
        self._searched[pattern] = (start, found)
        return found

    def _at(self, start: re.Match[str]) -> _Found | None:
        text, at = self.text, start.start()
        if start.group().startswith(("`", "~")):
            line = at  # a fence's marks are at the start of a line, after at most three spaces
            while line > 0 and at - line < 3 and text[line - 1] == " ":
                line -= 1
            fence = _FENCE.match(text, line) if line == 0 or text[line - 1] == "\n" else None
            if fence is not None and fence.end("marks") == start.end():
                marks = re.escape(fence.group("marks"))
                closing = re.compile(rf"^[ ]{{0,3}}{marks}[ \t]*$", re.M).search(text, fence.end())
                return _Found("code", at, len(text) if closing is None else closing.end(), {})
            return self._span(at, start.end()) if start.group().startswith("`") else None
        if text.startswith("{%", at):  # each of Liquid's pairs opens with a tag
            tag = _TAG.match(text, at)
            if tag is None:
                return None
            pair = _LIQUID_PAIRS.get(tag.group("tag_name"))
            paired = self._pair(at, pair) if pair is not None else None
            return paired or _Found("tag", at, tag.end(), tag.groupdict())
        if text[at + 2 : at + 3] in ("<", "%"):
            if self._search(_HUGO_PAIRS[1][2], at + 3) is None:  # nothing after closes a shortcode: none opens here
                return None
            return self._pair(at, _HUGO_PAIRS[0]) or self._pair(at, _HUGO_PAIRS[1])
        if text.startswith("[", at):
            return self._wordpress(at)
        found = _OBJECT.match(text, at)
        return None if found is None else _Found("object", at, found.end(), found.groupdict())

    def _wordpress(self, at: int) -> _Found | None:
        """A WordPress shortcode at ``at`` with what it encloses, up to its closing tag (if it has one)."""
        tag = _WORDPRESS_TAG.match(self.text, at)
        if tag is None or (not tag.group("args") and self.text[tag.end() : tag.end() + 1] in ("(", "[")):
            return None  # [caption](url), [embed][ref]: a Markdown link whose text is the word
        parts = {"name": tag.group("name"), "args": tag.group("args"), "inside": "", "closing": tag.group("closing")}
        closing = _WORDPRESS_CLOSING.get(tag.group("name"))
        closed = None if closing is None or tag.group("closing") else self._search(closing, tag.end())
        if closed is None:
            return _Found("wordpress", at, tag.end(), parts)
        return _Found("wordpress", at, closed.end(), {**parts, "inside": self.text[tag.end() : closed.start()]})

    def _pair(self, at: int, pair: Pair) -> _Found | None:
        """The pair of tags opening at ``at`` and what is between them, if it opens there and is closed."""
        kind, opening, closing = pair
        opened = opening.match(self.text, at)
        closed = None if opened is None else self._search(closing, opened.end())
        if opened is None or closed is None:
            return None
        between = self.text[opened.end() : closed.start()]
        if kind == "hugo":
            parts = {"open": opened.group("open"), "inside": between, "close": closed.group()[0]}
        else:
            parts = {"lang": opened.groupdict().get("lang") or "", "code": between}
        return _Found(kind, at, closed.end(), parts)

    def _span(self, at: int, end: int) -> _Found | None:
        """The code span opened by the backticks at ``at`` to ``end``, as python-markdown reads one.

        It closes at the next run of as many backticks (no more, no fewer) in
        its paragraph; failing that, of fewer, the others then being its code.
        """
        if self._runs is None:
            self._runs = {}
            for run in _TICKS.finditer(self.text):
                self._runs.setdefault(len(run.group()), []).append(run.start())
            self._lengths = sorted(self._runs, reverse=True)
        paragraph_end = self._search(_PARAGRAPH_END, end + 1)
        last = len(self.text) if paragraph_end is None else paragraph_end.start()
        for length in self._lengths[bisect_left(self._lengths, at - end, key=operator.neg) :]:
            runs = self._runs[length]
            after = bisect_right(runs, at)
            if after < len(runs) and runs[after] < last:
                return _Found("code", at, runs[after] + length, {})
        return None


def expand(text: str, params: Mapping[str, Any]) -> tuple[str, list[Note]]:
    """``text`` with its shortcodes and tags replaced; ``params``: the front matter (``param``, ``page.title``)."""
    if "{{" not in text and "{%" not in text and ("[" not in text or _START.search(text) is None):
        return text, []
    notes: list[Note] = []
    pieces: list[str] = []
    copied = 0
    for found in _Scanner(text).pieces():
        if found.kind == "code":
            continue  # shown as written: copied with the text around it
        replaced = _replace(text, found, params)
        if replaced is None:
            notes.append((_left_out(found), found.start))
            replaced = ""
        whole = text[found.start : found.end]
        pieces += (text[copied : found.start], replaced, "\n" * max(0, whole.count("\n") - replaced.count("\n")))
        copied = found.end
    pieces.append(text[copied:])
    return "".join(pieces), notes


def _replace(text: str, found: _Found, params: Mapping[str, Any]) -> str | None:
    """What one piece stands for; None: a shortcode or tag left out."""
    parts = found.parts
    if found.kind == "code":
        return text[found.start : found.end]
    if found.kind == "highlight":
        return _code_block(text, found)
    if found.kind == "raw":
        return parts["code"]
    if found.kind == "comment":
        return ""
    if found.kind == "hugo":
        return _hugo(text[found.start : found.end], parts, params)
    if found.kind == "tag":
        return text[found.start : found.end] if parts["tag_name"] in LINKS else None
    if found.kind == "wordpress":
        return _wordpress(parts)
    if parts["scope"] == "page":
        return _scalar(params.get(parts["key"]))
    return "" if parts["scope"] == "site" and parts["key"] in ("url", "baseurl") else None


def _code_block(text: str, found: _Found) -> str:
    """A highlight pair as a fenced code block of its language, on lines of its own; amid a line's text, a code span.

    A fence is one only on lines of its own: mid-line it was a code span
    showing the language's name as code (``go fmt.Println(1)``). A pair on
    one line amid text (``Run {{< highlight go >}}x(){{< /highlight >}} now``)
    is read as written, a code span (which has no language), and leaves its
    paragraph, list item or table row whole. One over several lines is a
    block: the text before it on its line ends a paragraph, the text after
    starts one (each a line more than written, so warnings of later lines
    name a line or two further on).
    """
    code = found.parts["code"].strip("\n")
    blank = found.start  # only blanks between the line's start and the pair: walked once, however long the line
    while blank and text[blank - 1] in " \t\r":
        blank -= 1
    before = blank > 0 and text[blank - 1] != "\n"
    after = _BLANK_TO_LINE_END.match(text, found.end) is None
    # Longer than any run of backticks in the code: a span or fence ends at a run of just its own length.
    longest = max((len(run) for run in _TICKS.findall(code)), default=0)
    if (before or after) and text.count("\n", found.start, found.end) == 0:
        ticks = "`" * (longest + 1)
        return f"{ticks} {code.strip()} {ticks}" if code.strip() else ""
    fence = "`" * max(3, longest + 1)
    block = f"{fence}{found.parts['lang']}\n{code}\n{fence}"
    return ("\n" if before else "") + block + ("\n" if after else "")  # python-markdown's fences need no blank line


def _hugo(whole: str, found: Mapping[str, str], params: Mapping[str, Any]) -> str | None:
    inside, opening, closing = found["inside"], found["open"], found["close"]
    if (opening, closing) not in (("<", ">"), ("%", "%")):
        return whole  # not a shortcode: ``{{<b>}}`` and the like
    if inside.startswith("/*") and inside.endswith("*/"):  # Hugo's way to show a shortcode as text
        return "{{" + opening + inside[2:-2] + closing + "}}"
    parts = _NAME.match(inside)
    if parts is None:
        return whole
    name = parts.group("name")
    if name in LINKS:
        return whole
    handler = SHORTCODES.get(name)
    if handler is None or parts.group("closing"):
        return None
    positional, named = arguments(parts.group("args"))
    return handler(positional, named, params)


def _left_out(found: _Found) -> str:
    """What a warning says of a piece left out: a shortcode or tag not supported, or one without what it needs."""
    if found.kind == "hugo":
        parts = _NAME.match(found.parts["inside"])
        name = parts.group("name") if parts else found.parts["inside"].strip()
        if name in SHORTCODES:
            return (
                f"Hugo shortcode '{name}' lacks an argument it needs or has one it cannot use (src, id, user): left out"
            )
        # Hugo's own may come in pairs ({{< note >}}…{{< /note >}}): only the tags are left out.
        return f"Hugo shortcode '{name}' is not supported: left out (the text between its opening and closing tags is kept)"
    if found.kind == "tag":
        return f"Liquid tag '{found.parts['tag_name']}' is not supported: left out"
    if found.kind == "wordpress":
        name = found.parts["name"]
        if found.parts["closing"]:
            return f"WordPress shortcode closing tag '[/{name}]' without its opening tag: left out"
        if name in ("gallery", "playlist"):
            return f"WordPress shortcode '{name}' names media of the WordPress site, not in the export: left out"
        return f"WordPress shortcode '{name}' lacks an http(s) address or a picture: left out"
    return f"Liquid object '{found.parts['scope']}.{found.parts['key']}' is not supported: left out"


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


def _line(text: str) -> str:
    """An argument shown as text, on one line: a blank line in it would end the HTML block it is in."""
    return " ".join(text.split())


def _url(url: str) -> str:
    """An argument that is a URL without its line breaks and tabs, which a browser leaves out of a URL too."""
    return url.translate(_BREAKS).strip()


_BREAKS = str.maketrans("", "", "\t\n\r")
# What python-markdown reads as markup in the text of an inline HTML element, as character references.
_MARKUP = str.maketrans({c: f"&#{ord(c)};" for c in "\\`*_[]!{}"})


def _literal(text: str) -> str:
    """``text`` escaped for HTML and Markdown: a link's label read as Markdown could hold a link, in a link."""
    return html.escape(text, quote=False).translate(_MARKUP)


def _scalar(value: Any) -> str | None:
    """A front-matter value as text in the body: a string or number only."""
    if isinstance(value, bool) or not isinstance(value, str | int | float):
        return None
    return str(value)


def _figure(positional: list[str], named: dict[str, str], params: Mapping[str, Any]) -> str | None:
    """``<figure>`` with its image (linked, if ``link``) and caption; the image's file is found as any other's."""
    src = _url(named.get("src", ""))
    if not src:
        return None
    title, caption = _line(named.get("title", "")), _line(named.get("caption", ""))
    alt = _line(named.get("alt", "")) or caption or title
    image = f'<img src="{html.escape(src)}" alt="{html.escape(alt)}">'
    if _url(named.get("link", "")):
        image = f'<a href="{html.escape(_url(named["link"]))}">{image}</a>'
    words = " ".join(part for part in (title, caption) if part)
    captioned = f"<figcaption>{html.escape(words, quote=False)}</figcaption>" if words else ""
    return f"<figure>{image}{captioned}</figure>"


def _wordpress(parts: Mapping[str, str]) -> str | None:
    """What a WordPress shortcode stands for: a figure, or a link to what it embeds; None to leave it out."""
    name, inside = parts["name"], parts["inside"]
    if parts["closing"] or name in ("gallery", "playlist"):
        return None
    _, named = arguments(parts["args"])
    if name in ("caption", "wp_caption"):
        return _caption(inside, named)
    if name == "embed":
        url = _url(inside)
    else:  # video, audio: src=, or a key naming the file's format (mp4=, mp3=), or the address between the tags
        url = _url(named.get("src") or next((v for k, v in named.items() if k in _MEDIA_KEYS), "") or inside)
    if not url.lower().startswith(("http://", "https://")):
        return None
    label = {"video": "Video", "audio": "Audio"}.get(name, url)
    return f'<a href="{html.escape(url)}">{_literal(label)}</a>'


_MEDIA_KEYS = frozenset(("mp4", "m4v", "webm", "ogv", "wmv", "flv", "mp3", "m4a", "ogg", "oga", "wav", "wma"))


def _caption(inside: str, named: dict[str, str]) -> str | None:
    """``[caption]<img …> Text[/caption]`` → ``<figure>`` with the picture and its caption (or ``caption=``)."""
    found = _CAPTIONED.match(inside)
    if found is None:
        return None
    words = _line(found.group("text")) or html.escape(_line(named.get("caption", "")), quote=False)
    captioned = f"<figcaption>{words}</figcaption>" if words else ""
    return f"<figure>{_line(found.group('image'))}{captioned}</figure>"


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
        text = _line(named.get("title", "")) or label.format(user=user)
        return f'<a href="{html.escape(href)}">{_literal(text)}</a>'

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
