"""Hostile and rich article bodies, built for real, give valid pages: the output is what is checked.

One site (``broadsheet init``, then Markdown and plain-text articles of every awkward shape) is
built through the CLI, and its pages are parsed: no character HTML forbids, every id once, links
with a name, attribute values HTML accepts, list items and definition terms inside their lists.
These are the defects the Nu HTML Checker and axe found on such a site; the assertions need
neither (tests/test_external_checkers.py runs them on tests/fixtures/messy).
"""

from __future__ import annotations

import re
from collections import Counter
from html.parser import HTMLParser
from pathlib import Path

import pytest

from broadsheet.cli import main

# Code points the HTML standard forbids in a document (controls but white space, noncharacters).
FORBIDDEN = re.compile("[\x00-\x08\x0b\x0e-\x1f\x7f-\x9f\ufdd0-\ufdef\ufffe\uffff]")
CONTROLS = "\x1b\x07\x7f\x85\ufffe\ufdd0"

ARTICLES = {
    "controls.md": (
        "---\ntitle: Harbour board meets today\ndate: 2025-05-06T10:00:00Z\n---\n"
        f"The harbour board met{CONTROLS} on Friday.\n\n"
        f"## Agenda{CONTROLS}\n\n| item{CONTROLS} |\n|---|\n| fees\x1b |\n\n"
        f"```\ncode\x1b{CONTROLS}\n```\n"
    ),
    "ids.md": (
        "---\ntitle: Ids everywhere\ndate: 2025-05-04T10:00:00Z\n---\n"
        "Text[^1] and a labelled note[^my note].\n\n"
        "## Main {#main}\n\n"
        '<ol><li id="main">a</li><li id="story-1">b</li><li id="fn:1">c</li><li id="site-search-q">d</li></ol>\n\n'
        '<sup id="story-2-heading">x</sup> <sup id="intel-heading">y</sup>\n\n'
        "[^1]: Note one.\n[^my note]: Note two.\n"
    ),
    "links.md": (
        "---\ntitle: Links without names\ndate: 2025-05-03T10:00:00Z\n---\n"
        'An empty link <a href="https://example.com/empty"></a> here.\n\n'
        '<a href="https://example.com/pic"><img src="https://example.com/i.png" alt=""></a>\n\n'
        '<a href="https://example.com/block"><div>a block in a link</div></a>\n\n'
        "## [![](https://example.com/h.png)](https://example.com/heading)\n\nUnder it.\n"
    ),
    "attributes.md": (
        "---\ntitle: Attribute values\ndate: 2025-05-02T10:00:00Z\n---\n"
        '<img src="https://example.com/w.png" width="100%" alt="w"> '
        '<img src="https://example.com/h.png" width="abc" height="-3" alt="h"> '
        '<img src="https://example.com/ok.png" width="40" height="30" alt="ok">\n\n'
        '<table><tr><td colspan="abc" rowspan="x">bad span</td><td colspan="2">two</td></tr></table>\n\n'
        '<table><tr><th scope="sideways">head</th></tr></table>\n\n'
        '<ol start="abc"><li>x</li></ol>\n\n'
        '<p><time datetime="garbage">whenever</time> and <time datetime="2025-05-02">today</time></p>\n\n'
        '<q cite="javascript:alert(1)">quoted</q>\n\n<blockquote cite="notes.html">said</blockquote>\n\n'
        '<p dir="sideways">which way</p>\n'
    ),
    "structure.md": (
        "---\ntitle: Stray list items\ndate: 2025-05-01T10:00:00Z\n---\n"
        "Opening paragraph.\n\n"
        "<li>a stray item</li>\n\n"
        "<dl><dt>term</dt><dd>definition</dd><p>stray paragraph</p></dl>\n\n"
        "<dd>a stray definition</dd>\n\n"
        "<figcaption>a stray caption</figcaption>\n\n"
        "<dl><dd>a definition first</dd><dt>a term last</dt></dl>\n\n"
        '<figure><figcaption>one caption</figcaption><img src="https://example.com/f.png" alt="f">'
        "<figcaption>two captions</figcaption></figure>\n"
    ),
    "image-heading.md": (
        "---\ntitle: A heading that is an image\ndate: 2025-05-05T10:00:00Z\n---\n"
        "Lead paragraph.\n\n## ![Harbour map](https://example.com/map.png)\n\nThe map shows the pier.\n"
    ),
    "nested-headings.md": (
        "---\ntitle: Headings inside other blocks\ndate: 2025-05-08T10:00:00Z\n---\n"
        "Lead paragraph.\n\n> ## A quoted heading\n> quoted text\n\n"
        "- an item\n\n    ## A heading in a list\n\n    more of the item\n\n"
        '<div markdown="1">\n## A heading in a block\n\nblock text\n</div>\n\n'
        "## A real section\n\nIts text.\n"
    ),
    "rtl.md": (
        "---\ntitle: Right to left\ndate: 2025-05-07T10:00:00Z\n---\n"
        '<p dir="rtl">مرحبا بالعالم</p>\n\n<p dir="auto">שלום עולם</p>\n'
    ),
}


@pytest.fixture(scope="module")
def output(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("adversarial")
    site = folder / "site"
    assert main(["init", str(site)]) == 0
    (site / "site.yaml").write_text(
        (site / "site.yaml").read_text(encoding="utf-8").replace("search: true", "search: false"), encoding="utf-8"
    )
    for name, text in ARTICLES.items():
        (site / "content" / name).write_text(text, encoding="utf-8")
    out = folder / "output"
    assert main(["build", "--site", str(site), "--output", str(out)]) == 0
    return out


def _page(output: Path, slug: str) -> str:
    return (output / "articles" / slug / "index.html").read_text(encoding="utf-8")


def _article_body(page: str) -> str:
    """The article element of a page: what the article's own HTML ends up in."""
    return page[page.index("<article") : page.index("</article>")]


VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track", "wbr"}


class Tree(HTMLParser):
    """Every element with its parent's name and attributes, in document order."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.stack: list[str] = []
        self.elements: list[tuple[str, str, dict[str, str]]] = []  # (tag, parent tag, attributes)
        self.children: dict[int, list[str]] = {}
        self._open: list[int] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        parent = self.stack[-1] if self.stack else ""
        if self._open:
            self.children.setdefault(self._open[-1], []).append(tag)
        self.elements.append((tag, parent, {name: value or "" for name, value in attrs}))
        if tag not in VOID:
            self.stack.append(tag)
            self._open.append(len(self.elements) - 1)

    def handle_endtag(self, tag: str) -> None:
        if tag in self.stack:
            while self.stack and self.stack.pop() != tag:
                self._open.pop()
            self._open.pop()


def _tree(html: str) -> Tree:
    tree = Tree()
    tree.feed(html)
    tree.close()
    return tree


def _pages(output: Path) -> list[Path]:
    return sorted(output.rglob("*.html"))


def test_no_page_or_feed_holds_a_code_point_html_forbids(output: Path) -> None:
    """ESC, BEL, DEL, C1 controls and noncharacters in a Markdown body reach no page, summary or feed."""
    files = [*_pages(output), output / "feed.xml", output / "atom.xml", output / "feed.json"]
    found = {
        str(path.relative_to(output)): sorted({f"U+{ord(c):04X}" for c in FORBIDDEN.findall(text)})
        for path in files
        if FORBIDDEN.search(text := path.read_text(encoding="utf-8"))
    }
    assert not found
    page = _page(output, "harbour-board-meets-today")
    assert "The harbour board met on Friday." in page and ">Agenda</h2>" in page


def test_ids_are_unique_on_every_page_and_footnote_links_still_land(output: Path) -> None:
    """A body's ``id="main"``, ``id="story-1"`` or ``id="fn:1"`` repeats none of the page's ids."""
    for path in _pages(output):
        tree = _tree(path.read_text(encoding="utf-8"))
        ids = Counter(attributes["id"] for _, _, attributes in tree.elements if "id" in attributes)
        assert not [i for i, n in ids.items() if n > 1], path.relative_to(output)
        assert not [i for i in ids if not i or re.search(r"\s", i)], path.relative_to(output)
    page = _page(output, "ids-everywhere")
    tree = _tree(page)
    ids = {attributes["id"] for _, _, attributes in tree.elements if "id" in attributes}
    fragments = [a["href"][1:] for tag, _, a in tree.elements if tag == "a" and a.get("href", "").startswith("#")]
    assert len(fragments) >= 4  # two marks and two notes' links back
    assert all(fragment in ids and " " not in fragment for fragment in fragments), fragments


class LinkNames(HTMLParser):
    """The accessible name of every link with an ``href``: its text and its images' alt text."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.names: list[str] = []
        self._name: str | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = dict(attrs)
        if tag == "a" and values.get("href"):
            self._name = ""
        elif tag == "img" and self._name is not None:
            self._name += values.get("alt") or ""

    def handle_data(self, data: str) -> None:
        if self._name is not None:
            self._name += data

    def handle_endtag(self, tag: str) -> None:
        if tag == "a" and self._name is not None:
            self.names.append(self._name.strip())
            self._name = None


def test_every_link_in_a_body_has_a_name(output: Path) -> None:
    """An empty link, or one holding only a decorative image, has no accessible name (axe: link-name)."""
    page = _page(output, "links-without-names")
    links = LinkNames()
    links.feed(_article_body(page))
    assert links.names and all(links.names), links.names
    assert "a block in a link" in page and 'src="https://example.com/i.png"' in page


DATETIME = re.compile(r"\d{4}(?:-\d\d(?:-\d\d(?:[T ]\d\d:\d\d(?::\d\d(?:\.\d{1,3})?)?(?:Z|[+-]\d\d:?\d\d)?)?)?)?")


def test_attribute_values_are_ones_html_accepts(output: Path) -> None:
    """``width="100%"``, ``colspan="abc"``, ``start="abc"``, ``datetime="garbage"``, ``cite="javascript:"``."""
    tree = _tree(_article_body(_page(output, "attribute-values")))
    problems = []
    for tag, _, attributes in tree.elements:
        for name, value in attributes.items():
            ok = {
                "width": r"\d+",
                "height": r"\d+",
                "colspan": r"[1-9]\d*",
                "rowspan": r"\d+",
                "start": r"-?\d+",
                "scope": r"row|col|rowgroup|colgroup",
                "cite": r"https?://\S+",
                "dir": r"ltr|rtl|auto",
            }.get(name)
            if ok and not re.fullmatch(ok, value):
                problems.append(f"<{tag} {name}={value!r}>")
        if tag == "time" and not DATETIME.fullmatch(attributes.get("datetime", "")):
            problems.append(f"<time datetime={attributes.get('datetime')!r}>")
    assert not problems
    page = _page(output, "attribute-values")
    assert 'width="40" height="30"' in page and 'colspan="2"' in page
    assert '<time datetime="2025-05-02">today</time>' in page
    assert "whenever" in page and "quoted" in page and "which way" in page


def test_list_items_terms_and_captions_are_inside_their_lists(output: Path) -> None:
    """A stray ``<li>``, ``<dd>``, ``<figcaption>``, a ``<p>`` in a ``<dl>``, a ``<dd>`` first, two captions.

    Nu errors all; axe: listitem, definition-list.
    """
    page = _page(output, "stray-list-items")
    tree = _tree(_article_body(page))
    parents = {"li": {"ul", "ol"}, "dt": {"dl", "div"}, "dd": {"dl", "div"}, "figcaption": {"figure"}}
    misplaced = [(tag, parent) for tag, parent, _ in tree.elements if tag in parents and parent not in parents[tag]]
    assert not misplaced
    for index, (tag, _, _) in enumerate(tree.elements):
        children = tree.children.get(index, [])
        if tag == "dl":
            assert set(children) <= {"dt", "dd", "div"} and children[0] == "dt" and children[-1] == "dd", children
        if tag == "figure":
            assert children.count("figcaption") <= 1, children
    for text in ("a stray item", "stray paragraph", "a stray definition", "a stray caption", "a term last"):
        assert text in page
    assert "two captions" in page


def test_a_heading_that_is_only_an_image_is_named_by_its_alt_text(output: Path) -> None:
    """``## ![Harbour map](…)`` made a story with an empty heading and lost the image."""
    page = _page(output, "a-heading-that-is-an-image")
    assert re.search(r"<h2 id=\"story-\d+-heading\">Harbour map</h2>", page)


class Balance(HTMLParser):
    """End tags that close an element other than the one open (a story cut in the middle of a quote)."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.stack: list[str] = []
        self.misnested: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag not in VOID:
            self.stack.append(tag)

    def handle_endtag(self, tag: str) -> None:
        if not self.stack or self.stack[-1] != tag:
            self.misnested.append(f"</{tag}> in {self.stack[-3:]}")
        elif self.stack:
            self.stack.pop()


def test_a_heading_inside_a_quote_list_or_block_does_not_cut_it_into_stories(output: Path) -> None:
    """Only the body's top-level ``## `` headings start stories: one in a quote left its story unbalanced."""
    page = _page(output, "headings-inside-other-blocks")
    balance = Balance()
    balance.feed(page)
    assert not balance.misnested and balance.stack == []
    headings = re.findall(r'<h2 id="story-\d+-heading">([^<]*)</h2>', page)
    assert headings == ["A real section"]
    for text in ("A quoted heading", "quoted text", "A heading in a list", "A heading in a block", "block text"):
        assert text in page


def test_text_direction_of_a_paragraph_is_kept(output: Path) -> None:
    """Arabic or Hebrew in an English article keeps ``dir="rtl"`` (else it is laid out left to right)."""
    page = _page(output, "right-to-left")
    assert '<p dir="rtl">مرحبا بالعالم</p>' in page
    assert '<p dir="auto">שלום עולם</p>' in page


def test_feeds_carry_no_control_character_or_noncharacter_from_front_matter(tmp_path: Path) -> None:
    """DEL, C1 controls and noncharacters in a title or tag: XML only discourages them, HTML in a feed forbids them.

    (The pages still show them: front matter is read in loaders/metadata.py, which keeps them.)
    """
    site = tmp_path / "site"
    assert main(["init", str(site)]) == 0
    (site / "content" / "title.md").write_text(
        '---\ntitle: "Harbour\\x7f board\\x9b meets\\uFDD0 today\\uFFFE"\ndate: 2025-05-06T10:00:00Z\n'
        'tags: ["ferry\\x85\\x9btag"]\nsummary: "It met\\x7f on Friday."\n---\nThe harbour board met on Friday.\n',
        encoding="utf-8",
    )
    out = tmp_path / "output"
    assert main(["build", "--site", str(site), "--output", str(out)]) == 0
    for name in ("feed.xml", "atom.xml", "feed.json"):
        text = (out / name).read_text(encoding="utf-8")
        assert "Harbour board meets today" in text, name
        assert not FORBIDDEN.search(text), name
