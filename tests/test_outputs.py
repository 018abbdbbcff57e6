"""Site outputs beyond the core: archives, sources, tags, pagination, feeds, sitemaps, metadata."""

from __future__ import annotations

import json
import re
import xml.etree.ElementTree as ET
from datetime import UTC, datetime
from pathlib import Path

import feedparser
import pytest

from broadsheet.build import BuildOptions, build_site

SEED_PAGE = "articles/russia-and-ukraine-agree-on-the-largest-ever-prisoner-exchange-but-peace/index.html"
NOW = datetime(2025, 6, 1, tzinfo=UTC)


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    import shutil

    from conftest import REPO

    root = tmp_path_factory.mktemp("outputs") / "site"
    root.mkdir()
    text = (REPO / "site.yaml").read_text(encoding="utf-8").replace("page_size: 10", "page_size: 2")
    (root / "site.yaml").write_text(text, encoding="utf-8")
    shutil.copytree(REPO / "content", root / "content")
    shutil.copytree(REPO / "seeds", root / "seeds")
    (root / "content" / "draft.md").write_text(
        "---\ntitle: Unpublished draft zz\ndate: 2025-05-10\ndraft: true\n---\nDraft.\n"
    )
    (root / "content" / "future.md").write_text("---\ntitle: From the future\ndate: 2031-01-01\n---\nLater.\n")
    build_site(BuildOptions(site=root, now=NOW))
    return root / "output"


def read(site: Path, path: str) -> str:
    return (site / path).read_text(encoding="utf-8")


def test_archive_year_month_and_daily_editions(site: Path) -> None:
    archive = read(site, "archive/index.html")
    assert 'href="../archive/2025/"' in archive and 'href="../archive/2025/05/"' in archive
    month = read(site, "archive/2025/05/index.html")
    for day in ("12", "14", "15", "16", "17"):
        assert f'href="../../../archive/2025/05/{day}/"' in month
    edition = read(site, "archive/2025/05/16/index.html")
    assert "Edition of 16 May 2025" in edition
    assert re.findall(r'<h2 id="topic-([\w-]+)">', edition) == [
        "talks",
        "prisoner-swap",
        "ceasefire-demands",
        "diplomatic-friction",
    ]
    assert 'href="../../archive/2025/05/16/"' in read(site, SEED_PAGE)  # the article links its edition


def test_sources_and_tags(site: Path) -> None:
    sources = read(site, "sources/index.html")
    assert 'href="../sources/euromaidanpress-com/"' in sources and "Marrow Valley Gazette (example)" in sources
    assert "Russia and Ukraine agree" in read(site, "sources/euromaidanpress-com/index.html")
    assert (site / "sources/euromaidanpress-com/feed.xml").is_file()
    tags = read(site, "tags/index.html")
    assert 'href="../tags/istanbul-talks/"' in tags
    assert "Russia and Ukraine agree" in read(site, "tags/istanbul-talks/index.html")


def test_authors_have_pages_linked_from_their_bylines(site: Path) -> None:
    authors = read(site, "authors/index.html")
    assert 'href="../authors/mira-okafor/">Mira Okafor</a> <span class="count">(2)</span>' in authors
    assert "authors/ai/" not in authors and not (site / "authors/ai").exists()  # "AI" labels, it writes nothing
    mira = read(site, "authors/mira-okafor/index.html")
    assert '<h1 class="page-title">By Mira Okafor</h1>' in mira and "floating library" in mira
    glacier = read(site, "articles/sample-survey-team-maps-the-retreat-of-the-fictional-vesna-glacier/index.html")
    assert (
        'By <a href="../../authors/lena-strand/">Lena Strand</a>, <a href="../../authors/arvo-kask/">Arvo Kask</a>'
        in glacier
    )
    assert '<span class="authors">By AI</span>' in read(site, SEED_PAGE)
    block = re.search(r'<script type="application/ld\+json">(.*?)</script>', glacier, re.S)
    assert block is not None and json.loads(block.group(1))["author"] == [  # schema.org: each with its page
        {"@type": "Person", "name": "Lena Strand", "url": "https://digest.example.org/authors/lena-strand/"},
        {"@type": "Person", "name": "Arvo Kask", "url": "https://digest.example.org/authors/arvo-kask/"},
    ]


def test_pagination_with_stable_urls_and_rel_links(site: Path) -> None:
    first = read(site, "tags/sample/index.html")  # four sample articles, two per page
    second = read(site, "tags/sample/page/2/index.html")
    assert '<link rel="next" href="../../tags/sample/page/2/">' in first
    assert '<link rel="prev" href="../../../../tags/sample/">' in second
    assert 'aria-current="page">2<' in second
    assert not (site / "tags/sample/page/3").exists()
    assert (site / "topics/talks/page/2/index.html").is_file()


def test_drafts_and_future_articles_are_left_out(site: Path) -> None:
    everything = "".join(p.read_text(encoding="utf-8") for p in site.rglob("*.html"))
    assert "Unpublished draft zz" not in everything and "From the future" not in everything


def test_drafts_and_future_flags_include_them(sample_site: Path) -> None:
    (sample_site / "content" / "draft.md").write_text("---\ntitle: A draft\ndate: 2025-05-10\ndraft: true\n---\nX.\n")
    (sample_site / "content" / "future.md").write_text("---\ntitle: Later\ndate: 2031-01-01\n---\nY.\n")
    result = build_site(BuildOptions(site=sample_site, drafts=True, future=True, now=NOW))
    assert result.articles == 7
    assert (result.output / "articles/a-draft/index.html").is_file()
    assert (result.output / "articles/later/index.html").is_file()


def test_every_feed_parses_with_unique_ids(site: Path) -> None:
    feeds = [*sorted(site.rglob("feed.xml")), site / "atom.xml"]
    assert len(feeds) >= 10
    for path in feeds:
        parsed = feedparser.parse(path.read_bytes())
        assert not parsed.bozo, (path, parsed.get("bozo_exception"))
        ids = [e.id for e in parsed.entries]
        assert len(ids) == len(set(ids)) > 0, path
        assert all(i.startswith("urn:uuid:") for i in ids)


def test_rss_has_summary_and_full_text(site: Path) -> None:
    root = ET.fromstring((site / "feed.xml").read_bytes())
    item = next(i for i in root.iter("item") if i.findtext("title", "").startswith("Russia and Ukraine"))
    assert item.findtext("description", "").startswith("The latest round of talks")
    content = item.findtext("{http://purl.org/rss/1.0/modules/content/}encoded", "")
    assert "<h2>Prisoner Swap Agreement Reached</h2>" in content
    self_link = root.find("channel/{http://www.w3.org/2005/Atom}link")
    assert self_link is not None and self_link.get("href") == "https://digest.example.org/feed.xml"


def test_atom_follows_rfc_4287(site: Path) -> None:
    ns = {"a": "http://www.w3.org/2005/Atom"}
    root = ET.fromstring((site / "atom.xml").read_bytes())
    assert root.findtext("a:id", namespaces=ns) == "https://digest.example.org/atom.xml"
    assert root.findtext("a:updated", namespaces=ns) == "2025-05-17T11:00:00+01:00"
    assert root.find("a:author/a:name", ns) is not None
    assert root.find("a:link[@rel='self']", ns) is not None
    for entry in root.findall("a:entry", ns):
        for field in ("id", "title", "updated", "published"):
            assert entry.findtext(f"a:{field}", namespaces=ns), field
        assert entry.find("a:author/a:name", ns) is not None


def test_json_feed_1_1(site: Path) -> None:
    feed = json.loads(read(site, "feed.json"))
    assert feed["version"] == "https://jsonfeed.org/version/1.1"
    assert feed["feed_url"] == "https://digest.example.org/feed.json"
    assert feed["title"] and feed["home_page_url"]
    ids = [item["id"] for item in feed["items"]]
    assert len(ids) == len(set(ids)) == 5
    for item in feed["items"]:
        assert isinstance(item["id"], str)
        assert "content_html" in item or "content_text" in item
        datetime.fromisoformat(item["date_published"])
    seed = next(i for i in feed["items"] if i["title"].startswith("Russia"))
    assert {"name": "AI-generated"} in seed["authors"]


def test_feed_ids_do_not_depend_on_site_paths(sample_site: Path, tmp_path: Path) -> None:
    before = feedparser.parse(
        build_site(BuildOptions(site=sample_site, now=NOW)).output.joinpath("feed.xml").read_bytes()
    )
    text = (sample_site / "site.yaml").read_text(encoding="utf-8")
    (sample_site / "site.yaml").write_text(
        text.replace("https://digest.example.org/", "https://other.example.net/news/")
    )
    after = feedparser.parse(
        build_site(BuildOptions(site=sample_site, now=NOW)).output.joinpath("feed.xml").read_bytes()
    )
    assert [e.id for e in before.entries] == [e.id for e in after.entries]
    assert [e.link for e in before.entries] != [e.link for e in after.entries]


def test_feed_length_and_summary_only(sample_site: Path) -> None:
    with (sample_site / "site.yaml").open("a", encoding="utf-8") as config:
        config.write("feed: {items: 2, full_text: false}\n")
    output = build_site(BuildOptions(site=sample_site, now=NOW)).output
    text = (output / "feed.xml").read_text(encoding="utf-8")
    assert text.count("<item>") == 2 and "content:encoded>" not in text
    assert all("content_html" not in i for i in json.loads((output / "feed.json").read_text())["items"])


def test_autodiscovery_links(site: Path) -> None:
    home = read(site, "index.html")
    for mime, href in (
        ("application/rss+xml", "feed.xml"),
        ("application/atom+xml", "atom.xml"),
        ("application/feed+json", "feed.json"),
    ):
        assert f'<link rel="alternate" type="{mime}"' in home and f'href="{href}"' in home
    assert 'href="../../topics/talks/feed.xml"' in read(site, "topics/talks/index.html")
    assert 'href="../../sources/euromaidanpress-com/feed.xml"' in read(site, SEED_PAGE)


def test_sitemaps_and_robots(site: Path) -> None:
    ns = {"s": "http://www.sitemaps.org/schemas/sitemap/0.9", "n": "http://www.google.com/schemas/sitemap-news/0.9"}
    locs = {
        u.findtext("s:loc", namespaces=ns): u.findtext("s:lastmod", namespaces=ns)
        for u in ET.parse(site / "sitemap.xml").getroot()
    }
    pages = {p.relative_to(site).as_posix() for p in site.rglob("*.html")} - {"404.html"}
    listed = {loc.removeprefix("https://digest.example.org/") for loc in locs}
    assert {p.removesuffix("index.html") for p in pages} - {"search/"} <= listed
    assert all(locs.values())
    news = ET.parse(site / "sitemap-news.xml").getroot()
    titles = [u.findtext("n:news/n:title", namespaces=ns) for u in news]
    # newest article 17 May 11:00 +01:00; two days back includes 15 May 16:00 +02:00, not 14 May
    assert len(titles) == 3 and not any("floating library" in t for t in titles)
    robots = read(site, "robots.txt")
    assert "Sitemap: https://digest.example.org/sitemap.xml" in robots
    assert "Sitemap: https://digest.example.org/sitemap-news.xml" in robots


def test_page_metadata_and_json_ld(site: Path) -> None:
    html = read(site, SEED_PAGE)
    assert (
        '<link rel="canonical" href="https://digest.example.org/' + SEED_PAGE.removesuffix("index.html") + '">' in html
    )
    assert '<meta property="og:type" content="article">' in html
    assert '<meta property="article:published_time" content="2025-05-16T19:00:00+03:00">' in html
    assert '<meta property="article:section" content="talks">' in html
    assert '<meta property="article:tag" content="Istanbul talks">' in html
    assert '<meta name="twitter:card" content="summary">' in html
    assert '<meta name="description" content="The latest round of talks' in html
    block = re.search(r'<script type="application/ld\+json">(.*?)</script>', html, re.S)
    assert block is not None
    data = json.loads(block.group(1))
    assert data["@type"] == "NewsArticle"
    assert data["headline"].startswith("Russia and Ukraine agree")
    assert data["datePublished"] == "2025-05-16T19:00:00+03:00" and data["dateModified"]
    assert data["author"] == [
        {"@type": "Thing", "name": "AI-generated", "description": data["author"][0]["description"]}
    ]
    assert data["publisher"]["name"] == "Broadsheet Sample Digest"
    assert data["isBasedOn"] == "https://euromaidanpress.com/"
    for page in site.rglob("*.html"):
        text = page.read_text(encoding="utf-8")
        assert '<meta name="description" content="' in text and '<meta property="og:title"' in text, page


def test_404_links_from_the_site_root(site: Path) -> None:
    html = read(site, "404.html")
    assert 'href="/static/style.css"' in html and 'href="/topics/"' in html
