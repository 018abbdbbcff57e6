"""``broadsheet check``: a clean site passes; each kind of defect is found, one line each."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from broadsheet.build import BuildOptions, build_site
from broadsheet.check import check_site
from broadsheet.cli import main
from broadsheet.errors import BroadsheetError

BASE = "https://news.example.org/digest/"


def page(title: str, body: str, canonical: str = "", head: str = "") -> str:
    title_tag = f"<title>{title}</title>" if title else ""
    link = f'<link rel="canonical" href="{canonical}">' if canonical else ""
    return f"<!DOCTYPE html><html><head>{title_tag}{link}{head}</head><body>\n{body}\n</body></html>\n"


def rss(*guids: str) -> str:
    items = "".join(
        f"<item><title>T{n}</title><link>{BASE}a/</link><guid isPermaLink='false'>{g}</guid></item>"
        for n, g in enumerate(guids)
    )
    return (
        '<?xml version="1.0" encoding="utf-8"?><rss version="2.0"><channel><title>S</title>'
        f"<link>{BASE}</link><description>D</description>{items}</channel></rss>\n"
    )


def sitemap(*paths: str) -> str:
    locs = "".join(f"<url><loc>{BASE}{p}</loc></url>" for p in paths)
    return f'<?xml version="1.0"?><urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">{locs}</urlset>\n'


@pytest.fixture
def site(tmp_path: Path) -> Path:
    """A small hand-written site with no problems, to break one thing at a time."""
    out = tmp_path / "out"
    (out / "a").mkdir(parents=True)
    (out / "static").mkdir()
    feed_link = '<link rel="alternate" type="application/rss+xml" href="feed.xml">'
    (out / "index.html").write_text(
        page(
            "Front",
            '<a href="a/#s1">A</a> <a href="/digest/a/">abs</a> <img src="static/p.png" alt="">',
            BASE,
            feed_link,
        )
    )
    (out / "a" / "index.html").write_text(
        page(
            "A",
            f'<h2 id="s1">S</h2><a href="../">home</a> <a href="{BASE}#top">top</a> <a href="https://else.example/x">x</a>',
        )
    )
    (out / "404.html").write_text(page("Not found", '<a href="/digest/">home</a>'))
    (out / "static" / "p.png").write_bytes(b"\x89PNG")
    (out / "static" / "style.css").write_text("body { background: url('p.png'); }\n")
    (out / "feed.xml").write_text(rss("one", "two"))
    (out / "sitemap.xml").write_text(sitemap("", "a/"))
    return out


def lines(out: Path) -> list[str]:
    return [str(p) for p in check_site(out)]


def test_clean_site_has_no_problems(site: Path) -> None:
    assert lines(site) == []


def test_built_sample_site_is_clean(sample_site: Path, capsys: pytest.CaptureFixture[str]) -> None:
    output = build_site(BuildOptions(site=sample_site)).output
    assert main(["check", str(output)]) == 0
    captured = capsys.readouterr()
    assert captured.out == ""
    assert "no problems" in captured.err


def test_check_without_argument_uses_the_sites_output(sample_site: Path) -> None:
    build_site(BuildOptions(site=sample_site))
    assert main(["check", "--site", str(sample_site)]) == 0


def test_broken_link_and_fragment(site: Path) -> None:
    (site / "a" / "index.html").write_text(
        page("A", '<h2 id="s1">S</h2>\n<a href="../nope/">x</a>\n<a href="../#missing">y</a>\n<a href="#s1">ok</a>')
    )
    assert lines(site) == [
        "a/index.html:3: broken link: ../nope/ (no such file)",
        "a/index.html:4: broken link: ../#missing (no id 'missing' in index.html)",
    ]


def test_broken_absolute_and_root_relative_links(site: Path) -> None:
    (site / "index.html").write_text(
        page("Front", f'<a href="{BASE}gone/">x</a><a href="/digest/a/#s1">ok</a><a href="/digest/b.html">y</a>', BASE)
    )
    assert lines(site) == [
        "index.html:2: broken link: /digest/b.html (no such file)",
        f"index.html:2: broken link: {BASE}gone/ (no such file)",
    ]


def test_broken_stylesheet_image_and_css_url(site: Path) -> None:
    (site / "static" / "style.css").write_text("a {}\nbody { background: url(gone.png); }\n")
    (site / "a" / "index.html").write_text(page("A", '<h2 id="s1">S</h2><img src="missing.jpg" alt="x">'))
    assert lines(site) == [
        "a/index.html:2: broken link: missing.jpg (no such file)",
        "static/style.css:2: broken link: gone.png (no such file)",
    ]


def test_image_without_alt(site: Path) -> None:
    (site / "a" / "index.html").write_text(page("A", '<h2 id="s1">S</h2>\n<img src="../static/p.png">'))
    assert lines(site) == ["a/index.html:3: image without alt text: ../static/p.png"]


def test_page_without_title(site: Path) -> None:
    (site / "a" / "index.html").write_text(page("", '<h2 id="s1">S</h2>'))
    (site / "404.html").write_text(page("  ", "gone"))
    assert lines(site) == ["404.html: page has no <title>", "a/index.html: page has no <title>"]


def test_page_missing_from_sitemap_and_stale_sitemap_entry(site: Path) -> None:
    (site / "b").mkdir()
    (site / "b" / "index.html").write_text(page("B", "b"))
    (site / "c.html").write_text(page("Moved", "", head='<meta http-equiv="refresh" content="0; url=a/">'))
    (site / "sitemap.xml").write_text(sitemap("", "a/", "old/"))
    assert lines(site) == [
        f"b/index.html: page missing from sitemap.xml ({BASE}b/)",
        f"sitemap.xml: lists {BASE}old/, which is not a file of this site",
    ]


def test_missing_sitemap(site: Path) -> None:
    (site / "sitemap.xml").unlink()
    assert lines(site) == ["sitemap.xml: missing: search engines cannot list the pages"]


def test_duplicate_guids(site: Path) -> None:
    (site / "feed.xml").write_text(rss("one", "two", "one", "one"))
    assert lines(site) == ["feed.xml: duplicate feed guid (3 items): one"]


def test_feed_that_does_not_parse(site: Path) -> None:
    (site / "feed.xml").write_text(rss("one")[:-40])
    [problem] = lines(site)
    assert problem.startswith("feed.xml: feed does not parse: ")


def test_feed_that_feed_readers_reject(site: Path) -> None:
    # Declared ASCII, but holds UTF-8: feedparser flags it (bozo), as strict readers do.
    (site / "feed.xml").write_bytes(rss("café").replace('encoding="utf-8"', 'encoding="us-ascii"').encode())
    assert lines(site) == ["feed.xml: feed does not parse: document declared as us-ascii, but parsed as utf-8"]


def test_xml_with_an_unknown_encoding(site: Path) -> None:
    (site / "sitemap.xml").write_text(sitemap("", "a/").replace('version="1.0"', 'version="1.0" encoding="x-bogus"'))
    [problem] = lines(site)
    assert problem.startswith("sitemap.xml:")
    assert "unknown encoding" in problem


def test_atom_and_json_feed_ids(site: Path) -> None:
    entries = "".join(
        f"<entry><id>urn:{i}</id><title>t</title><updated>2025-01-01T00:00:00Z</updated></entry>" for i in "aab"
    )
    (site / "atom.xml").write_text(
        f'<?xml version="1.0"?><feed xmlns="http://www.w3.org/2005/Atom"><id>urn:f</id><title>F</title>'
        f"<updated>2025-01-01T00:00:00Z</updated>{entries}</feed>"
    )
    items = [{"id": "x", "content_text": "1"}, {"id": "x", "content_text": "2"}, {"content_text": "3"}]
    (site / "feed.json").write_text(
        json.dumps({"version": "https://jsonfeed.org/version/1.1", "title": "F", "items": items})
    )
    assert lines(site) == [
        "atom.xml: duplicate feed entry id (2 items): urn:a",
        "feed.json: JSON Feed item 3 has no id",
        "feed.json: duplicate feed item id (2 items): x",
    ]


def test_linked_json_feed_that_is_not_json(site: Path) -> None:
    head = '<link rel="alternate" type="application/feed+json" href="feeds/all.json">'
    (site / "index.html").write_text(page("Front", '<a href="a/#s1">A</a>', BASE, head))
    (site / "feeds").mkdir()
    (site / "feeds" / "all.json").write_text('{"version": "https://jsonfeed.org/version/1.1", "items": [')
    [problem] = lines(site)
    assert problem.startswith("feeds/all.json:1: feed is not valid JSON:")


def test_cli_prints_one_line_per_problem_and_exits_1(site: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (site / "a" / "index.html").write_text(
        page("", '<h2 id="s1">S</h2><a href="#gone">x</a><img src="../static/p.png">')
    )
    assert main(["check", str(site)]) == 1
    captured = capsys.readouterr()
    assert captured.out.splitlines() == [
        "a/index.html: page has no <title>",
        "a/index.html:2: broken link: #gone (no id 'gone' in a/index.html)",
        "a/index.html:2: image without alt text: ../static/p.png",
    ]
    assert "3 problem(s)" in captured.err


def test_cli_on_a_folder_that_is_not_a_site(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["check", str(tmp_path)]) == 1
    assert "no built site here" in capsys.readouterr().err
    with pytest.raises(BroadsheetError):
        check_site(tmp_path / "missing")
