"""Files an article links to in the content folder (Hugo page bundles, Pelican {static}/{attach}): published under media/."""

from __future__ import annotations

import contextlib
import os
import shutil
import struct
import unicodedata
import zlib
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any, BinaryIO

import pytest

import broadsheet.build as build_module
import broadsheet.media as media_module
from broadsheet.build import BuildOptions, BuildResult, build_site
from broadsheet.check import check_site
from broadsheet.loaders.assets import site_path_of
from broadsheet.media import LinkedFiles

ARTICLE = "content/2025/harbour/index.md"
PAGE = "articles/harbour-photos/index.html"
BODY = """---
title: Harbour photos
date: 2025-05-01
---

The harbour at dawn: ![A boat](boat%20at%20dawn.png "Dawn"), the [route map](../../maps/route.png),
the same ![route]({static}/maps/route.png) and the [council's report]({attach}report.pdf).

Not yet taken: ![Night](night.png).

Never published: [settings](../../../site.yaml), ![up](../../../../outside.png), ![hidden](../../.git/logo.png),
![drawing](drawing.svg), ![linked](linked.png).
"""


def png(shade: int) -> bytes:
    """A real one-pixel PNG."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)

    header = struct.pack(">IIBBBBB", 1, 1, 8, 2, 0, 0, 0)
    pixels = zlib.compress(bytes([0, shade, shade, shade]))
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", pixels) + chunk(b"IEND", b"")


@pytest.fixture
def site(tmp_path: Path) -> Path:
    site = tmp_path / "site"
    folder = site / "content/2025/harbour"
    folder.mkdir(parents=True)
    (site / "site.yaml").write_text(
        "title: Harbour\nbase_url: https://example.org/news/\nsearch: false\n", encoding="utf-8"
    )
    (folder / "index.md").write_text(BODY, encoding="utf-8")
    (folder / "boat at dawn.png").write_bytes(png(10))
    (folder / "report.pdf").write_bytes(b"%PDF-1.4\n% a report\n")
    (folder / "drawing.svg").write_text('<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>')
    (site / "content/maps").mkdir()
    (site / "content/maps/route.png").write_bytes(png(20))
    (site / "content/.git").mkdir()
    (site / "content/.git/logo.png").write_bytes(png(30))
    (tmp_path / "outside.png").write_bytes(png(40))
    secret = tmp_path / "secret.png"
    secret.write_bytes(b"a secret outside the site")
    os.symlink(secret, folder / "linked.png")
    return site


def build(site: Path, output: Path | None = None) -> BuildResult:
    return build_site(BuildOptions(site=site, output=output, jobs=1))


def tree(folder: Path) -> dict[str, bytes]:
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


def assert_like_a_clean_build(site: Path, tmp_path: Path) -> None:
    clean_site = tmp_path / "clean"
    shutil.rmtree(clean_site, ignore_errors=True)
    shutil.copytree(site, clean_site, symlinks=True, ignore=shutil.ignore_patterns(".cache", "output", ".output*"))
    assert tree(site / "output") == tree(build(clean_site).output)


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        ("photo.jpg", "content/2025/a/photo.jpg"),
        ("./img/photo.JPG", "content/2025/a/img/photo.JPG"),
        ("../../maps/route.png", "content/maps/route.png"),
        ("photo%20one.png?v=2#top", "content/2025/a/photo one.png"),
        ("{static}/maps/route.png", "content/maps/route.png"),  # Pelican: from the content folder
        ("{static}photo.jpg", "content/2025/a/photo.jpg"),
        ("{attach}report.pdf", "content/2025/a/report.pdf"),
        ("{{ site.baseurl }}/assets/map.png", "content/assets/map.png"),  # Jekyll: from the site's root
        ("../../../site.yaml", None),  # out of the content folder
        ("../../../content2/photo.jpg", None),  # a folder whose name only starts like it
        ("../../../../../../etc/photo.png", None),
        ("%2e%2e/%2e%2e/%2e%2e/x.png", None),  # escapes decoded first
        ("../../.git/logo.png", None),  # a dot-folder
        (".photo.png", None),
        ("drawing.svg", None),  # may run scripts on the site's own origin
        ("page.html", None),
        ("other.md", None),  # another article: not a file to publish (article_links.py)
        ("{filename}other.md", None),
        ("a\\b.png", None),
        ("", None),
    ],
)
def test_a_link_names_a_file_of_the_content_folder_or_none(url: str, expected: str | None) -> None:
    assert site_path_of(url, "content/2025/a/post.md", "content") == expected


def test_linked_files_are_published_under_media_and_everything_else_left_out(site: Path) -> None:
    result = build(site)
    output = result.output
    assert (output / "media/2025/harbour/boat at dawn.png").read_bytes() == png(10)
    assert (output / "media/maps/route.png").read_bytes() == png(20)
    assert (output / "media/2025/harbour/report.pdf").read_bytes().startswith(b"%PDF")
    published = sorted(p.relative_to(output / "media").as_posix() for p in (output / "media").rglob("*") if p.is_file())
    assert published == ["2025/harbour/boat at dawn.png", "2025/harbour/report.pdf", "maps/route.png"]
    assert not any(b"a secret" in data for data in tree(output).values())  # a symbolic link is never followed
    page = (output / PAGE).read_text(encoding="utf-8")
    assert 'src="../../media/2025/harbour/boat%20at%20dawn.png"' in page
    assert page.count('"../../media/maps/route.png"') == 2
    assert 'href="../../media/2025/harbour/report.pdf"' in page
    assert "Night" in page and "night.png" not in page  # left out, its alt text kept
    for name in ("site.yaml", "outside.png", "logo.png", "drawing.svg", "linked.png"):
        assert name not in page
    # Feeds have no article page to start from: their links are absolute, under the site's own path.
    feed = (output / "feed.xml").read_text(encoding="utf-8")
    assert "https://example.org/news/media/2025/harbour/boat%20at%20dawn.png" in feed and "../../media" not in feed
    warned = [w for w in result.diagnostics.warnings if w.startswith(f"{ARTICLE}:")]
    night = (
        "names content/2025/harbour/night.png, which is not there (or cannot be read, or is a symbolic link): left out"
    )
    assert f"{ARTICLE}:9: link to 'night.png' {night}" in warned
    assert len(warned) == 6  # night, settings, up, hidden, drawing, linked
    assert check_site(output, "https://example.org/news/") == []  # no broken link, image or fragment


def test_a_file_added_replaced_or_removed_later_rebuilds_as_a_clean_build_would(site: Path, tmp_path: Path) -> None:
    folder = site / "content/2025/harbour"
    build(site)
    # Taken after the article was written: its cached record looked for it, so the next build reads it again.
    (folder / "night.png").write_bytes(png(50))
    rebuilt = build(site)
    assert not rebuilt.unchanged and 'src="../../media/2025/harbour/night.png"' in (site / "output" / PAGE).read_text()
    assert (site / "output/media/2025/harbour/night.png").read_bytes() == png(50)
    assert_like_a_clean_build(site, tmp_path)
    # Replaced under the same name: no article changed, but this is no no-op.
    (folder / "night.png").write_bytes(png(60) + b"\0")
    assert not build(site).unchanged
    assert (site / "output/media/2025/harbour/night.png").read_bytes() == png(60) + b"\0"
    assert_like_a_clean_build(site, tmp_path)
    # Removed: the links to it are left out again and the copy goes.
    (site / "content/maps/route.png").unlink()
    removed = build(site)
    assert not (site / "output/media/maps/route.png").exists()
    assert "route.png" not in (site / "output" / PAGE).read_text(encoding="utf-8")
    assert any("content/maps/route.png, which is not there" in w for w in removed.diagnostics.warnings)
    assert_like_a_clean_build(site, tmp_path)
    assert build(site).unchanged  # and then nothing more to do


def test_a_site_whose_content_is_the_site_folder_itself_publishes_nothing_from_it(tmp_path: Path) -> None:
    # Its output, cache and settings would be "content" too: no file is published from there.
    site = tmp_path / "site"
    site.mkdir()
    (site / "site.yaml").write_text(
        f"title: T\nbase_url: https://example.org/\nsearch: false\npaths: {{content: ., cache: {tmp_path}/cache, output: {tmp_path}/out}}\n",
        encoding="utf-8",
    )
    (site / "post.md").write_text("---\ntitle: A post\ndate: 2025-01-01\n---\n\n![p](p.png) text\n", "utf-8")
    (site / "p.png").write_bytes(png(1))
    result = build(site)
    assert not (result.output / "media").exists()
    assert any("'p.png', relative to the article's file" in w for w in result.diagnostics.warnings)


def test_files_whose_names_differ_only_in_case_or_accents_are_published_and_named(site: Path) -> None:
    """On macOS and Windows they would be one file: Linux keeps both, and the user hears of it."""
    folder = site / "content/2025/harbour"
    (folder / "Boat.PNG").write_bytes(png(50))
    (folder / "boat.png").write_bytes(png(60))
    (folder / unicodedata.normalize("NFD", "café.png")).write_bytes(png(70))
    (folder / "café.png").write_bytes(png(80))
    rewrite(site, "![a](Boat.PNG) ![b](boat.png) ![c](café.png) ![d](cafe%CC%81.png) ![e](report.pdf)\n")
    result = build(site)
    assert {p.name for p in (result.output / "media/2025/harbour").iterdir()} >= {"Boat.PNG", "boat.png"}
    alike = [w for w in result.diagnostics.warnings if "differ only in case or accents" in w]
    named = [unicodedata.normalize("NFC", w.split(": ", 1)[0]) for w in alike]
    assert named == ["content/2025/harbour/Boat.PNG", "content/2025/harbour/café.png"]
    assert "(content/2025/harbour/Boat.PNG, content/2025/harbour/boat.png)" in alike[0]


def rewrite(site: Path, body: str) -> None:
    """The fixture's article with another body."""
    (site / ARTICLE).write_text(BODY.split("\n\n", 1)[0] + "\n\n" + body, encoding="utf-8")


def test_feeds_make_only_the_links_to_published_files_absolute(site: Path) -> None:
    # A page about HTML quotes markup: in a feed, only the links broadsheet made are made absolute, not the text.
    rewrite(
        site, 'A ![boat](boat%20at%20dawn.png).\n\nWrite `<img src="../../media/x.png">`, or src="../../media/y.png".\n'
    )
    feed = (build(site).output / "feed.xml").read_text(encoding="utf-8")
    assert 'src="https://example.org/news/media/2025/harbour/boat%20at%20dawn.png"' in feed
    assert '&lt;img src="../../media/x.png"&gt;</code>, or src="../../media/y.png".' in feed
    assert "media/x.png" not in feed.replace("../../media/x.png", "")


def test_a_links_query_and_fragment_are_kept(site: Path) -> None:
    # A PDF's page, a video's start: the fragment is the author's; a query (a version to refresh caches) too.
    rewrite(
        site,
        'The [report, page 3](report.pdf#page=3 "p3") and [the map](../../maps/route.png?v=2#top);\n'
        '<a href="report.pdf#&quot;&gt;&lt;b&gt;">quoted</a>.\n',
    )
    result = build(site)
    page = (result.output / PAGE).read_text(encoding="utf-8")
    assert 'href="../../media/2025/harbour/report.pdf#page=3"' in page
    assert 'href="../../media/2025/harbour/report.pdf#&quot;&gt;&lt;b&gt;"' in page  # escaped as an attribute
    assert 'href="../../media/maps/route.png?v=2#top"' in page
    feed = (result.output / "feed.xml").read_text(encoding="utf-8")
    assert 'href="https://example.org/news/media/2025/harbour/report.pdf#page=3"' in feed
    assert check_site(result.output, "https://example.org/news/") == []


def test_pelicans_filename_and_bars_name_a_static_file_too(site: Path) -> None:
    # Pelican before 3.5 linked static files with {filename}, as its articles ({filename}other.md stays left
    # out); it still reads its first syntax, with bars: |static|, |attach|, |filename|.
    rewrite(
        site,
        "The [map]({filename}/maps/route.png), the [report]({filename}report.pdf), ![a](|static|/maps/route.png).\n",
    )
    page = (build(site).output / PAGE).read_text(encoding="utf-8")
    assert page.count('"../../media/maps/route.png"') == 2 and 'href="../../media/2025/harbour/report.pdf"' in page
    for prefix in ("{filename}", "|static|", "|attach|", "|filename|"):
        assert site_path_of(f"{prefix}/maps/route.png", "content/2025/a/post.md", "content") == "content/maps/route.png"
        assert (
            site_path_of(f"{prefix}../b/photo.jpg", "content/2025/a/post.md", "content") == "content/2025/b/photo.jpg"
        )
        assert site_path_of(f"{prefix}/../../x.png", "content/2025/a/post.md", "content") is None
    assert site_path_of("|filename|other.md", "content/2025/a/post.md", "content") is None


def racing_publish(monkeypatch: pytest.MonkeyPatch, change: Callable[[], None]) -> None:
    """Make ``change`` once the articles are read, before the files they link are published."""
    publish = build_module.publish_media

    def racing(*args: Any) -> LinkedFiles:
        change()
        return publish(*args)

    monkeypatch.setattr(build_module, "publish_media", racing)


def test_a_file_gone_between_reading_and_publishing_is_not_taken_as_published(
    site: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    racing_publish(monkeypatch, (site / "content/maps/route.png").unlink)
    raced = build(site)
    assert any("gone while the site was built" in w for w in raced.diagnostics.warnings)
    monkeypatch.undo()
    # Its page links to it: the next build must read the article again, not call the site up to date.
    assert not build(site).unchanged
    assert "route.png" not in (site / "output" / PAGE).read_text(encoding="utf-8")
    assert_like_a_clean_build(site, tmp_path)


def test_a_file_come_between_reading_and_publishing_is_not_taken_as_left_out(
    site: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    racing_publish(monkeypatch, lambda: (site / "content/2025/harbour/night.png").write_bytes(png(70)))
    build(site)
    monkeypatch.undo()
    assert not build(site).unchanged  # its page left it out: the next build must show it
    assert 'src="../../media/2025/harbour/night.png"' in (site / "output" / PAGE).read_text(encoding="utf-8")
    assert_like_a_clean_build(site, tmp_path)


def racing_copy(monkeypatch: pytest.MonkeyPatch, name: str, change: Callable[[Path], None]) -> list[str]:
    """Make ``change`` to the file ``name`` once publishing has looked at it, before it is copied."""
    looked = media_module.file_key
    changed: list[str] = []

    def racing(root: Path, site_path: str) -> tuple[int, int] | None:
        key = looked(root, site_path)
        if site_path.endswith(name) and key is not None and not changed:
            change(root / site_path)
            changed.append(site_path)
        return key

    monkeypatch.setattr(media_module, "file_key", racing)
    return changed


def test_a_file_that_cannot_be_read_when_copied_is_a_warning_not_a_failed_build(
    site: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    changed = racing_copy(monkeypatch, "route.png", Path.unlink)
    result = build(site)  # an unreadable photo (gone, or another user's) does not stop the site being published
    assert changed and not (result.output / "media/maps/route.png").exists()
    assert any(w.startswith("content/maps/route.png: ") and "cannot be read" in w for w in result.diagnostics.warnings)
    monkeypatch.undo()
    assert not build(site).unchanged
    assert_like_a_clean_build(site, tmp_path)


def test_a_file_swapped_for_a_symbolic_link_while_copied_is_not_followed(
    site: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    def swap(path: Path) -> None:
        path.unlink()
        path.symlink_to(tmp_path / "secret.png")

    def swap_folder(path: Path) -> None:  # a folder on the way, swapped for a link to one with the same name in it
        elsewhere = tmp_path / "elsewhere"
        elsewhere.mkdir()
        (elsewhere / "boat at dawn.png").write_bytes(b"a secret too")
        shutil.rmtree(path.parent)
        path.parent.symlink_to(elsewhere)

    changed = racing_copy(monkeypatch, "route.png", swap)
    result = build(site)
    assert changed and not any(b"a secret" in data for data in tree(result.output).values())
    assert any(w.startswith("content/maps/route.png: ") for w in result.diagnostics.warnings)
    monkeypatch.undo()
    (site / "content/maps/route.png").unlink()
    (site / "content/maps/route.png").write_bytes(png(20))
    shutil.rmtree(site / "output")
    changed = racing_copy(monkeypatch, "dawn.png", swap_folder)
    result = build(site)
    assert changed and not any(b"a secret" in data for data in tree(result.output).values())


def test_a_file_that_cannot_be_read_is_left_out_until_it_can_be(
    site: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # A permission this process lacks (as root, every file can be read: access() says no for this one).
    unreadable = site / "content/2025/harbour/boat at dawn.png"
    access = os.access
    monkeypatch.setattr(os, "access", lambda path, mode, **kw: Path(path) != unreadable and access(path, mode, **kw))
    first = build(site)
    page = (site / "output" / PAGE).read_text(encoding="utf-8")
    assert "boat%20at%20dawn" not in page and "A boat" in page  # left out, not a broken image
    assert not (site / "output/media/2025/harbour/boat at dawn.png").exists()
    assert any("boat at dawn.png, which is not there (or cannot be read" in w for w in first.diagnostics.warnings)
    assert build(site).unchanged  # settled: not a copy failing build after build
    monkeypatch.undo()
    readable = build(site)
    assert not readable.unchanged and (site / "output/media/2025/harbour/boat at dawn.png").read_bytes() == png(10)
    assert_like_a_clean_build(site, tmp_path)


def test_a_file_larger_than_a_copy_piece_is_copied_in_pieces_byte_for_byte(
    site: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    video = bytes(range(256)) * (3 * 4096 + 7)  # three pieces and a bit: ~3 MB
    (site / "content/2025/harbour/tide.mp4").write_bytes(video)
    index = site / ARTICLE
    index.write_text(index.read_text(encoding="utf-8") + "\n[The tide, filmed](tide.mp4#t=10).\n", encoding="utf-8")
    reads: list[int] = []
    opened = media_module.open_plain_file

    class Watched:
        def __init__(self, stream: BinaryIO) -> None:
            self.stream = stream

        def read(self, size: int = -1) -> bytes:
            reads.append(size)
            return self.stream.read(size)

        def seek(self, offset: int) -> int:
            return self.stream.seek(offset)

    @contextlib.contextmanager
    def watched(root: Path, site_path: str) -> Iterator[Any]:
        with opened(root, site_path) as found:
            yield found if found is None else (Watched(found[0]), found[1])

    monkeypatch.setattr(media_module, "open_plain_file", watched)
    result = build(site)
    assert (result.output / "media/2025/harbour/tide.mp4").read_bytes() == video
    assert 'href="../../media/2025/harbour/tide.mp4#t=10"' in (result.output / PAGE).read_text(encoding="utf-8")
    assert reads and all(0 < size <= 1 << 20 for size in reads)  # never read whole
    assert_like_a_clean_build(site, tmp_path)


@pytest.mark.parametrize(("on_disk", "linked"), [("NFD", "NFC"), ("NFC", "NFD")])
def test_a_file_named_in_the_other_unicode_form_is_found(site: Path, tmp_path: Path, on_disk: str, linked: str) -> None:
    # A photo named on a Mac (decomposed: e + combining accent) linked from text typed elsewhere (composed).
    name = "café crème.png"
    (site / "content/2025/harbour" / unicodedata.normalize(on_disk, name)).write_bytes(png(80))
    index = site / ARTICLE
    link = unicodedata.normalize(linked, name).replace(" ", "%20")
    index.write_text(index.read_text(encoding="utf-8") + f"\n![Coffee]({link})\n", encoding="utf-8")
    result = build(site)
    published = result.output / "media/2025/harbour" / unicodedata.normalize(on_disk, name)
    assert published.read_bytes() == png(80)
    assert not any("crème" in w or "cre\u0300me" in w for w in result.diagnostics.warnings)
    assert_like_a_clean_build(site, tmp_path)
    # Renamed to the link's own form: that name is the one published from then on.
    (site / "content/2025/harbour" / unicodedata.normalize(on_disk, name)).rename(
        site / "content/2025/harbour" / unicodedata.normalize(linked, name)
    )
    build(site)
    assert (site / "output/media/2025/harbour" / unicodedata.normalize(linked, name)).read_bytes() == png(80)
    assert_like_a_clean_build(site, tmp_path)


def sized_png(width: int, height: int) -> bytes:
    """A real grey PNG of this size."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)

    rows = b"".join(b"\0" + b"\x80\x80\x80" * width for _ in range(height))
    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", zlib.compress(rows)) + chunk(b"IEND", b"")


def test_a_published_image_gets_the_size_its_file_declares_and_a_new_one_when_replaced(
    site: Path, tmp_path: Path
) -> None:
    folder = site / "content/2025/harbour"
    (folder / "boat at dawn.png").write_bytes(sized_png(12, 8))
    (folder / "sized.md").write_text(
        "---\ntitle: Sized\ndate: 2025-05-02\n---\n\nAs written: ![A boat](boat%20at%20dawn.png){width=6}\n",
        encoding="utf-8",
    )
    build(site)
    page = (site / "output" / PAGE).read_text(encoding="utf-8")
    assert (
        '<img alt="A boat" src="../../media/2025/harbour/boat%20at%20dawn.png" title="Dawn" width="12" height="8">'
        in page
    )
    assert 'href="../../media/2025/harbour/report.pdf" rel' in page  # a link to a file is no image: nothing added
    as_written = (site / "output/articles/sized/index.html").read_text(encoding="utf-8")
    assert 'width="6">' in as_written and 'height="' not in as_written.split('alt="A boat"', 1)[1].split(">", 1)[0]
    # Replaced by a photo of another size under the same name: the article is read again for it.
    (folder / "boat at dawn.png").write_bytes(sized_png(30, 20))
    build(site)
    assert 'width="30" height="20"' in (site / "output" / PAGE).read_text(encoding="utf-8")
    assert_like_a_clean_build(site, tmp_path)
