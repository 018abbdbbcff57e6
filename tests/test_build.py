"""A full build of the sample site in a temporary folder: pages, links, topics, feed."""

from __future__ import annotations

import os
import re
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import urljoin, urlsplit

import feedparser
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from broadsheet.build import BuildOptions, StrictFailure, build_site
from broadsheet.cli import main
from broadsheet.errors import BroadsheetError

SEED_SLUG = "russia-and-ukraine-agree-on-the-largest-ever-prisoner-exchange-but-peace"


class Links(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.hrefs: list[str] = []
        self.ids: set[str] = set()

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = dict(attrs)
        for key in ("href", "src"):
            if values.get(key):
                self.hrefs.append(str(values[key]))
        if values.get("id"):
            self.ids.add(str(values["id"]))


def parse(path: Path) -> Links:
    links = Links()
    links.feed(path.read_text(encoding="utf-8"))
    return links


@pytest.fixture
def built(sample_site: Path) -> Path:
    result = build_site(BuildOptions(site=sample_site))
    assert result.articles == 5
    assert result.stories == 14
    return result.output


def test_expected_pages_exist(built: Path) -> None:
    for page in [
        "index.html",
        f"articles/{SEED_SLUG}/index.html",
        "topics/index.html",
        "topics/talks/index.html",
        "topics/prisoner-swap/index.html",
        "404.html",
        "feed.xml",
        "sitemap.xml",
        "static/style.css",
    ]:
        assert (built / page).is_file(), page


def test_every_internal_link_resolves(built: Path) -> None:
    pages = sorted(built.rglob("*.html"))
    assert len(pages) >= 14
    for page in pages:
        if page.name == "404.html":
            continue  # served at any depth: links from the site root
        base = "http://site/" + page.relative_to(built).as_posix()
        for href in parse(page).hrefs:
            url = urljoin(base, href)
            if not url.startswith("http://site/"):
                continue
            parts = urlsplit(url)
            target = built / parts.path.lstrip("/")
            if parts.path.endswith("/"):
                target = target / "index.html"
            assert target.is_file(), f"{page}: broken link {href}"
            if parts.fragment:
                assert parts.fragment in parse(target).ids, f"{page}: missing #{parts.fragment}"


def test_front_page_groups_stories_by_topic(built: Path) -> None:
    html = (built / "index.html").read_text(encoding="utf-8")
    headings = re.findall(r'<h2 id="topic-([\w-]+)">', html)
    assert headings[:4] == ["talks", "prisoner-swap", "ceasefire-demands", "diplomatic-friction"]
    assert "Prisoner Swap Agreement Reached" in html
    assert "euromaidanpress.com" in html


def test_article_page(built: Path) -> None:
    html = (built / f"articles/{SEED_SLUG}/index.html").read_text(encoding="utf-8")
    assert re.search(r"<h1[^>]*>Russia and Ukraine agree on the largest ever prisoner exchange", html)
    assert "AI-generated" in html
    assert [m for m in re.findall(r"<h2 id=\"story-\d-heading\">([^<]+)</h2>", html)] == [
        "Ukraine-Russia Talks Stall Over Demands for Ceasefire",
        "Prisoner Swap Agreement Reached",
        "Ceasefire Proposal Delayed",
        "Diplomatic Friction Escalates",
    ]
    assert '<a href="https://euromaidanpress.com/"' in html
    assert "Share This Article" not in html and "Read More @" not in html
    assert re.search(r'<time datetime="2025-05-16T19:00:00\+03:00"[^>]*>16 May 2025</time>', html)


def test_seed_sections_fall_under_the_four_topics(built: Path) -> None:
    expected = {
        "talks": "Ukraine-Russia Talks Stall Over Demands for Ceasefire",
        "prisoner-swap": "Prisoner Swap Agreement Reached",
        "ceasefire-demands": "Ceasefire Proposal Delayed",
        "diplomatic-friction": "Diplomatic Friction Escalates",
    }
    for slug, heading in expected.items():
        assert heading in (built / "topics" / slug / "index.html").read_text(encoding="utf-8")


def test_feed_parses(built: Path) -> None:
    feed = feedparser.parse((built / "feed.xml").read_bytes())
    assert not feed.bozo, feed.get("bozo_exception")
    assert len(feed.entries) == 5
    assert len({e.id for e in feed.entries}) == 5
    dates = [e.published_parsed for e in feed.entries]
    assert dates == sorted(dates, reverse=True)
    seed = next(e for e in feed.entries if e.title.startswith("Russia and Ukraine"))
    assert seed.published == "Fri, 16 May 2025 19:00:00 +0300"
    topics = {"talks", "prisoner swap", "ceasefire demands", "diplomatic friction"}
    assert {t.term for t in seed.tags} == topics | {"Ukraine", "Russia", "Istanbul talks"}
    assert feed.feed.updated == "Sat, 17 May 2025 11:00:00 +0100"  # newest article, not the build time
    assert 'rel="self"' in (built / "feed.xml").read_text(encoding="utf-8")


def test_two_builds_are_byte_identical(sample_site: Path, tmp_path: Path) -> None:
    first = build_site(BuildOptions(site=sample_site, output=tmp_path / "one")).output
    second = build_site(BuildOptions(site=sample_site, output=tmp_path / "two")).output
    files = sorted(p.relative_to(first) for p in first.rglob("*") if p.is_file())
    assert files == sorted(p.relative_to(second) for p in second.rglob("*") if p.is_file())
    for file in files:
        assert (first / file).read_bytes() == (second / file).read_bytes(), file


def test_site_template_overrides_builtin(sample_site: Path) -> None:
    (sample_site / "templates" / "404.html").write_text(
        "{% extends 'base.html' %}{% block content %}Gone!{% endblock %}"
    )
    output = build_site(BuildOptions(site=sample_site)).output
    assert "Gone!" in (output / "404.html").read_text(encoding="utf-8")


def test_site_templates_link_with_url_as_a_function_or_a_filter(sample_site: Path) -> None:
    (sample_site / "templates" / "404.html").write_text(
        "{% extends 'base.html' %}{% block content %}"
        "<a id='f' href=\"{{ url('topics/') }}\">a</a><a id='g' href=\"{{ 'topics/' | url }}\">b</a>"
        "{% endblock %}"
    )
    output = build_site(BuildOptions(site=sample_site)).output
    page = (output / "404.html").read_text(encoding="utf-8")
    links = re.findall(r"id='([fg])' href=\"([^\"]*)\"", page)
    assert links == [("f", "/topics/"), ("g", "/topics/")]  # the 404 page links from the site root
    article = next((output / "articles").glob("*/index.html")).read_text(encoding="utf-8")
    assert 'href="../../static/style.css"' in article  # and an article page from its own folder


def test_bad_inputs_are_reported_and_the_rest_is_built(sample_site: Path, capsys: pytest.CaptureFixture[str]) -> None:
    content = sample_site / "content"
    (content / "empty.md").write_bytes(b"")
    (content / "latin.md").write_bytes(b"---\ntitle: Caf\xe9\ndate: 2025-01-01\n---\nBody\n")
    (content / "broken.md").write_text("---\ntitle: [oops\n---\nBody\n")
    (content / "noheadline.md").write_text("---\ndate: 2025-01-01\n---\nBody only.\n")
    # Three inputs skipped: the rest is built and published, and the exit status lets a script notice.
    assert main(["build", "--site", str(sample_site)]) == 1
    err = capsys.readouterr().err
    assert "error: content/empty.md: empty file" in err
    assert "warning: content/latin.md:2: not valid UTF-8" in err
    assert "error: content/broken.md:2: invalid YAML front matter" in err
    assert "error: content/noheadline.md:1: no headline" in err
    assert "Traceback" not in err
    assert (sample_site / "output" / "index.html").is_file()
    assert re.search(
        r"<h1[^>]*>Café</h1>", (sample_site / "output" / "articles" / "cafe" / "index.html").read_text(encoding="utf-8")
    )


def test_strict_fails_and_keeps_previous_output(sample_site: Path, capsys: pytest.CaptureFixture[str]) -> None:
    build_site(BuildOptions(site=sample_site))
    before = (sample_site / "output" / "index.html").read_bytes()
    (sample_site / "content" / "empty.md").write_bytes(b"")
    with pytest.raises(StrictFailure):
        build_site(BuildOptions(site=sample_site, strict=True))
    assert main(["build", "--site", str(sample_site), "--strict"]) == 1
    assert "error: --strict: 1 problem(s)" in capsys.readouterr().err
    assert (sample_site / "output" / "index.html").read_bytes() == before


def test_strict_fails_on_what_is_found_only_while_writing(sample_site: Path, tmp_path: Path) -> None:
    # A static folder linked out of the site is skipped with a warning when the files are copied, late in a build.
    build_site(BuildOptions(site=sample_site))
    before = (sample_site / "output" / "index.html").read_bytes()
    (tmp_path / "elsewhere").mkdir()
    (tmp_path / "elsewhere" / "style.css").write_text("body { color: red }")
    (sample_site / "templates" / "static").symlink_to(tmp_path / "elsewhere")
    (sample_site / "content" / "new.md").write_text("---\ntitle: A new one\ndate: 2025-06-01\n---\n\nNew text.\n")
    with pytest.raises(StrictFailure) as failed:
        build_site(BuildOptions(site=sample_site, strict=True))
    assert any("symbolic link to a folder outside the site" in w for w in failed.value.diagnostics.warnings)
    assert (sample_site / "output" / "index.html").read_bytes() == before  # nothing published
    assert not (sample_site / "output" / "articles" / "a-new-one").exists()


def test_refuses_to_replace_a_folder_it_did_not_write(sample_site: Path) -> None:
    precious = sample_site / "mine"
    precious.mkdir()
    (precious / "notes.txt").write_text("keep me")
    with pytest.raises(BroadsheetError, match="not written by broadsheet"):
        build_site(BuildOptions(site=sample_site, output=precious))
    with pytest.raises(BroadsheetError, match="your content"):
        build_site(BuildOptions(site=sample_site, output=sample_site))
    assert (precious / "notes.txt").read_text() == "keep me"


def test_duplicate_slugs_get_stable_suffixes(sample_site: Path) -> None:
    for name in ("a", "b"):
        (sample_site / "content" / f"{name}.md").write_text(
            f"---\ntitle: Same title\ndate: 2025-01-0{ord(name) - 96}\n---\n{name}\n"
        )
    output = build_site(BuildOptions(site=sample_site)).output
    slugs = sorted(p.name for p in (output / "articles").iterdir() if p.name.startswith("same-title"))
    assert len(slugs) == 2 and slugs[0] == "same-title" and re.fullmatch(r"same-title-[0-9a-f]{8}", slugs[1])


def test_cli_errors_are_one_line(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (tmp_path / "site.yaml").write_text("title: T\nbase_url: https://example.org/\ntitel: typo\n")
    assert main(["build", "--site", str(tmp_path)]) == 1
    err = capsys.readouterr().err.strip()
    assert err.count("\n") == 0
    assert err.startswith("error: site.yaml:3: unknown key 'titel' (known keys: ")


def test_a_failed_build_still_reports_the_files_it_skipped(
    sample_site: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (sample_site / "content" / "empty.md").write_bytes(b"")
    (sample_site / "templates" / "topic.html").write_text(
        "{% extends 'base.html' %}{% block content %}{{ nope.x }}{% endblock %}"
    )
    assert main(["build", "--site", str(sample_site)]) == 1
    err = capsys.readouterr().err
    assert "error: content/empty.md: empty file" in err
    assert "'nope' is undefined" in err and "topic.html" in err
    assert not (sample_site / "output").exists()


def test_a_build_leaves_nothing_frozen_for_the_next_build_in_the_same_process(sample_site: Path) -> None:
    # Builds freeze what they keep out of garbage collection; `serve` builds again and again in one
    # process, so each build must hand its objects back to the collector when it ends, even when it fails.
    import gc

    build_site(BuildOptions(site=sample_site, jobs=2))
    assert gc.get_freeze_count() == 0 and gc.isenabled()
    (sample_site / "seeds" / "undated.txt").write_text("Undated headline\n\nSome text.\n", encoding="utf-8")
    with pytest.raises(BroadsheetError, match="--strict"):  # stops after loading, with collection off
        build_site(BuildOptions(site=sample_site, strict=True))
    assert gc.get_freeze_count() == 0 and gc.isenabled()
    (sample_site / "site.yaml").write_text("title: [unclosed\n", encoding="utf-8")
    with pytest.raises(BroadsheetError):
        build_site(BuildOptions(site=sample_site))
    assert gc.get_freeze_count() == 0 and gc.isenabled()


def test_the_program_flushes_its_output_and_exits_with_mains_status(sample_site: Path) -> None:
    # `broadsheet` leaves through os._exit (no heap teardown): piped output must still arrive whole.
    import os
    import subprocess
    import sys

    command = [sys.executable, "-m", "broadsheet", "build", "--site", str(sample_site)]
    env = {k: v for k, v in os.environ.items() if k != "PYTHONUNBUFFERED"}  # piped stdout is block-buffered
    done = subprocess.run(command, capture_output=True, text=True, timeout=120, check=False, env=env)
    assert done.returncode == 0, done.stderr
    assert done.stdout.startswith("built ") and done.stdout.endswith("\n")
    (sample_site / "site.yaml").write_text("title: [unclosed\n", encoding="utf-8")
    failed = subprocess.run(command, capture_output=True, text=True, timeout=120, check=False, env=env)
    assert failed.returncode == 1
    assert failed.stderr.startswith("error: ") and failed.stderr.count("\n") == 1 and "site.yaml" in failed.stderr


def test_the_build_command_hands_its_records_to_the_caller_instead_of_freeing_them(sample_site: Path) -> None:
    # The program exits without freeing a large site's records; a caller that keeps running frees them itself.
    import weakref

    from broadsheet.build import BuildResult
    from broadsheet.cli import main
    from broadsheet.output import Publisher

    kept: list[object] = []
    assert main(["build", "--site", str(sample_site)], keep=kept) == 0
    (result,) = kept
    assert isinstance(result, BuildResult) and result.articles == 5
    cache, index, sets, describe, out, *lists = result.retained  # type: ignore[misc]
    assert len(index.articles) == 5 and sets and cache.entries == {}  # the entries went once saved
    assert isinstance(out, Publisher) and len(out.state.sets) == len(sets)  # the output state too
    probes = [weakref.ref(index), weakref.ref(out.state)]
    del cache, index, sets, describe, out, lists, result
    kept.clear()
    assert [probe() for probe in probes] == [None, None]  # nothing else held on to them


def test_front_groups_stop_early_with_the_stories_a_full_walk_picks() -> None:
    import random
    from datetime import UTC, datetime, timedelta
    from types import SimpleNamespace
    from typing import Any, cast

    from broadsheet.assemble import SiteIndex, front_groups, newest_first

    rng = random.Random(3)
    topics = [SimpleNamespace(slug=f"t{n}") for n in range(5)]
    weights = [40, 20, 10, 5, 0.2]  # the last is rare: some subsets never fill it, and are walked whole
    when = datetime(2025, 1, 1, tzinfo=UTC)
    articles, stories = [], {}
    for n in range(300):
        article = SimpleNamespace(slug=f"a{n}", published=when + timedelta(hours=rng.randrange(5000)))
        articles.append(article)
        picked = rng.choices(topics, weights, k=rng.randint(1, 4))
        stories[article.slug] = tuple(SimpleNamespace(topic=t, n=(n, i)) for i, t in enumerate(picked))
    index = cast(SiteIndex, SimpleNamespace(topics=topics, stories=stories))

    def walked(chosen: list[Any], per_topic: int) -> list[tuple[Any, tuple[Any, ...]]]:
        by_topic: dict[str, list[Any]] = {}
        for article in sorted(chosen, key=newest_first):
            seen: set[str] = set()
            for story in stories[article.slug]:
                if story.topic.slug not in seen:
                    seen.add(story.topic.slug)
                    by_topic.setdefault(story.topic.slug, []).append(story)
        return [(t, tuple(by_topic[t.slug][:per_topic])) for t in topics if by_topic.get(t.slug)]

    for size in (0, 1, 10, 300):
        chosen = rng.sample(articles, size)
        for per_topic in (1, 3, 8):
            assert front_groups(index, cast(Any, chosen), per_topic) == walked(chosen, per_topic), (size, per_topic)


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet=st.sampled_from(".aZé-_ MDmd"), max_size=12))
def test_an_input_name_has_the_extension_os_path_splitext_gives_it(name: str) -> None:
    from broadsheet.loaders import _suffix

    assert _suffix(name) == os.path.splitext(name)[1].lower()


def test_inputs_are_found_whatever_the_case_of_their_extension_and_dots_in_their_name(tmp_path: Path) -> None:
    from broadsheet.config import load_config
    from broadsheet.errors import Diagnostics
    from broadsheet.loaders import inputs

    (tmp_path / "site.yaml").write_text("title: Names\nbase_url: https://example.org/\n", encoding="utf-8")
    content = tmp_path / "content"
    content.mkdir()
    for name in ("Upper.MD", "two.dots.md", "plain.txt", "notes.text", "feed.xml", "image.png", "last.", ".hide.md"):
        (content / name).write_text("x", encoding="utf-8")
    (content / "two.dots.yaml").write_text("title: x\n", encoding="utf-8")
    sidecars: set[str] = set()
    found = inputs(load_config(tmp_path), Diagnostics(), sidecars)
    assert list(found) == ["content/Upper.MD", "content/notes.text", "content/plain.txt", "content/two.dots.md"]
    assert "content/two.dots.md" in sidecars and "content/plain.txt" not in sidecars


def test_a_negative_jobs_count_is_refused(sample_site: Path, capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as stopped:
        main(["build", "--site", str(sample_site), "--jobs", "-1"])
    assert stopped.value.code == 2
    assert "argument --jobs: must be 0 (one per core) or more, not -1" in capsys.readouterr().err
    assert not (sample_site / "output").exists()
