"""The bad-input matrix: each kind of broken input gets a clear one-line message or a documented recovery.

Every case here is a row of the README's "Bad input" table. Builds run
through the command line, as a user would, so the tests see exactly what
the user sees: the exit status and one line per problem, never a traceback.
"""

from __future__ import annotations

import io
import os
import re
import sys
import types
from pathlib import Path

import feedparser
import pytest

from broadsheet.cli import main
from broadsheet.config import load_config
from broadsheet.errors import Diagnostics
from broadsheet.loaders import load_file
from broadsheet.loaders.article import make_slug
from broadsheet.loaders.source_text import decode
from broadsheet.model import Article

GOOD = "---\ntitle: A good article\ndate: 2025-05-01\n---\nIt is still built.\n"


@pytest.fixture
def site(tmp_path: Path) -> Path:
    root = tmp_path / "site"
    (root / "content").mkdir(parents=True)
    (root / "site.yaml").write_text("title: Bad Input\nbase_url: https://example.org/\nsearch: false\n")
    (root / "content" / "good.md").write_text(GOOD)
    return root


def build(site: Path, capsys: pytest.CaptureFixture[str], *options: str) -> tuple[int, list[str]]:
    """Run ``broadsheet build``: the exit status and the lines it printed to stderr."""
    status = main(["build", "--site", str(site), *options])
    err = capsys.readouterr().err
    assert "Traceback" not in err
    return status, err.splitlines()


def load(site: Path, name: str) -> tuple[Article, Diagnostics]:
    diagnostics = Diagnostics()
    return load_file(site / "content" / name, load_config(site), diagnostics), diagnostics


def page(site: Path, slug: str) -> str:
    return (site / "output" / "articles" / slug / "index.html").read_text(encoding="utf-8")


def test_empty_file(site: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (site / "content" / "empty.md").write_bytes(b"")
    (site / "content" / "blank.txt").write_bytes(b" \n\t\n\n")
    status, lines = build(site, capsys)
    assert status == 1  # skipped inputs: the rest is built, the exit status says so
    assert "error: content/empty.md: empty file: nothing to publish" in lines
    assert "error: content/blank.txt: empty file: nothing to publish" in lines
    assert "A good article" in page(site, "a-good-article")


def test_binary_file(site: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (site / "content" / "photo.md").write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)))
    status, lines = build(site, capsys)
    assert status == 1  # skipped inputs: the rest is built, the exit status says so
    assert "error: content/photo.md: binary file (contains NUL bytes), not an article" in lines


def test_invalid_utf8_is_read_as_windows_1252(site: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (site / "content" / "legacy.md").write_bytes(b"---\ntitle: Caf\xe9 \x93Bistro\x94\ndate: 2025-05-02\n---\nBody.\n")
    status, lines = build(site, capsys)
    assert status == 0
    assert "warning: content/legacy.md:2: not valid UTF-8 (byte 0xE9); read as Windows-1252" in lines
    assert "Café “Bistro”" in page(site, "cafe-bistro")


def test_one_stray_latin1_byte_leaves_the_rest_of_a_utf8_file_as_it_is(
    site: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """Only the byte that is not UTF-8 is read as Windows-1252: no mojibake of the file's curly quotes and dashes."""
    text = "---\ntitle: Kyiv café talks — “progress” reported\ndate: 2025-05-02\n---\nThe café talks went on.\n\nStray: caf"
    (site / "content" / "stray.md").write_bytes(text.encode("utf-8") + b"\xe9.\n")
    status, lines = build(site, capsys)
    assert status == 0
    assert "warning: content/stray.md:7: not valid UTF-8 (byte 0xE9); read as Windows-1252" in lines
    html = page(site, "kyiv-cafe-talks-progress-reported")
    assert "Kyiv café talks — “progress” reported" in html and "Stray: café." in html
    assert "Ã" not in html and not re.search("[\x80-\x9f]", html)  # no mojibake, no C1 control characters


def test_bytes_windows_1252_leaves_unassigned_are_replaced_not_c1_controls() -> None:
    diagnostics = Diagnostics()
    text = decode(b"Caf\xe9 \x93Bistro\x94 \x81 \x9d end", "content/x.md", diagnostics)
    assert text == "Café “Bistro” \ufffd \ufffd end"
    assert diagnostics.warnings == ["content/x.md:1: not valid UTF-8 (byte 0xE9); read as Windows-1252"]


def test_a_saved_page_in_the_encoding_it_declares_is_read_in_it(site: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """A Russian page saved as Windows-1251 says so in its <meta>: read as Windows-1252 it would be mojibake."""
    page_text = (
        '<html><head><meta http-equiv="Content-Type" content="text/html; charset=windows-1251">'
        "<title>Переговоры в Стамбуле</title><meta name=date content=2025-05-02></head>"
        "<body><article><p>Делегации встретились в Стамбуле.</p></article></body></html>\n"
    )
    (site / "content" / "istanbul.html").write_bytes(page_text.encode("cp1251"))
    status, lines = build(site, capsys)
    assert status == 0
    assert (
        "warning: content/istanbul.html:1: not valid UTF-8 (byte 0xCF); read as windows-1251, as it declares" in lines
    )
    assert "Делегации встретились в Стамбуле." in page(site, "peregovory-v-stambule")


@pytest.mark.parametrize(
    ("declared", "data", "text", "read_as"),
    [
        ("shift_jis", "<?xml version='1.0' encoding='Shift_JIS'?><p>日本語</p>", "<p>日本語</p>", "shift_jis"),
        # Labelled GB2312, written in GBK (as browsers read the label): a GBK-only character survives.
        ("gb2312", "<meta charset=gb2312><p>中国 镕</p>", "<p>中国 镕</p>", "gb2312"),
        # Latin-1 labels are read as Windows-1252, whose curly quotes a Latin-1 decoder would turn into C1 controls.
        ("iso-8859-1", "<meta charset='iso-8859-1'><p>Café “x”</p>", "<p>Café “x”</p>", "Windows-1252"),
        ("bogus", "<meta charset=bogus><p>Café</p>", "<p>Café</p>", "Windows-1252"),
    ],
)
def test_declared_encodings(declared: str, data: str, text: str, read_as: str) -> None:
    encoding = {"shift_jis": "cp932", "gb2312": "gbk"}.get(declared, "cp1252")
    diagnostics = Diagnostics()
    decoded = decode(data.encode(encoding), "content/x.html", diagnostics)
    assert decoded.endswith(text)
    assert len(diagnostics.warnings) == 1 and diagnostics.warnings[0].endswith(
        f"read as {read_as}" + (", as it declares" if read_as != "Windows-1252" else "")
    )


def test_a_declaration_past_the_first_kilobyte_is_not_looked_for() -> None:
    """As browsers do: the declaration is looked for near the start, never in a story quoting one."""
    data = b"<p>" + b"x" * 1100 + b"</p><pre>&lt;meta charset=koi8-r&gt;</pre><meta charset=koi8-r><p>Caf\xe9</p>"
    diagnostics = Diagnostics()
    assert decode(data, "content/x.html", diagnostics).endswith("<p>Café</p>")
    assert diagnostics.warnings[0].endswith("read as Windows-1252")


@pytest.mark.parametrize(
    ("encoding", "warned"),
    [
        ("utf-8", False),
        ("utf-8-sig", False),
        ("utf-16", False),
        ("utf-16-be", False),
        ("utf-32", False),
        ("latin-1", True),
    ],
)
def test_encodings_with_and_without_bom(site: Path, encoding: str, warned: bool) -> None:
    text = "---\ntitle: Café naïve Ärger\ndate: 2025-05-03\n---\nÜber straße.\n"
    data = text.encode(encoding)
    if encoding == "utf-16-be":
        data = b"\xfe\xff" + data  # Python writes no byte-order mark for the explicit-endian codecs
    (site / "content" / "encoded.md").write_bytes(data)
    article, diagnostics = load(site, "encoded.md")
    assert article.headline == "Café naïve Ärger"
    assert article.sections[0].paragraphs == ("Über straße.",)
    assert bool(diagnostics.warnings) == warned


@pytest.mark.parametrize("suffix", [".md", ".txt"])
def test_crlf_and_cr_line_ends_read_like_lf(site: Path, suffix: str) -> None:
    text = (
        "---\ntitle: Line ends\ndate: 2025-05-04\n---\nFirst paragraph\nwraps here.\n\n## Second\n\nMore text.\n"
        if suffix == ".md"
        else "Line ends\n\nBy Jane Doe\n\nFirst paragraph\nwraps here.\n\n**Second**\n\nMore text.\n"
    )
    parsed = []
    for name, newline in (("lf", "\n"), ("crlf", "\r\n"), ("cr", "\r")):
        (site / "content" / f"{name}{suffix}").write_bytes(text.replace("\n", newline).encode())
        article, _ = load(site, f"{name}{suffix}")
        parsed.append((article.headline, article.authors, article.published, article.sections))
    assert parsed[0] == parsed[1] == parsed[2]
    assert parsed[0][3][1].heading == "Second"


def test_a_50_mb_file_is_refused(site: Path, capsys: pytest.CaptureFixture[str]) -> None:
    with (site / "content" / "huge.txt").open("wb") as handle:
        handle.write(b"Huge headline\n\n")
        handle.truncate(50 * 1024 * 1024)  # sparse: no 50 MB written to the disk
    status, lines = build(site, capsys)
    assert status == 1  # skipped inputs: the rest is built, the exit status says so
    assert "error: content/huge.txt: file is 50 MB; articles over 20 MB are refused" in lines
    assert "A good article" in page(site, "a-good-article")


@pytest.mark.timeout(300)  # guards against a quadratic loop; the load itself takes a few seconds
def test_a_100k_line_file_loads(site: Path) -> None:
    plain = "Long wire story\n\n" + "".join(f"Paragraph {n} of the story.\n\n" for n in range(50_000))
    (site / "content" / "long.txt").write_text(plain)
    article, _ = load(site, "long.txt")
    assert sum(len(s.paragraphs) for s in article.sections) == 50_000
    heads = "".join(f"## Part {n}\n\nParagraph {n}, with a [link](https://example.org/{n}).\n\n" for n in range(25_000))
    (site / "content" / "long.md").write_text("---\ntitle: Long Markdown\ndate: 2025-05-05\n---\n" + heads)
    article, diagnostics = load(site, "long.md")
    assert len(article.sections) == 25_000
    assert article.sections[-1].html.count("<a ") == 1
    assert diagnostics.warnings == []


@pytest.mark.timeout(120)  # python-markdown alone takes minutes on this paragraph
def test_a_paragraph_of_brackets_does_not_stall_the_build(site: Path) -> None:
    body = "A normal [link](https://example.org/).\n\n" + "[ " * 20_000 + "\n\n- [an item](https://example.org/i)\n"
    (site / "content" / "brackets.md").write_text("---\ntitle: Brackets\ndate: 2025-05-06\n---\n" + body)
    article, diagnostics = load(site, "brackets.md")
    assert diagnostics.warnings == [
        "content/brackets.md:7: 1 paragraph(s) too dense for the Markdown parser "
        "(here 20000 unclosed '[' or '<', 20000 markup characters): shown as plain text"
    ]
    html = article.sections[0].html
    assert html.count("<a ") == 2  # the ordinary link and the list item still work
    assert "<p>[ [ [ [" in html


def unclosed_fences(longest: int) -> str:
    """Paragraphs opening code fences of falling length: none is ever closed."""
    return "".join("`" * length + "x\n\n" for length in range(longest, 2, -1))


@pytest.mark.timeout(60)  # python-markdown's fenced-code step alone took minutes on 6 MB of this
def test_a_body_of_unclosed_code_fences_does_not_stall_the_build(site: Path) -> None:
    (site / "content" / "fences.md").write_text("---\ntitle: Fences\ndate: 2025-05-06\n---\n" + unclosed_fences(3400))
    article, _ = load(site, "fences.md")
    assert len(article.sections[0].paragraphs) == 3398  # each is a paragraph, as python-markdown reads it


def test_a_few_unclosed_fences_and_real_code_blocks_convert_as_python_markdown_converts_them() -> None:
    from broadsheet.loaders.markdown import convert_markdown
    from broadsheet.loaders.markdown_guard import defuse, fences

    text = "Intro\n\n```python\nprint(1)\n````\n```\n\n~~~\n```\n~~~\n\n" + unclosed_fences(40)
    blocks, never_closed = fences(text.split("\n"))
    assert blocks == [(2, 5), (7, 9)] and len(never_closed) == 38
    moved, _, _ = defuse(text)
    assert moved != text and convert_markdown(moved).replace("\n ```", "\n```") == convert_markdown(text)
    few = "Intro\n\n" + unclosed_fences(10)
    assert defuse(few)[0] == few  # a few cost little: the text is left as written


def test_yaml_alias_bomb(site: Path, capsys: pytest.CaptureFixture[str]) -> None:
    laughs = ['a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]']
    laughs += [f"{x}: &{x} [{', '.join(['*' + y] * 9)}]" for y, x in zip("abcdefgh", "bcdefghi", strict=True)]
    (site / "content" / "bomb.md").write_text("---\ntitle: Bomb\n" + "\n".join(laughs) + "\n---\nBody\n")
    (site / "content" / "deep.md").write_text("---\ntitle: Deep\nx: " + "[" * 40_000 + "]" * 40_000 + "\n---\nBody\n")
    status, lines = build(site, capsys)
    assert status == 1  # skipped inputs: the rest is built, the exit status says so
    assert "error: content/bomb.md:2: more than 64 YAML aliases: refusing a possible alias bomb" in lines
    assert "error: content/deep.md:2: YAML front matter nested more than 500 levels deep" in lines


def test_unknown_yaml_tags_are_errors_and_never_run(site: Path, capsys: pytest.CaptureFixture[str]) -> None:
    sentinel = site / "pwned"
    (site / "content" / "tagged.md").write_text(
        f'---\ntitle: Tagged\ndate: 2025-05-07\nx: !!python/object/apply:os.system ["touch {sentinel}"]\n---\nBody\n'
    )
    (site / "content" / "custom.md").write_text("---\ntitle: Custom\nsummary: !secret value\n---\nBody\n")
    status, lines = build(site, capsys)
    assert status == 1  # skipped inputs: the rest is built, the exit status says so
    assert not sentinel.exists()
    assert (
        "error: content/tagged.md:4: invalid YAML front matter: could not determine a constructor for the tag "
        "'tag:yaml.org,2002:python/object/apply:os.system'"
    ) in lines
    assert (
        "error: content/custom.md:3: invalid YAML front matter: could not determine a constructor for the tag '!secret'"
        in lines
    )


def test_duplicate_slugs_get_a_stable_suffix(site: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (site / "content" / "a.md").write_text("---\ntitle: Same Title\ndate: 2025-05-08\n---\nFirst text.\n")
    (site / "content" / "b.md").write_text("---\ntitle: Same Title\ndate: 2025-05-09\n---\nSecond text.\n")
    (site / "content" / "copy.md").write_bytes((site / "content" / "a.md").read_bytes())
    status, lines = build(site, capsys)
    assert status == 0
    assert "warning: content/copy.md: duplicate of content/a.md: skipped" in lines
    folders = sorted(p.name for p in (site / "output" / "articles").iterdir() if p.name.startswith("same-title"))
    assert len(folders) == 2 and folders[0] == "same-title"
    assert "First text." in page(site, "same-title")
    assert "Second text." in page(site, folders[1])
    assert main(["build", "--site", str(site), "--output", str(site / "again")]) == 0
    assert sorted(p.name for p in (site / "again" / "articles").iterdir() if p.name.startswith("same-title")) == folders


@pytest.mark.parametrize(
    ("date", "message"),
    [
        ("not a date", "content/when.md:3: 'date': cannot read 'not a date' as a date"),
        ("2025-02-30", "content/when.md:3: invalid YAML front matter: day is out of range for month"),
        ("'2025-02-30'", "content/when.md:3: 'date': cannot read '2025-02-30' as a date"),
        ("9999-12-31T23:00:00-12:00", "content/when.md:3: 'date': 9999-12-31 is out of range (years 2 to 9998)"),
        ("0001-01-01T00:30:00+05:00", "content/when.md:3: 'date': 0001-01-01 is out of range (years 2 to 9998)"),
        ("1.0e+300", "content/when.md:3: 'date': timestamp 1e+300 is out of range"),
    ],
)
def test_invalid_dates(site: Path, capsys: pytest.CaptureFixture[str], date: str, message: str) -> None:
    (site / "content" / "when.md").write_text(f"---\ntitle: When\ndate: {date}\n---\nBody.\n")
    status, lines = build(site, capsys)
    assert status == 1  # skipped inputs: the rest is built, the exit status says so
    assert any(line.startswith(f"error: {message}") for line in lines), lines


def test_far_future_date_waits_unless_future(site: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (site / "content" / "later.md").write_text("---\ntitle: Scheduled\ndate: 3025-01-01\n---\nNot yet.\n")
    assert build(site, capsys)[0] == 0
    assert not (site / "output" / "articles" / "scheduled").exists()
    assert build(site, capsys, "--future")[0] == 0
    assert "1 January 3025" in page(site, "scheduled")


def test_pre_1900_date_is_built_and_in_the_feeds(site: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (site / "content" / "old.md").write_text("---\ntitle: Telegraph news\ndate: 1850-06-01T12:00:00\n---\nBy wire.\n")
    status, lines = build(site, capsys)
    assert status == 0 and lines == []
    assert "1 June 1850" in page(site, "telegraph-news")
    rss = (site / "output" / "feed.xml").read_bytes()
    assert b"<pubDate>Sat, 01 Jun 1850 12:00:00 +0000</pubDate>" in rss
    for feed in ("feed.xml", "atom.xml"):
        parsed = feedparser.parse(io.BytesIO((site / "output" / feed).read_bytes()))
        assert not parsed.bozo
        assert [e.title for e in parsed.entries] == ["A good article", "Telegraph news"]


def test_missing_required_fields(site: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (site / "content" / "untitled.md").write_text("---\ndate: 2025-05-10\n---\nBody without a headline.\n")
    (site / "content" / "headline-only.txt").write_text("Just a headline\n")
    status, lines = build(site, capsys)
    assert status == 1  # skipped inputs: the rest is built, the exit status says so
    assert "error: content/untitled.md:1: no headline: add 'title:' front matter or a first '# Heading' line" in lines
    assert "error: content/headline-only.txt: no body text after the headline" in lines
    (site / "site.yaml").write_text("title: No base URL\nsearch: false\n")
    status, lines = build(site, capsys)
    assert status == 1
    assert lines == ["error: site.yaml: missing required key 'base_url'"]


@pytest.mark.parametrize(
    ("extra", "message"),
    [
        ("titel: Typo\n", "site.yaml:4: unknown key 'titel' (known keys: "),
        ("feed:\n  itmes: 3\n", "site.yaml:5: unknown key 'feed.itmes' (known keys: full_text, items)"),
        ("paths:\n  contnet: x\n", "site.yaml:5: unknown key 'paths.contnet' (known keys: "),
        ("page_size: many\n", "site.yaml:4: 'page_size' must be a whole number, not str"),
        ("page_size: 0\n", "site.yaml:4: 'page_size' must be at least 1"),
        ("front_page_stories: 0\n", "site.yaml:4: 'front_page_stories' must be at least 1"),
        ("default_date: 2025-02-30\n", "site.yaml:4: 'default_date': cannot read '2025-02-30': day is out of range"),
        ("default_date:\n  2025-02-30\n", "site.yaml:4: 'default_date': cannot read '2025-02-30': day is out of range"),
        ("default_date: 0000-01-01\n", "site.yaml:4: 'default_date': cannot read '0000-01-01': year 0 is out of range"),
        ("default_date: 2025-01-31 25:00:00\n", "site.yaml:4: 'default_date': cannot read '2025-01-31 25:00:00': hour"),
        ('default_date: "2025-02-30"\n', "site.yaml:4: 'default_date' must be a date such as 2025-01-31"),
        ("extra:\n  launch: 2025-13-01\n", "site.yaml:5: 'extra.launch': cannot read '2025-13-01': month must be"),
        ("topics:\n  - x\n  - 2025-02-30\n", "site.yaml:6: 'topics': cannot read '2025-02-30': day is out of range"),
        ("extra: !!python/name:os.system\n", "site.yaml:4: invalid YAML: could not determine a constructor"),
    ],
)
def test_bad_site_yaml(site: Path, capsys: pytest.CaptureFixture[str], extra: str, message: str) -> None:
    with (site / "site.yaml").open("a") as handle:
        handle.write(extra)
    status, lines = build(site, capsys)
    assert status == 1
    assert len(lines) == 1
    assert lines[0].startswith(f"error: {message}"), lines


@pytest.mark.parametrize(
    ("template", "message"),
    [
        ("{% if %}\n", "article.html:3: template syntax error: Expected an expression, got 'end of statement block'"),
        ("{{ article.headline }\n", "article.html:3: template syntax error: unexpected '}'"),
        ("{% for x in y %}\n", "article.html:4: template syntax error: Encountered unknown tag 'endblock'."),
        ("{{ no_such_thing.x }}\n", "article.html:3: template error: 'no_such_thing' is undefined"),
    ],
)
def test_template_error_names_template_and_line(
    site: Path, capsys: pytest.CaptureFixture[str], template: str, message: str
) -> None:
    assert build(site, capsys)[0] == 0
    before = page(site, "a-good-article")
    (site / "templates").mkdir()
    (site / "templates" / "article.html").write_text(
        '{% extends "base.html" %}\n{% block content %}\n' + template + "{% endblock %}\n"
    )
    status, lines = build(site, capsys)
    assert status == 1
    assert len(lines) == 1
    assert lines[0].startswith(f"error: {site / 'templates'}/{message}")
    assert page(site, "a-good-article") == before  # the previous site is still there


def test_a_build_never_stops_silently(site: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """Every bad file of a mixed bag is named once, and the good one is built."""
    bad = {
        "empty.md": b"",
        "binary.txt": b"\x00\x01\x02",
        "yaml.md": b"---\ntitle: [unclosed\n---\nBody\n",
        "open.md": b"---\ntitle: never closed\n",
        "notitle.md": b"---\ndate: 2025-01-01\n---\nBody\n",
        "date.md": b"---\ntitle: Bad date\ndate: someday\n---\nBody\n",
    }
    for name, data in bad.items():
        (site / "content" / name).write_bytes(data)
    # A link that is not http(s) costs the link, not the article: built, with one warning naming it.
    (site / "content" / "url.md").write_bytes(
        b"---\ntitle: Bad URL\ndate: 2025-01-01\nsource_url: javascript:alert(1)\n---\nBody\n"
    )
    status, lines = build(site, capsys)
    assert status == 1  # skipped inputs: the rest is built, the exit status says so
    for name in bad:
        assert sum(f"content/{name}" in line for line in lines) == 1, (name, lines)
    assert f"note: {len(bad)} input file(s) skipped (see errors above)" in lines
    assert os.path.isfile(site / "output" / "articles" / "a-good-article" / "index.html")
    assert [line for line in lines if "content/url.md" in line] == [
        "warning: content/url.md:4: source_url is not http(s): ignored"
    ]
    assert "javascript:" not in page(site, "bad-url")


def test_slugs_do_not_depend_on_which_transliteration_module_is_installed(monkeypatch: pytest.MonkeyPatch) -> None:
    """python-slugify's default takes ``unidecode`` when it is installed (text-unidecode, its own dependency,
    otherwise): the same site's addresses changed from one machine to another. One that is installed here (a
    stand-in) is not used."""
    expected = make_slug("Київ: talks in Łódź")
    stand_in = types.ModuleType("unidecode")
    stand_in.unidecode = lambda text: "stand-in"  # type: ignore[attr-defined]
    monkeypatch.setitem(sys.modules, "unidecode", stand_in)
    assert make_slug("Київ: talks in Łódź") == expected == "kiiv-talks-in-lodz"
