"""Edits to articles' text alone: only the page sets that show the text are fingerprinted (text_edits.py).

Each rebuild here is compared with a clean build of the same input: the
shortcut must never keep a page that would come out otherwise.
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path
from typing import Any

import pytest

from broadsheet import assemble, render
from broadsheet import build as build_module
from broadsheet.assemble import PageSet, SiteIndex, feeds, texts_read
from broadsheet.build import BuildOptions, BuildResult, build_site
from broadsheet.dependencies import Describer
from broadsheet.model import Article, Story
from broadsheet.output import Publisher
from broadsheet.text_edits import TextState, text_only_sets

LIBRARY = "content/2025-05-14-floating-library.md"
LIBRARY_PAGE = "articles/sample-port-alder-opens-a-floating-library-in-its-old-ferry-terminal/index.html"
TOMAS_EZE = "entities/tomas-eze/index.html"  # the librarian quoted in the library article


def tree(folder: Path) -> dict[str, bytes]:
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


def replace_in(site: Path, relpath: str, old: str, new: str) -> None:
    path = site / relpath
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new), encoding="utf-8")


def make_entry_free(site: Path) -> None:
    """The text-only edit most tests make: a sentence added to the library article's text."""
    replace_in(site, LIBRARY, "at the terminal gates.", "at the terminal gates. Entry is free.")


def build(site: Path, output: Path) -> BuildResult:
    return build_site(BuildOptions(site=site, output=output, jobs=1))


def assert_like_a_clean_build(site: Path, output: Path, scratch: Path) -> None:
    clean_site = scratch / "clean-site"
    shutil.rmtree(clean_site, ignore_errors=True)
    shutil.copytree(site, clean_site, ignore=shutil.ignore_patterns(".cache", "output", ".output*"))
    clean = build(clean_site, scratch / "clean-output").output
    assert tree(output) == tree(clean)
    shutil.rmtree(clean)


@pytest.fixture
def counted_sets(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The names of the page sets each build fingerprints."""
    names: list[str] = []
    fingerprint = build_module.set_fingerprint

    def counting(page_set: PageSet, *args: Any) -> str:
        names.append(page_set.name)
        return fingerprint(page_set, *args)

    monkeypatch.setattr(build_module, "set_fingerprint", counting)
    return names


def test_a_text_only_edit_fingerprints_only_the_sets_showing_that_text(
    sample_site: Path, tmp_path: Path, counted_sets: list[str]
) -> None:
    output = tmp_path / "out"
    first = build(sample_site, output)
    assert not first.text_only  # nothing to compare with: every set is fingerprinted
    every_set = list(counted_sets)
    all_sets: list[PageSet] = first.retained[2]  # type: ignore[index]
    counted_sets.clear()
    make_entry_free(sample_site)
    second = build(sample_site, output)
    assert second.text_only
    showing = sorted(s.name for s in all_sets if any(a.provenance.path == LIBRARY for a in texts_read(s)))
    assert sorted(counted_sets) == showing and len(showing) < len(every_set) / 10
    # The other sets were not even made: they stand in by name, in the order a full build makes them.
    sets: list[PageSet | str] = second.retained[2]  # type: ignore[index]
    assert sorted(s.name for s in sets if not isinstance(s, str)) == showing
    assert [s if isinstance(s, str) else s.name for s in sets] == [s.name for s in all_sets]
    assert "Entry is free." in (output / LIBRARY_PAGE).read_text(encoding="utf-8")
    assert_like_a_clean_build(sample_site, output, tmp_path)

    counted_sets.clear()  # and undone: the sets are the same again, the page back as it was
    replace_in(sample_site, LIBRARY, " Entry is free.", "")
    third = build(sample_site, output)
    assert third.text_only and sorted(counted_sets) == showing
    assert "Entry is free." not in (output / LIBRARY_PAGE).read_text(encoding="utf-8")
    assert_like_a_clean_build(sample_site, output, tmp_path)


def test_a_quotes_new_words_reach_its_speakers_page(sample_site: Path, tmp_path: Path) -> None:
    output = tmp_path / "out"
    build(sample_site, output)
    assert "diesel and salt" in (output / TOMAS_EZE).read_text(encoding="utf-8")
    replace_in(sample_site, LIBRARY, "diesel and salt", "diesel and tar")
    assert build(sample_site, output).text_only
    assert "diesel and tar" in (output / TOMAS_EZE).read_text(encoding="utf-8")
    assert_like_a_clean_build(sample_site, output, tmp_path)


def test_edits_beyond_the_text_fingerprint_every_set(
    sample_site: Path, tmp_path: Path, counted_sets: list[str]
) -> None:
    output = tmp_path / "out"
    build(sample_site, output)
    for old, new in [
        ("open its **floating library**", "open its **floating book barge**"),  # the lead: the summary changes
        ("author: Mira Okafor", "author: Mira Okafor-Lind"),  # the byline: every list shows it (and a new author)
        ("date: 2025-05-14 09:30:00 +0300", "date: 2025-05-14 06:30:00 +0000"),  # the same instant, shown otherwise
    ]:
        counted_sets.clear()
        replace_in(sample_site, LIBRARY, old, new)
        result = build(sample_site, output)
        index: SiteIndex = result.retained[1]  # type: ignore[index]
        every_set = [page_set.name for page_set in assemble.page_sets(index)]
        assert not result.text_only and counted_sets == every_set, new
        assert_like_a_clean_build(sample_site, output, tmp_path)


def test_an_edited_sidecar_is_more_than_text(sample_site: Path, tmp_path: Path, counted_sets: list[str]) -> None:
    # The input's own bytes are as they were: what the record shows changed all the same.
    output = tmp_path / "out"
    build(sample_site, output)
    every_set = len(counted_sets)
    counted_sets.clear()
    replace_in(sample_site, "seeds/000_545537a60ee26914.yaml", "T19:00:00+03:00", "T18:00:00+03:00")
    assert not build(sample_site, output).text_only and len(counted_sets) == every_set
    assert_like_a_clean_build(sample_site, output, tmp_path)


def test_each_output_folder_compares_with_its_own_last_build(sample_site: Path, tmp_path: Path) -> None:
    # One content cache, two output folders: what changed since one folder's build is not what changed since the other's.
    first, second = tmp_path / "first", tmp_path / "second"
    build(sample_site, first)
    make_entry_free(sample_site)
    build(sample_site, second)
    replace_in(sample_site, LIBRARY, "Entry is free.", "Entry costs one coin.")
    build(sample_site, second)
    assert build(sample_site, first).text_only
    assert_like_a_clean_build(sample_site, first, tmp_path)


def test_a_site_published_by_a_build_that_could_not_save_its_text_state_is_fingerprinted_in_full(
    sample_site: Path, tmp_path: Path
) -> None:
    # As if the last build was killed between publishing the site and saving what its articles' texts were.
    output = tmp_path / "out"
    build(sample_site, output)
    make_entry_free(sample_site)
    assert build(sample_site, output).text_only
    (state,) = (sample_site / ".cache").glob("texts-*.pickle")
    saved = state.read_bytes()  # the texts as this site has them
    replace_in(sample_site, LIBRARY, "Entry is free.", "Entry costs one coin.")
    assert build(sample_site, output).text_only
    state.write_bytes(saved)  # the state of the build before, beside the site of the last one
    replace_in(sample_site, LIBRARY, "Entry costs one coin.", "Entry is free.")  # the texts of that state again
    assert not build(sample_site, output).text_only
    assert "Entry is free." in (output / LIBRARY_PAGE).read_text(encoding="utf-8")
    assert_like_a_clean_build(sample_site, output, tmp_path)


def test_a_build_that_published_while_this_one_was_loading_is_seen(
    sample_site: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # The state is compared with the live site under the output lock: here a build of a copy of the site (a
    # cache of its own: one site builds once at a time) publishes the seed at another time into the same
    # folder, between this build's reading its input (a text edit) and its taking the output lock.
    from broadsheet.output import Publisher

    output = tmp_path / "out"
    build(sample_site, output)
    make_entry_free(sample_site)
    other_site = tmp_path / "other-site"
    shutil.copytree(sample_site, other_site, ignore=shutil.ignore_patterns(".cache"))
    replace_in(other_site, "seeds/000_545537a60ee26914.yaml", "T19:00:00+03:00", "T18:00:00+03:00")
    meanwhile: list[BuildResult] = []

    class PublishedMeanwhile(Publisher):
        def __enter__(self) -> Publisher:
            if not meanwhile:
                meanwhile.append(BuildResult(output))  # the build below takes this path too
                meanwhile.append(build(other_site, output))
            return super().__enter__()

    monkeypatch.setattr(build_module, "Publisher", PublishedMeanwhile)
    assert not build(sample_site, output).text_only
    assert meanwhile[-1].rendered > 0  # the other build did publish in between
    assert_like_a_clean_build(sample_site, output, tmp_path)


def test_a_second_build_of_the_same_site_at_once_is_refused(sample_site: Path, tmp_path: Path) -> None:
    """Two builds of one site share its content cache: the second stops before reading anything."""
    from broadsheet.errors import BroadsheetError
    from broadsheet.output import lock_site

    build(sample_site, tmp_path / "first")
    holder = lock_site(sample_site / ".cache")  # as a running build of another output folder holds it
    try:
        with pytest.raises(BroadsheetError, match=r"another build of this site is running"):
            build(sample_site, tmp_path / "second")
    finally:
        os.close(holder)
    assert not (tmp_path / "second").exists()
    assert build(sample_site, tmp_path / "second").articles == 5  # the lock is free again


def test_texts_read_names_every_article_whose_text_a_page_is_rendered_with(
    sample_site: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The sets a text-only rebuild leaves alone must read no text: every read is watched through a clean build."""
    rendering: list[str] = []  # the page being rendered
    read: dict[str, set[str]] = {}  # page path -> paths of the articles whose text it read
    page_context = render.page_context

    def watched_context(page: assemble.Page, index: SiteIndex) -> dict[str, Any]:
        rendering.append(page.path)
        try:
            return page_context(page, index)
        finally:
            rendering.pop()

    def note(articles: Iterator[Article]) -> None:
        if rendering:  # a feed's entry reads text too, outside any page set
            read.setdefault(rendering[-1], set()).update(a.provenance.path for a in articles)

    text_of, quotes_said = SiteIndex.text_of, SiteIndex.quotes_said

    def watched_text_of(self: SiteIndex, article: Article, stories: tuple[Story, ...]) -> Any:
        note(iter([article, *(story.article for story in stories)]))
        return text_of(self, article, stories)

    def watched_quotes_said(self: SiteIndex, quoted: Any, places: Any) -> Any:
        note(story.article for _, story in quoted)
        return quotes_said(self, quoted, places)

    monkeypatch.setattr(render, "page_context", watched_context)
    monkeypatch.setattr(SiteIndex, "text_of", watched_text_of)
    monkeypatch.setattr(SiteIndex, "quotes_said", watched_quotes_said)
    result = build(sample_site, tmp_path / "out")
    sets: list[PageSet] = result.retained[2]  # type: ignore[index]
    set_of = {page.path: page_set for page_set in sets for page in page_set.make()}
    assert len(read) > result.articles  # every article page, and entity pages with quotes
    assert any(path.startswith("entities/") for path in read)
    for path, articles in read.items():
        assert articles <= {a.provenance.path for a in texts_read(set_of[path])}, path


def test_a_text_only_rebuild_with_render_helpers_equals_a_serial_clean_build(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # The few pages a text edit renders go to forked helpers here, as a large batch's would.
    monkeypatch.setattr("broadsheet.process.PARALLEL_THRESHOLD", 1)
    monkeypatch.setattr("broadsheet.process.FINGERPRINT_PARALLEL_THRESHOLD", 0)
    site = tmp_path / "site"
    (site / "content").mkdir(parents=True)
    (site / "site.yaml").write_text("title: T\nbase_url: https://example.org/\nsearch: false\n", encoding="utf-8")
    lead = (
        "The council of Port Alder met on Tuesday to weigh the harbour budget, the ferry timetable and the tram fares. "
    )
    for n in range(12):
        (site / "content" / f"a{n}.md").write_text(
            f"---\ntitle: Council meeting number {n}\ndate: 2025-01-{n + 1:02d}\n---\n\n{lead * 3}\n", encoding="utf-8"
        )
    output = tmp_path / "incremental"
    build_site(BuildOptions(site=site, output=output, jobs=2))
    with (site / "content" / "a7.md").open("a", encoding="utf-8") as article:
        article.write("\nA second paragraph, added later.\n")
    rebuilt = build_site(BuildOptions(site=site, output=output, jobs=2))
    assert rebuilt.text_only and 0 < rebuilt.rendered < 5
    assert "added later" in (output / "articles" / "council-meeting-number-7" / "index.html").read_text("utf-8")
    assert_like_a_clean_build(site, output, tmp_path)


def test_the_sets_a_text_only_rebuild_makes_are_those_reading_the_text(sample_site: Path, tmp_path: Path) -> None:
    """text_only_sets finds, for each article, exactly the sets texts_read says read its text: no set is missed."""
    result = build(sample_site, tmp_path / "out")
    index: SiteIndex = result.retained[1]  # type: ignore[index]
    all_sets: list[PageSet] = result.retained[2]  # type: ignore[index]
    before = TextState("", "", (), (), "", tuple(s.name for s in all_sets))
    quoted = 0
    for article in index.articles:
        path = article.provenance.path
        reading = [s.name for s in all_sets if any(a.provenance.path == path for a in texts_read(s))]
        sets = text_only_sets(index, before, frozenset({path}), set(before.sets))
        assert sets is not None
        assert sorted(s.name for s in sets if not isinstance(s, str)) == sorted(reading), path
        quoted += len(reading) > 1
    assert quoted  # an article quoted on an entity's page is among them
    # Names saved by another kind of build, none at all, or not those the live site records: every set is made.
    library = frozenset({LIBRARY})
    assert text_only_sets(index, replace(before, sets=()), library, set()) is None
    assert text_only_sets(index, replace(before, sets=before.sets[1:]), library, set(before.sets)) is None
    assert text_only_sets(index, before, library, set(before.sets[1:])) is None
    assert text_only_sets(index, replace(before, sets=before.sets + before.sets[:1]), library, set(before.sets)) is None
    without_library = tuple(name for name in before.sets if "floating-library" not in name)
    assert text_only_sets(index, replace(before, sets=without_library), library, set(without_library)) is None


def test_a_set_standing_in_by_name_is_made_when_its_files_cannot_be_kept(
    sample_site: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    output = tmp_path / "out"
    build(sample_site, output)
    keep_sets = Publisher.keep_sets
    lost = "topics/"  # as if the record of the topics index had lost its pages

    def losing(self: Publisher, wanted: Any) -> Any:
        records = keep_sets(self, [(name, "lost" if name == lost else print_) for name, print_ in wanted])
        assert lost in [name for (name, _), record in zip(wanted, records, strict=True) if record is None]
        return records

    monkeypatch.setattr(Publisher, "keep_sets", losing)
    make_entry_free(sample_site)
    rebuilt = build(sample_site, output)
    assert rebuilt.text_only
    sets: list[PageSet | str] = rebuilt.retained[2]  # type: ignore[index]
    assert lost in sets  # given by name: made only when it could not be kept
    assert "Entry is free." in (output / LIBRARY_PAGE).read_text(encoding="utf-8")
    monkeypatch.undo()
    assert_like_a_clean_build(sample_site, output, tmp_path)


def test_a_text_only_edit_fingerprints_only_the_feeds_carrying_that_text(
    sample_site: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    output = tmp_path / "out"
    build(sample_site, output)
    described: list[str] = []  # the feeds fingerprinted
    once = Describer.once

    def watched(self: Describer, value: Any) -> str:
        if isinstance(value, tuple) and len(value) == 7 and isinstance(value[0], str):  # write_feeds
            described.append(value[0])
        return once(self, value)

    monkeypatch.setattr(Describer, "once", watched)
    make_entry_free(sample_site)
    result = build(sample_site, output)
    assert result.text_only
    index: SiteIndex = result.retained[1]  # type: ignore[index]
    every_feed = list(feeds(index))
    carrying = [f.path for f in every_feed if LIBRARY in {a.provenance.path for a in f.items(index.config.feed.items)}]
    assert sorted(described) == sorted(carrying) and 0 < len(carrying) < len(every_feed)
    assert "Entry is free." in (output / "feed.xml").read_text(encoding="utf-8")
    assert_like_a_clean_build(sample_site, output, tmp_path)
