"""Plain-text wire rewrites (the seed's shape) → ``Article``.

Layout understood, top to bottom: a headline line; an optional byline block
(``By NAME``, possibly after a lone ``NAME`` line, photo credits, a date
line); ``**Heading**`` lines opening sections; paragraphs separated by blank
lines; a ``Read More @ domain`` attribution; trailing share/newsletter/cookie
boilerplate. A sidecar ``NAME.yaml`` may add or override metadata.
"""

from __future__ import annotations

import hashlib
import html
import re
from dataclasses import replace

from ..errors import BroadsheetError
from ..model import Article, Section
from .article import LoadContext, build_article
from .frontmatter import parse_yaml_mapping
from .metadata import Meta, normalise, parse_date, source_from
from .source_text import SourceText

HEADING = re.compile(r"^\s*(?:\*\*|__)\s*(?P<text>[^*_].*?)\s*(?:\*\*|__)\s*$|^\s*#{1,3}\s+(?P<atx>\S.*?)\s*#*\s*$")
BYLINE = re.compile(r"^\s*by\s*[:\-]?\s+(?P<name>.+?)\s*$", re.I)
# A byline names people: capitalised words, "and", commas, a few particles; short; no sentence end.
NAME_WORDS = re.compile(
    r"^(?:[A-Z][\w'’.\-]*|AI|and|&|de|van|von|der|la|le|bin|al|el|da|dos|di|,)(?:[\s,]+(?:[A-Z][\w'’.\-]*|and|&|de|van|von|der|la|le|bin|al|el|da|dos|di))*$"
)
ATTRIBUTION = re.compile(
    r"^\s*(?:read\s+more|read\s+the\s+full\s+(?:story|article)|full\s+story|originally\s+published|source|via)"
    r"\s*(?:@|at|on|in|:|-)\s*(?P<where>\S+?)[.\s]*$",
    re.I,
)
CREDIT = re.compile(
    r"^\s*(?:photo|image|picture|illustration|video|graphic)s?\s*(?:by\b|:|credits?\b|courtesy\b)", re.I
)
DATE_LINE = re.compile(
    r"^\s*(?:published|posted|updated|date)?\s*:?\s*"
    r"(?P<date>\d{4}-\d{2}-\d{2}(?:[T ][\d:.+\-Z]+)?|\w+ \d{1,2}, \d{4})\s*$",
    re.I,
)
BOILERPLATE = re.compile(
    r"^\s*(?:share\s+(?:this|the)\s+(?:article|story|post)|share\s+(?:this|on\s+\w+)|share:?|"
    r"tweet(?:\s+this)?|print(?:\s+this)?(?:\s+article)?|email\s+this(?:\s+article)?|"
    r"(?:subscribe|sign\s+up)\b.{0,80}(?:newsletter|updates|inbox)|"
    r"follow\s+us\s+on\b.{0,60}|"
    r"(?:this\s+(?:web)?site|we)\s+uses?\s+cookies\b.*|accept(?:\s+all)?\s+cookies|cookie\s+(?:settings|policy)|"
    r"advertisement|related\s+(?:articles|stories)?:?|click\s+here\s+to\s+(?:subscribe|read\s+more))\s*[.!:]?\s*$",
    re.I,
)


def is_boilerplate(text: str) -> bool:
    return len(text) < 300 and bool(BOILERPLATE.match(text))


def _blocks(text: str) -> list[tuple[int, str]]:
    """Blank-line separated blocks, each with its first line number."""
    blocks: list[tuple[int, str]] = []
    current: list[str] = []
    start = 0
    for number, line in enumerate(text.split("\n"), start=1):
        if line.strip():
            if not current:
                start = number
            current.append(line.strip())
        elif current:
            blocks.append((start, "\n".join(current)))
            current = []
    if current:
        blocks.append((start, "\n".join(current)))
    return blocks


def _unwrap_headline(line: str) -> str:
    match = HEADING.match(line)
    if match:
        line = match.group("text") or match.group("atx") or line
    return " ".join(html.unescape(line).split())


def _byline_name(line: str) -> str | None:
    match = BYLINE.match(line)
    if match is None:
        return None
    name = match.group("name").strip(" .")
    if len(name.split()) > 8 or not NAME_WORDS.match(name):
        return None  # "By now, talks have ..." is a sentence, not a byline
    return name


def _split_names(name: str) -> tuple[str, ...]:
    parts = re.split(r"\s*(?:,|\band\b|&)\s*", name)
    return tuple(p for p in (x.strip() for x in parts) if p)


def _header_line(
    text: str, following: str, meta: Meta, ctx: LoadContext, authors: list[str], credits: list[str]
) -> bool:
    """Consume one line of the byline block; False at the first line of body text."""
    name = _byline_name(text)
    if name is not None:
        authors.extend(n for n in _split_names(name) if n not in authors)
        return True
    if CREDIT.match(text) and len(text) < 200:
        credits.append(text)
        return True
    date_match = DATE_LINE.match(text)
    if date_match and meta.published is None:
        try:
            meta.published = parse_date(date_match.group("date"), ctx.config.tz)
        except ValueError:
            return False
        return True
    # A lone NAME line right above "By NAME" is not body text.
    return len(text.split()) <= 4 and bool(_byline_name("By " + text)) and bool(_byline_name(following))


def _read_header(
    lines: list[tuple[int, str]], meta: Meta, ctx: LoadContext
) -> tuple[list[str], list[str], list[tuple[int, str]]]:
    """Authors and credits from the lines after the headline, and the blocks of body left."""
    authors: list[str] = []
    credits: list[str] = []
    for index, (number, block) in enumerate(lines):
        block_lines = block.split("\n")
        for offset, line in enumerate(block_lines):
            if offset + 1 < len(block_lines):
                following = block_lines[offset + 1]
            else:
                following = lines[index + 1][1].split("\n")[0] if index + 1 < len(lines) else ""
            if not _header_line(" ".join(line.split()), " ".join(following.split()), meta, ctx, authors, credits):
                rest = [(number + offset, "\n".join(block_lines[offset:]))] if offset else [lines[index]]
                return authors, credits, rest + lines[index + 1 :]
    return authors, credits, []


def parse_plaintext(src: SourceText, ctx: LoadContext) -> Article:
    """Parse the text of a plain-text article."""
    blocks = _blocks(src.text)
    if not blocks:
        raise BroadsheetError("empty file: nothing to publish", src.relpath)
    first_line, first = blocks[0]
    head_lines = first.split("\n")
    meta = Meta(title=_unwrap_headline(head_lines[0]))
    if not meta.title:
        raise BroadsheetError("no headline on the first line", src.relpath, first_line)
    rest = [(first_line + i + 1, line) for i, line in enumerate(head_lines[1:])]
    lines = rest + blocks[1:]
    authors, credits, body = _read_header(lines, meta, ctx)

    sections: list[Section] = []
    heading = ""
    paragraphs: list[str] = []
    attribution = None

    def close() -> None:
        if paragraphs or heading:
            html_body = "".join(f"<p>{html.escape(p, quote=False)}</p>\n" for p in paragraphs)
            sections.append(Section(heading=heading, paragraphs=tuple(paragraphs), html=html_body))

    for _number, block in body:
        text = " ".join(html.unescape(block).split())
        match = HEADING.match(text) if "\n" not in block else None
        if match:
            close()
            heading = " ".join((match.group("text") or match.group("atx")).split())
            paragraphs = []
            continue
        found = ATTRIBUTION.match(text)
        if found and len(text) < 200:
            attribution = source_from(url=found.group("where"))
            continue
        if is_boilerplate(text):
            continue
        if CREDIT.match(text) and len(text) < 200:
            credits.append(text)
            continue
        paragraphs.append(text)
    close()

    meta.authors = tuple(authors)
    meta.source = attribution
    if credits:
        meta.extra["credits"] = credits
    sidecar, provenance = _sidecar(src, ctx)
    article = build_article(src, meta.merge(sidecar), sections, "plaintext", ctx)
    return replace(article, provenance=replace(article.provenance, extra=provenance)) if provenance else article


def _sidecar(src: SourceText, ctx: LoadContext) -> tuple[Meta, tuple[tuple[str, str], ...]]:
    """Metadata from ``NAME.yaml`` beside the article, if there is one, and its provenance."""
    path = src.path.with_suffix(".yaml")
    if not path.is_file():
        return Meta(), ()
    where = src.relpath.rsplit(".", 1)[0] + ".yaml"
    if not path.resolve().is_relative_to(ctx.config.paths.root):
        raise BroadsheetError("sidecar is a symbolic link to a file outside the site: refused", where)
    try:
        data = path.read_bytes()
        text = data.decode("utf-8-sig")
    except (OSError, UnicodeDecodeError) as exc:
        raise BroadsheetError(f"cannot read sidecar: {exc}", where) from None
    meta = normalise(parse_yaml_mapping(text, where), ctx.config.tz, where)
    return meta, (("sidecar", where), ("sidecar_sha256", hashlib.sha256(data).hexdigest()))
