"""The sample site in headless Chromium: clean loads, navigation by clicking, search, accessibility
(axe-core, light and dark), no sideways scrolling on phones, keyboard focus, print, and JavaScript off.

The site is built once per module (with a small page size, so paginated lists exist too) and
served on 127.0.0.1; the ``page`` fixture aborts and records any request to another host.
"""

from __future__ import annotations

import json
import re
import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from broadsheet.build import BuildOptions, build_site
from browser import serve_directory

pytestmark = pytest.mark.browser

REPO = Path(__file__).resolve().parents[1]
AXE = REPO / "node_modules" / "axe-core" / "axe.min.js"
WCAG_AA = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
SEED_HEADLINE = "Russia and Ukraine agree on the largest ever prisoner exchange"


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, Path]]:
    """(base URL, output folder) of the sample site, with two items per list page."""
    root = tmp_path_factory.mktemp("browser") / "site"
    root.mkdir()
    config = (REPO / "site.yaml").read_text(encoding="utf-8")
    (root / "site.yaml").write_text(re.sub(r"(?m)^page_size: \d+$", "page_size: 2", config), encoding="utf-8")
    for name in ("content", "seeds"):
        shutil.copytree(REPO / name, root / name)
    output = build_site(BuildOptions(site=root)).output
    assert (output / "topics" / "talks" / "page" / "2" / "index.html").is_file()
    with serve_directory(output) as base:
        yield base, output


def all_pages(output: Path) -> list[str]:
    """Every HTML page of the built site, as a site path (``articles/x/``, ``404.html``)."""
    pages = []
    for file in sorted(output.rglob("*.html")):
        relative = file.relative_to(output).as_posix()
        if not relative.startswith("pagefind/"):
            pages.append(relative.removesuffix("index.html"))
    return pages


def page_types(output: Path) -> list[str]:
    """One page of each kind: the first page per section and depth (so every template is covered)."""
    chosen: dict[tuple[str, ...], str] = {}
    for path in all_pages(output):
        parts = path.rstrip("/").split("/") if path else []
        kind = (*parts[:1], str(len(parts)), *(["page"] if "page" in parts else []))
        chosen.setdefault(kind, path)
    return sorted(chosen.values())


def test_every_page_loads_without_errors_or_outside_requests(site: tuple[str, Path], page: Any) -> None:
    base, output = site
    pages = all_pages(output)
    assert {"", "search/", "404.html", "topics/", "sources/", "archive/"} <= set(pages)
    for path in pages:
        response = page.goto(base + path)
        assert response is not None and response.status == 200, path
        assert page.locator("main h1").count() == 1, path
    assert page.console_errors == []
    assert page.outside_requests == []
    assert page.dialogs == []


def test_front_page_to_topic_to_article_to_source_by_clicking(site: tuple[str, Path], page: Any) -> None:
    base, _ = site
    page.goto(base)
    page.locator(".topic-group h2 a", has_text="Prisoner swap").click()
    assert page.url == base + "topics/prisoner-swap/"
    assert page.locator("h1").inner_text() == "Prisoner swap"
    page.locator(".story-heading a").first.click()
    assert page.url.startswith(base + "articles/russia-and-ukraine-agree-on-the-largest-ever-prisoner-exchange")
    assert page.locator("h1").inner_text().startswith(SEED_HEADLINE)
    assert page.locator("nav.breadcrumbs a").all_inner_texts() == ["Front page", "Talks"]  # the article's first topic
    page.locator(".article-footer a", has_text="all articles from euromaidanpress.com").click()
    assert page.url == base + "sources/euromaidanpress-com/"
    assert page.locator("h1").inner_text() == "euromaidanpress.com"
    page.locator(".story-heading a", has_text=SEED_HEADLINE).click()
    assert page.locator("h1").inner_text().startswith(SEED_HEADLINE)
    page.locator("nav.breadcrumbs a", has_text="Talks").click()
    assert page.url == base + "topics/talks/"
    page.locator(".site-nav a", has_text="Archive").click()
    assert page.url == base + "archive/"
    page.locator(".site-nav a", has_text="Sources").click()
    assert page.url == base + "sources/"
    page.locator(".site-nav a", has_text="Front page").click()
    assert page.url == base
    assert page.console_errors == [] and page.outside_requests == []


def test_search_for_prisoner_lists_the_seed_article(site: tuple[str, Path], page: Any) -> None:
    base, _ = site
    page.goto(base + "topics/")
    page.locator(".site-search input[name=q]").fill("prisoner")
    page.locator(".site-search input[name=q]").press("Enter")
    page.wait_for_url(base + "search/?q=prisoner")
    page.locator(".search-result").first.wait_for()
    assert page.locator("#search-query").input_value() == "prisoner"
    result = page.locator(".search-result", has_text=SEED_HEADLINE)
    assert result.count() == 1
    assert result.locator(".story-meta").inner_text() == "euromaidanpress.com · 16 May 2025"
    assert "prisoner" in result.locator(".search-excerpt mark").first.inner_text().lower()
    assert re.match(r"\d+ articles? match", page.locator("#search-status").inner_text())
    result.locator("h2 a").click()
    assert page.url.startswith(base + "articles/russia-and-ukraine-agree-on-the-largest-ever-prisoner-exchange")
    assert page.console_errors == [] and page.outside_requests == []


def test_search_page_form_searches_again_and_reports_no_match(site: tuple[str, Path], page: Any) -> None:
    base, _ = site
    page.goto(base + "search/")
    page.locator("#search-query").fill("glacier")
    page.locator(".search-form button").click()
    page.locator(".search-result").first.wait_for()
    assert page.url == base + "search/?q=glacier"
    assert page.locator(".search-result", has_text="Vesna Glacier").count() == 1
    page.locator("#search-query").fill("zzyzxnotaword")
    page.locator(".search-form button").click()
    page.wait_for_function("document.getElementById('search-status').textContent.startsWith('No articles')")
    assert page.locator(".search-result").count() == 0
    assert page.console_errors == []


def run_axe(page: Any) -> list[str]:
    """axe-core's WCAG 2.1 A/AA violations on the current page, one line per rule."""
    if not AXE.is_file():
        pytest.fail(f"{AXE} is missing: run `npm ci --ignore-scripts` (make test does)")
    page.add_script_tag(content=AXE.read_text(encoding="utf-8"))
    violations = page.evaluate(
        "tags => axe.run(document, {runOnly: {type: 'tag', values: tags}}).then(r => r.violations)", WCAG_AA
    )
    return [f"{v['id']} ({v['impact']}): {[n['target'] for n in v['nodes'][:3]]}" for v in violations]


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_axe_finds_no_wcag_aa_violations_on_any_page_type(site: tuple[str, Path], page: Any, scheme: str) -> None:
    base, output = site
    page.emulate_media(color_scheme=scheme)
    kinds = page_types(output)
    assert {"", "articles/", "topics/", "search/", "404.html"} <= {re.sub(r"/.*", "/", k) for k in kinds}
    problems = {}
    for path in [*kinds, "search/?q=prisoner"]:
        page.goto(base + path)
        if path.startswith("search/?"):
            page.locator(".search-result").first.wait_for()
        page.keyboard.press("Tab")  # the skip link shows on focus: check it too
        found = run_axe(page)
        if found:
            problems[path] = found
    assert problems == {}
    assert page.outside_requests == []


def too_wide(page: Any, base: str, paths: list[str], width: int) -> dict[str, int]:
    """The pages of ``paths`` wider than a ``width``-pixel phone screen, with their scroll widths."""
    page.set_viewport_size({"width": width, "height": 740})
    wide = {}
    for path in paths:
        page.goto(base + path)
        if path.startswith("search/?"):
            page.locator(".search-result").first.wait_for()
        scroll, client = page.evaluate("[document.documentElement.scrollWidth, document.documentElement.clientWidth]")
        if scroll > client:
            wide[path] = scroll
    return wide


@pytest.mark.parametrize("width", [375, 320])
def test_no_page_scrolls_sideways_on_a_phone(site: tuple[str, Path], page: Any, width: int) -> None:
    base, output = site
    assert too_wide(page, base, [*all_pages(output), "search/?q=prisoner"], width) == {}


def test_long_words_never_make_a_page_scroll_sideways(tmp_path: Path, page: Any) -> None:
    """A 200-letter title or a 2,000-letter tag in a breadcrumb, menu or list is a flex item that would not shrink."""
    root = tmp_path / "site"
    (root / "content").mkdir(parents=True)
    (root / "site.yaml").write_text(
        "title: Long words\nbase_url: https://example.org/\ntimezone: UTC\nsearch: false\n", encoding="utf-8"
    )
    (root / "content" / "a.md").write_text(
        f"---\ntitle: {'W' * 200}\ndate: 2025-05-16\ntags: [{'T' * 2000}]\nauthor: {'A' * 300}\n"
        f"source: {'S' * 300}\n---\n{'B' * 500} body.\n",
        encoding="utf-8",
    )
    output = build_site(BuildOptions(site=root)).output
    with serve_directory(output) as base:
        assert too_wide(page, base, all_pages(output), 320) == {}


def test_skip_link_and_focus_are_visible(site: tuple[str, Path], page: Any) -> None:
    base, _ = site
    page.goto(base)
    page.keyboard.press("Tab")
    focused = page.evaluate(
        """() => { const e = document.activeElement, r = e.getBoundingClientRect(), s = getComputedStyle(e);
        return {text: e.textContent, left: r.left, top: r.top, outline: s.outlineStyle, width: s.outlineWidth}; }"""
    )
    assert focused["text"] == "Skip to content"
    assert focused["left"] >= 0 and focused["top"] >= 0  # on screen once focused
    assert focused["outline"] == "solid" and focused["width"] == "3px"
    page.keyboard.press("Enter")
    page.wait_for_url(base + "#main", timeout=5000)  # the navigation follows the key press, not with it
    assert page.url == base + "#main"
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.closest('main') !== null")


def test_print_stylesheet_hides_navigation_and_shows_link_addresses(site: tuple[str, Path], page: Any) -> None:
    base, output = site
    article = next(p for p in all_pages(output) if p.startswith("articles/russia"))
    page.goto(base + article)
    page.emulate_media(media="print")
    hidden = page.evaluate(
        "['.site-nav', '.site-search', '.breadcrumbs', '.skip-link']"
        ".map(s => getComputedStyle(document.querySelector(s)).display)"
    )
    assert hidden == ["none"] * 4
    after = page.evaluate("getComputedStyle(document.querySelector('.source-link a'), '::after').content")
    assert "euromaidanpress.com" in after
    assert page.evaluate("getComputedStyle(document.body).backgroundColor") == "rgb(255, 255, 255)"


def test_dark_mode_follows_the_system_setting(site: tuple[str, Path], page: Any) -> None:
    base, _ = site
    colours = {}
    for scheme in ("light", "dark"):
        page.emulate_media(color_scheme=scheme)
        page.goto(base)
        colours[scheme] = page.evaluate("getComputedStyle(document.body).backgroundColor")
    assert colours == {"light": "rgb(253, 252, 249)", "dark": "rgb(22, 22, 26)"}


def test_every_page_is_readable_with_javascript_off(site: tuple[str, Path], chromium: Any) -> None:
    base, output = site
    context = chromium.new_context(java_script_enabled=False)
    try:
        page = context.new_page()
        for path in page_types(output):
            page.goto(base + path)
            assert page.locator("main h1").is_visible(), path
            assert len(page.locator("main").inner_text()) > 20, path
        page.goto(base + "search/?q=prisoner")
        notice = page.locator("main .notice")
        assert notice.is_visible()
        assert "Search needs JavaScript" in notice.inner_text()
        notice.locator("a", has_text="topics").click()
        assert page.url == base + "topics/"
        page.goto(base + "articles/")  # not a page: the server's own 404
        page.goto(base)
        page.locator(".site-search input[name=q]").fill("glacier")
        page.locator(".site-search button").click()  # a plain GET form: works without JavaScript
        assert page.url == base + "search/?q=glacier"
    finally:
        context.close()


def test_search_results_are_built_from_text_not_markup(site: tuple[str, Path], page: Any) -> None:
    """A query is shown as text: it never becomes markup on the page."""
    base, _ = site
    query = '<img src=x onerror="alert(1)">prisoner'
    page.goto(base + "search/?q=" + json.dumps(query)[1:-1].replace("#", "%23"))
    page.wait_for_function("document.getElementById('search-status').textContent !== 'Searching…'")
    assert page.locator("main img").count() == 0
    assert page.dialogs == []
