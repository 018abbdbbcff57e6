"""An incremental rebuild gives exactly the site a clean build gives, after every kind of change."""

from __future__ import annotations

import shutil
from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import Any

import pytest

from broadsheet import build as build_module
from broadsheet.build import BuildOptions, build_site
from test_lead_image import png

FIXTURES = Path(__file__).parent / "fixtures"
Change = Callable[[Path], None]


def tree(folder: Path) -> dict[str, bytes]:
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


def edit_article(site: Path) -> None:
    path = site / "content" / "2025-05-14-floating-library.md"
    path.write_text(path.read_text(encoding="utf-8").replace("300 visitors", "450 visitors"), encoding="utf-8")


def add_article(site: Path) -> None:
    (site / "content" / "new.md").write_text(
        "---\ntitle: Sample: Port Alder council debates tram fares\ndate: 2025-05-17T15:00:00+03:00\n"
        "tags: [sample, transport]\n---\n\nThe council of Port Alder debated tram fares, said councillor Ines Varga.\n",
        encoding="utf-8",
    )


def delete_article(site: Path) -> None:
    (site / "content" / "2025-05-15-glacier-survey.md").unlink()


def rename_article(site: Path) -> None:
    (site / "content" / "2025-05-12-lantern-trams.md").rename(site / "content" / "renamed-trams.md")


def edit_headline(site: Path) -> None:
    path = site / "content" / "2025-05-17-river-commission-talks.md"
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace("resume river commission talks", "reopen river talks"), encoding="utf-8")


def add_article_naming_a_known_person_by_surname(site: Path) -> None:
    # Site-wide name merging then files this story (and its quote) under Ines Varga's entity page.
    (site / "content" / "varga.md").write_text(
        "---\ntitle: Sample: Port Alder ferry library extends its hours\ndate: 2025-05-18T10:00:00+03:00\n---\n\n"
        "The floating library will open on Mondays too. “Residents asked for it,” Varga said on Sunday.\n",
        encoding="utf-8",
    )


def edit_template(site: Path) -> None:
    (site / "templates" / "partials").mkdir(parents=True, exist_ok=True)
    shutil.copy(
        Path(__file__).resolve().parents[1] / "templates" / "partials" / "byline.html", site / "templates" / "partials"
    )
    path = site / "templates" / "partials" / "byline.html"
    path.write_text(path.read_text(encoding="utf-8") + "<!-- edited -->\n", encoding="utf-8")


def edit_config(site: Path) -> None:
    path = site / "site.yaml"
    path.write_text(
        path.read_text(encoding="utf-8").replace("Broadsheet Sample Digest", "Renamed Digest"), encoding="utf-8"
    )


def edit_seed_sidecar(site: Path) -> None:
    path = site / "seeds" / "000_545537a60ee26914.yaml"
    path.write_text(path.read_text(encoding="utf-8").replace("Istanbul talks", "Istanbul"), encoding="utf-8")


def remove_seed_sidecar(site: Path) -> None:
    (site / "seeds" / "000_545537a60ee26914.yaml").unlink()  # the seed has no date of its own


def rename_author(site: Path) -> None:
    # Two of Mira Okafor's articles: one now has another byline, so her page and the new one change.
    path = site / "content" / "2025-05-14-floating-library.md"
    path.write_text(path.read_text(encoding="utf-8").replace("author: Mira Okafor", "author: Noor Haddad"), "utf-8")


def add_old_address(site: Path) -> None:
    path = site / "content" / "2025-05-17-river-commission-talks.md"
    text = path.read_text(encoding="utf-8").replace("tags: [sample, water]", "tags: [sample, water]\naliases: [/old/]")
    path.write_text(text, encoding="utf-8")


def replace_lead_image(site: Path) -> None:
    # The glacier article's cover, replaced by a picture of another size: its page gives the new width and height.
    (site / "content" / "vesna-glacier.png").write_bytes(png(30, 10))


def add_lead_image(site: Path) -> None:
    path = site / "content" / "2025-05-17-river-commission-talks.md"
    text = path.read_text(encoding="utf-8").replace("tags: [sample, water]", "tags: [sample, water]\nimage: weir.jpg")
    path.write_text(text, encoding="utf-8")
    (site / "content" / "weir.jpg").write_bytes((FIXTURES / "images" / "photo.jpg").read_bytes())


CHANGES = [
    edit_article,
    replace_lead_image,
    add_lead_image,
    rename_author,
    add_old_address,
    add_article,
    delete_article,
    rename_article,
    edit_headline,
    add_article_naming_a_known_person_by_surname,
    edit_template,
    edit_config,
    edit_seed_sidecar,
    remove_seed_sidecar,
]


@pytest.mark.parametrize("change", CHANGES, ids=[c.__name__ for c in CHANGES])
def test_incremental_rebuild_equals_clean_build(sample_site: Path, tmp_path: Path, change: Change) -> None:
    incremental = tmp_path / "incremental"
    build_site(BuildOptions(site=sample_site, output=incremental, jobs=1))
    build_site(BuildOptions(site=sample_site, output=incremental, jobs=1))  # the shadow now exists too
    change(sample_site)
    result = build_site(BuildOptions(site=sample_site, output=incremental, jobs=1))
    assert not result.unchanged
    shutil.rmtree(sample_site / ".cache")
    clean = build_site(BuildOptions(site=sample_site, output=tmp_path / "clean", jobs=1)).output
    assert tree(incremental) == tree(clean)


def test_a_sidecar_added_beside_a_cached_article_is_read(sample_site: Path, tmp_path: Path) -> None:
    """The build looks for ``NAME.yaml`` only where the folder lists one: a new sidecar must still be seen."""
    sidecar = sample_site / "seeds" / "000_545537a60ee26914.yaml"
    aside = tmp_path / "sidecar.yaml"
    sidecar.rename(aside)
    output = tmp_path / "incremental"
    without = build_site(BuildOptions(site=sample_site, output=output, jobs=1))
    build_site(BuildOptions(site=sample_site, output=output, jobs=1))
    aside.rename(sidecar)
    with_sidecar = build_site(BuildOptions(site=sample_site, output=output, jobs=1))
    assert any("default_date" in w for w in without.diagnostics.warnings)  # the seed has no date of its own
    assert not with_sidecar.diagnostics.warnings
    shutil.rmtree(sample_site / ".cache")
    clean = build_site(BuildOptions(site=sample_site, output=tmp_path / "clean", jobs=1)).output
    assert tree(output) == tree(clean)


def test_no_op_rebuild_renders_nothing_and_reports_warnings_again(sample_site: Path) -> None:
    (sample_site / "seeds" / "undated.txt").write_text("Undated headline\n\nSome text.\n", encoding="utf-8")
    first = build_site(BuildOptions(site=sample_site))
    second = build_site(BuildOptions(site=sample_site))
    assert second.unchanged and not first.unchanged
    assert second.diagnostics.warnings == first.diagnostics.warnings != []
    assert tree(second.output) == tree(first.output)


def test_one_edit_rerenders_only_the_pages_it_touches(sample_site: Path) -> None:
    first = build_site(BuildOptions(site=sample_site))
    edit_article(sample_site)
    second = build_site(BuildOptions(site=sample_site))
    assert 0 < second.rendered < first.rendered / 2
    assert "450 visitors" in (
        second.output / "articles/sample-port-alder-opens-a-floating-library-in-its-old-ferry-terminal/index.html"
    ).read_text(encoding="utf-8")


def test_one_edit_makes_only_the_page_sets_it_touches(sample_site: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    # Unchanged sets are kept whole, without making their pages: here, one edition of four days is made again.
    import broadsheet.assemble as assemble

    made: list[str] = []
    edition_page = assemble._edition_page

    def counting(index: assemble.SiteIndex, day: date, *rest: Any) -> tuple[assemble.Page]:
        made.append(day.isoformat())
        return edition_page(index, day, *rest)

    monkeypatch.setattr(assemble, "_edition_page", counting)
    build_site(BuildOptions(site=sample_site))
    assert len(made) >= 4
    made.clear()
    edit_article(sample_site)
    build_site(BuildOptions(site=sample_site))
    assert made == ["2025-05-14"]


def test_one_edit_rewrites_only_the_feeds_that_carry_the_article(
    sample_site: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import broadsheet.build as build

    written: list[str] = []
    for mime, writer in list(build.FEED_WRITERS.items()):

        def counting(index: Any, feed: Any, entries: Any, writer: Any = writer) -> bytes:
            written.append(feed.path)
            return bytes(writer(index, feed, entries))

        monkeypatch.setitem(build.FEED_WRITERS, mime, counting)
    build_site(BuildOptions(site=sample_site))
    everything = sorted(written)
    written.clear()
    edit_article(sample_site)
    build_site(BuildOptions(site=sample_site))
    assert {"feed.xml", "atom.xml", "feed.json"} <= set(written)  # the site's feeds carry every article
    assert 3 < len(written) < len(everything)
    assert (
        "sources/euromaidanpress-com/feed.xml" in everything and "sources/euromaidanpress-com/feed.xml" not in written
    )


def sixty_articles(tmp_path: Path) -> Path:
    site = tmp_path / "site"
    (site / "content").mkdir(parents=True)
    (site / "site.yaml").write_text("title: T\nbase_url: https://example.org/\nsearch: false\n", encoding="utf-8")
    for n in range(60):  # above the pool threshold
        (site / "content" / f"a{n}.md").write_text(
            f"---\ntitle: Article number {n}\ndate: 2025-01-{n % 28 + 1:02d}\n---\n\nText {n} about the council.\n",
            encoding="utf-8",
        )
    return site


def test_parallel_and_serial_parsing_give_the_same_site(tmp_path: Path) -> None:
    site = sixty_articles(tmp_path)
    serial = build_site(BuildOptions(site=site, output=tmp_path / "serial", jobs=1)).output
    shutil.rmtree(site / ".cache")
    parallel = build_site(BuildOptions(site=site, output=tmp_path / "parallel", jobs=2)).output
    assert tree(serial) == tree(parallel)


def test_parallel_incremental_rebuild_equals_a_serial_clean_build(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Pages are fingerprinted and rendered by forked helpers here: their fingerprints must name what changed.
    monkeypatch.setattr("broadsheet.process.FINGERPRINT_PARALLEL_THRESHOLD", 0)
    site = sixty_articles(tmp_path)
    output = tmp_path / "incremental"
    build_site(BuildOptions(site=site, output=output, jobs=2))
    path = site / "content" / "a7.md"
    path.write_text(path.read_text(encoding="utf-8").replace("about the council", "about the harbour"), "utf-8")
    rebuilt = build_site(BuildOptions(site=site, output=output, jobs=2))
    assert 0 < rebuilt.rendered < rebuilt.pages
    shutil.rmtree(site / ".cache")
    clean = build_site(BuildOptions(site=site, output=tmp_path / "clean", jobs=1)).output
    assert tree(output) == tree(clean)
    assert "about the harbour" in (output / "articles" / "article-number-7" / "index.html").read_text("utf-8")


def test_a_failed_build_leaves_the_live_site_untouched(sample_site: Path) -> None:
    first = build_site(BuildOptions(site=sample_site))
    before = tree(first.output)
    (sample_site / "templates" / "article.html").write_text(
        "{% extends 'base.html' %}{% block content %}{{ nope.x }}{% endblock %}"
    )
    edit_article(sample_site)
    with pytest.raises(Exception, match="nope"):
        build_site(BuildOptions(site=sample_site))
    assert tree(first.output) == before
    (sample_site / "templates" / "article.html").unlink()
    after = build_site(BuildOptions(site=sample_site))
    shutil.rmtree(sample_site / ".cache")
    assert tree(after.output) == tree(build_site(BuildOptions(site=sample_site, output=sample_site / "clean")).output)


def test_swapping_which_of_two_articles_keeps_a_shared_slug_rebuilds_like_a_clean_build(
    sample_site: Path, tmp_path: Path
) -> None:
    """The second of two same-headline reports is built under a suffixed slug; which one is second can change."""
    content = sample_site / "content"
    text = (content / "2025-05-14-floating-library.md").read_text(encoding="utf-8")
    follow_up = (
        text.replace("floating-library\n", "floating-library-update\n")
        .replace("2025-05-14 09:30", "2025-05-16 09:30")
        .replace("300 visitors", "900 visitors")
    )
    assert follow_up.count("floating-library-update") == 1 and "900 visitors" in follow_up
    (content / "zz-floating-library-update.md").write_text(follow_up, encoding="utf-8")
    incremental = tmp_path / "incremental"
    first = build_site(BuildOptions(site=sample_site, output=incremental, jobs=1))
    assert first.articles == 6 and len(list((incremental / "articles").glob("sample-port-alder-opens-a-*"))) == 2
    build_site(BuildOptions(site=sample_site, output=incremental, jobs=1))
    (content / "zz-floating-library-update.md").rename(content / "0-floating-library-update.md")  # now sorts first
    build_site(BuildOptions(site=sample_site, output=incremental, jobs=1))
    shutil.rmtree(sample_site / ".cache")
    clean = build_site(BuildOptions(site=sample_site, output=tmp_path / "clean", jobs=1)).output
    assert tree(incremental) == tree(clean)


def test_pages_written_in_small_batches_give_the_same_site(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A large build makes and renders changed pages a batch at a time: the site must not depend on the batches."""
    site = sixty_articles(tmp_path)
    whole = build_site(BuildOptions(site=site, output=tmp_path / "whole", jobs=2))
    shutil.rmtree(site / ".cache")
    batches: list[int] = []
    render_into = build_module.render_into

    def counting(out: Any, env: Any, index: Any, stale: Any, fingerprint: Any, jobs: int = 0) -> None:
        batches.append(len(stale))
        render_into(out, env, index, stale, fingerprint, jobs)

    monkeypatch.setattr("broadsheet.build.BATCH_PAGES", 7)
    monkeypatch.setattr("broadsheet.build.render_into", counting)
    monkeypatch.setattr("broadsheet.process.PARALLEL_THRESHOLD", 2)  # forked render helpers in every batch
    output = tmp_path / "batched"
    batched = build_site(BuildOptions(site=site, output=output, jobs=2))
    assert len(batches) > 10 and max(batches) < whole.pages and sum(batches) == whole.pages
    assert tree(output) == tree(whole.output)

    batches.clear()
    path = site / "content" / "a7.md"
    path.write_text(path.read_text(encoding="utf-8").replace("about the council", "about the harbour"), "utf-8")
    rebuilt = build_site(BuildOptions(site=site, output=output, jobs=2))
    assert 0 < rebuilt.rendered < rebuilt.pages == batched.pages and sum(batches) == rebuilt.rendered
    shutil.rmtree(site / ".cache")
    clean = build_site(BuildOptions(site=site, output=tmp_path / "clean", jobs=1)).output
    assert tree(output) == tree(clean)


def test_a_changed_list_makes_only_the_pages_whose_items_changed(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import broadsheet.assemble as assemble

    site = sixty_articles(tmp_path)
    with (site / "site.yaml").open("a", encoding="utf-8") as config:
        config.write("page_size: 5\n")
    output = tmp_path / "incremental"
    first = build_site(BuildOptions(site=site, output=output, jobs=1))
    made: list[tuple[str, int]] = []
    page = assemble.PagedList.page

    def counting(listing: assemble.PagedList, number: int) -> assemble.Page:
        made.append((listing.base, number))
        return page(listing, number)

    monkeypatch.setattr(assemble.PagedList, "page", counting)
    path = site / "content" / "a7.md"
    path.write_text(path.read_text(encoding="utf-8").replace("about the council", "about the harbour"), "utf-8")
    build_site(BuildOptions(site=site, output=output, jobs=1))
    lists = {base for base, _ in made}
    assert "topics/" in {base[: len("topics/")] for base in lists}  # a list of twelve pages, changed on one
    assert len(made) == len(lists)  # one page each: the one listing a7
    monkeypatch.undo()
    shutil.rmtree(site / ".cache")
    clean = build_site(BuildOptions(site=site, output=tmp_path / "clean", jobs=1))
    assert clean.pages == first.pages and tree(output) == tree(clean.output)


def test_a_run_of_rebuilds_each_equals_a_clean_build(
    sample_site: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Each build's shadow is the site two builds back: what changed since must be brought in, the rest kept.

    Keeping the sets as a copy of the live site (output.Publisher._keep_by_copy)
    with the shadow as recorded is the common rebuild; counted, so this test
    proves it ran.
    """
    from broadsheet.output import Publisher, _generation
    from broadsheet.output_state import StateFile

    by_copy: list[tuple[bool, bool]] = []
    keep_by_copy = Publisher._keep_by_copy
    closed: list[Publisher] = []
    close = Publisher._close

    def counted(self: Publisher, *args: Any) -> bool:
        done = keep_by_copy(self, *args)
        by_copy.append((done, self.shadow_as_recorded))
        return done

    def kept(self: Publisher, *args: Any) -> None:
        close(self, *args)
        closed.append(self)

    monkeypatch.setattr(Publisher, "_keep_by_copy", counted)
    monkeypatch.setattr(Publisher, "_close", kept)
    site_copy = tmp_path / "site-for-clean-builds"
    output = tmp_path / "incremental"
    build_site(BuildOptions(site=sample_site, output=output, jobs=1))
    for step, change in enumerate(
        [edit_article, edit_headline, add_article, delete_article, edit_article, rename_article]
    ):
        change(sample_site)
        result = build_site(BuildOptions(site=sample_site, output=output, jobs=1))
        assert not result.unchanged
        shutil.rmtree(site_copy, ignore_errors=True)
        shutil.copytree(sample_site, site_copy, ignore=shutil.ignore_patterns(".cache"))
        clean = build_site(BuildOptions(site=site_copy, output=tmp_path / f"clean-{step}", jobs=1)).output
        assert tree(output) == tree(clean), change.__name__
        # The state saved (its delta found among the keys the build touched) reads back as the build left it,
        # and the generation updated by the changed files is the one counted from all of them.
        mine = [out for out in closed if out.output == output][-1]
        closed.clear()
        saved, left = StateFile(mine.state_file.file).load(str(output)), mine.state
        assert saved.persisted() == left.persisted()
        assert (
            saved.live.generation
            == _generation(saved.live.files)
            == (output / ".broadsheet-output").read_text(encoding="utf-8").split()[-1]
        )
    assert by_copy.count((True, True)) >= 4  # every rebuild from the third on, the clean builds aside
