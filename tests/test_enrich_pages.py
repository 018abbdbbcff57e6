"""Built pages of story intelligence: entities, clusters, topic threads, article additions; checked for links."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import urljoin, urlsplit

import pytest

from broadsheet.build import BuildOptions, BuildResult, build_site

SEED_SLUG = "russia-and-ukraine-agree-on-the-largest-ever-prisoner-exchange-but-peace"
TOOLS = Path(__file__).resolve().parents[2] / "shared" / "tools"
CACHE = Path(os.environ.get("XDG_CACHE_HOME", Path.home() / ".cache")) / "site-checkers"

REPORTS = {
    "wire-one.md": (
        "Russia and Ukraine agree to swap 1,000 prisoners each after Istanbul talks",
        "2025-05-16T18:00:00+03:00",
        "Wire One",
        "Russia and Ukraine agreed on Friday to exchange 1,000 prisoners of war each, the largest swap of the "
        "conflict, after their first direct talks in Istanbul in three years. The talks ended without a ceasefire.",
    ),
    "daily-two.md": (
        "Ukraine, Russia agree on largest prisoner exchange at Istanbul talks, no ceasefire",
        "2025-05-16T20:30:00+03:00",
        "Daily Two",
        "Ukraine and Russia agreed to a prisoner exchange of 1,000 for 1,000 at talks in Istanbul on Friday, the "
        "biggest swap since the war began, but made no progress towards a ceasefire.",
    ),
    "gazette-three.md": (
        "Istanbul talks end with prisoner swap deal but no truce",
        "2025-05-17T09:00:00+03:00",
        "Gazette Three",
        "Delegations from Russia and Ukraine agreed in Istanbul to swap 1,000 prisoners each, the largest exchange "
        "of the war, but the talks produced no ceasefire.",
    ),
}


class Page(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.hrefs: list[str] = []
        self.headings: list[int] = []
        self.text: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        href = dict(attrs).get("href")
        if tag == "a" and href:
            self.hrefs.append(href)
        if re.fullmatch(r"h[1-6]", tag):
            self.headings.append(int(tag[1]))

    def handle_data(self, data: str) -> None:
        self.text.append(data)


def parse(path: Path) -> Page:
    page = Page()
    page.feed(path.read_text(encoding="utf-8"))
    return page


def text_of(path: Path) -> str:
    return " ".join(" ".join(parse(path).text).split())


def site_paths(output: Path) -> dict[str, Path]:
    """Every HTML page by its site path ("entities/afp/")."""
    pages = {}
    for file in output.rglob("*.html"):
        rel = file.relative_to(output).as_posix()
        pages[rel.removesuffix("index.html")] = file
    return pages


def linked_paths(output: Path) -> set[str]:
    """Every site path some page links to."""
    found = set()
    for path, file in site_paths(output).items():
        for href in parse(file).hrefs:
            parts = urlsplit(href)
            if not parts.scheme and not href.startswith("#"):
                found.add(urljoin("/" + path, parts.path).lstrip("/"))
    return found


def add_reports(site: Path) -> None:
    for name, (title, date, source, body) in REPORTS.items():
        (site / "content" / name).write_text(
            f'---\ntitle: "{title}"\ndate: {date}\nsource: {{name: {source}, url: https://{name[:-3]}.example/}}\n'
            f"source_url: https://{name[:-3]}.example/story\n---\n\n{body}\n",
            encoding="utf-8",
        )


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, BuildResult]:
    """The sample site plus three reports of one event, without the search page (not this module's concern)."""
    import shutil

    from conftest import REPO

    site = tmp_path_factory.mktemp("enriched") / "site"
    site.mkdir()
    text = (REPO / "site.yaml").read_text(encoding="utf-8") + "\nsearch: false\n"
    (site / "site.yaml").write_text(text, encoding="utf-8")
    for folder in ("content", "seeds", "data"):
        shutil.copytree(REPO / folder, site / folder)
    add_reports(site)
    result = build_site(BuildOptions(site=site, output=site / "output"))
    return site / "output", result


def test_one_page_per_entity_and_entity_indexes(built: tuple[Path, BuildResult]) -> None:
    output, _ = built
    pages = site_paths(output)
    for slug in (
        "rustem-umerov",
        "vladimir-medinsky",
        "volodymyr-zelenskyy",
        "vladimir-putin",
        "reuters",
        "afp",
        "istanbul",
        "moscow",
        "ines-varga",
        "tomas-eze",
        "lena-strand",
        "ana-poulsen",
    ):
        assert f"entities/{slug}/" in pages, slug
    for index in ("entities/", "entities/people/", "entities/organisations/", "entities/places/"):
        assert index in pages
    putin = text_of(pages["entities/vladimir-putin/"])
    assert "Russian President" in putin and "Also written: Putin" in putin
    assert "Diplomatic Friction Escalates" in putin


def test_entity_pages_list_quotes_by_the_entity(built: tuple[Path, BuildResult]) -> None:
    output, _ = built
    varga = text_of(site_paths(output)["entities/ines-varga/"])
    assert "We wanted the harbour to belong to residents again" in varga
    assert "the library will lend 12,000 books in its first year" in varga


def test_article_page_shows_names_quotes_and_figures(built: tuple[Path, BuildResult]) -> None:
    output, _ = built
    file = site_paths(output)[f"articles/{SEED_SLUG}/"]
    page = parse(file)
    text = text_of(file)
    for expected in (
        "Rustem Umerov , Ukraine’s Defense Minister",
        "Vladimir Medinsky , Russian presidential aide",
        "Reuters",
        "AFP",
        "Istanbul",
        "Moscow",
    ):
        assert expected in text, expected
    assert "outrageous demands" in text and "headline" in text
    assert "a Ukrainian diplomatic source , to Reuters" in text
    assert "1,000 for 1,000 count : prisoner exchange" in text
    assert "../../entities/rustem-umerov/" in page.hrefs
    # headings never skip a level: h1, then h2 (stories, "In this article"), then h3
    assert all(b - a <= 1 for a, b in zip(page.headings, page.headings[1:], strict=False))


def test_article_topics_show_every_kept_topic_with_score_and_terms(built: tuple[Path, BuildResult]) -> None:
    output, _ = built
    html = site_paths(output)[f"articles/{SEED_SLUG}/"].read_text(encoding="utf-8")
    assert re.search(r'Topics: <a href="../../topics/talks/" title="score [\d.]+; matched: [^"]*talks', html)
    assert '<a href="../../topics/ceasefire-demands/"' in html.split("story-2")[0]


def test_topic_pages_are_threads_grouped_by_day(built: tuple[Path, BuildResult]) -> None:
    output, _ = built
    file = site_paths(output)["topics/talks/"]
    html = file.read_text(encoding="utf-8")
    days = re.findall(r'<h2 id="day-([\d-]+)"><time datetime="\1">', html)
    assert days == sorted(days, reverse=True) and len(days) == len(set(days)) >= 2
    # a story with a second topic is in that topic's thread too
    assert "Ukraine-Russia Talks Stall" in text_of(site_paths(output)["topics/ceasefire-demands/"])


def test_cluster_page_and_front_page_show_each_cluster_once(built: tuple[Path, BuildResult]) -> None:
    output, _ = built
    pages = site_paths(output)
    clusters = [p for p in pages if p.startswith("stories/")]
    assert clusters == ["stories/russia-and-ukraine-agree-to-swap-1000-prisoners-each-after-istanbul-talks/"]
    cluster = text_of(pages[clusters[0]])
    assert "3 reports of this story" in cluster
    assert cluster.index("Wire One") < cluster.index("Daily Two") < cluster.index("Gazette Three")
    front = text_of(pages[""])
    assert front.count("Russia and Ukraine agree to swap 1,000 prisoners") >= 1
    assert "Istanbul talks end with prisoner swap deal" not in front
    assert "Ukraine, Russia agree on largest prisoner exchange" not in front
    assert "Also reported by Daily Two, Gazette Three" in front
    member = parse(pages["articles/istanbul-talks-end-with-prisoner-swap-deal-but-no-truce/"])
    assert f"../../{clusters[0]}" in member.hrefs


def test_every_new_page_is_linked_and_in_the_sitemap(built: tuple[Path, BuildResult]) -> None:
    output, _ = built
    linked = linked_paths(output)
    sitemap = (output / "sitemap.xml").read_text(encoding="utf-8")
    new = [p for p in site_paths(output) if p.startswith(("entities/", "stories/"))]
    assert len(new) > 20
    for path in new:
        assert path in linked, f"orphan: {path}"
        assert f"<loc>https://digest.example.org/{path}</loc>" in sitemap, path


def test_same_text_with_other_bytes_is_built_once(sample_site: Path) -> None:
    seed = sample_site / "seeds" / "000_545537a60ee26914.txt"
    text = seed.read_text(encoding="utf-8")
    copy = sample_site / "seeds" / "001_copy.txt"
    copy.write_bytes(("\ufeff" + text.replace("\n", "\r\n").replace("  ", " ")).encode("utf-8"))
    # saved again a day later: another identity (date), so only its text says it is the same article
    (sample_site / "seeds" / "001_copy.yaml").write_text("date: 2025-05-17T08:00:00+03:00\n", encoding="utf-8")
    result = build_site(BuildOptions(site=sample_site, output=sample_site / "output"))
    assert result.articles == 5
    warnings = [w for w in result.diagnostics.warnings if "001_copy.txt" in w]
    assert len(warnings) == 1 and "same text as seeds/000_545537a60ee26914.txt" in warnings[0]


def _checker(tool: str) -> Path:
    path = TOOLS / tool
    if not path.exists() or not (CACHE / "venv").is_dir():
        pytest.skip(f"{path} or its installation is missing: external checker not run")
    return path


@pytest.mark.checkers
def test_new_pages_pass_the_html_checker(built: tuple[Path, BuildResult]) -> None:
    output, _ = built
    result = subprocess.run(
        ["bash", str(_checker("check_html.sh")), str(output)], capture_output=True, text=True, timeout=300, check=False
    )
    assert result.returncode == 0, result.stdout[-4000:] + result.stderr[-2000:]


@pytest.mark.checkers
def test_new_pages_pass_the_link_checker(built: tuple[Path, BuildResult]) -> None:
    output, _ = built
    result = subprocess.run(
        [sys.executable, str(_checker("check_links.py")), str(output)],
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert result.returncode == 0, result.stdout[-4000:] + result.stderr[-2000:]


def test_strict_fails_on_a_same_text_duplicate(sample_site: Path) -> None:
    from broadsheet.build import StrictFailure

    seed = sample_site / "seeds" / "000_545537a60ee26914.txt"
    (sample_site / "seeds" / "001_copy.txt").write_text(seed.read_text(encoding="utf-8") + "\n\n", encoding="utf-8")
    (sample_site / "seeds" / "001_copy.yaml").write_text("date: 2025-05-17T08:00:00+03:00\n", encoding="utf-8")
    with pytest.raises(StrictFailure) as failure:
        build_site(BuildOptions(site=sample_site, output=sample_site / "output", strict=True))
    assert any("same text as" in w for w in failure.value.diagnostics.warnings)
    assert not (sample_site / "output").exists()
