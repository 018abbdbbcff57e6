"""Atomic and lossless: a killed build leaves the previous site whole; builds never touch the inputs.

Real ``broadsheet build`` processes are killed with SIGKILL (the whole
process group: the build, its worker processes and Pagefind) at several
points of a build that rewrites every page. After each kill ``output/`` must
be exactly the previous site, or, if the kill came after the swap, exactly
the new one; never a mixture, never missing. An interrupted ``ingest`` must
leave no stored entry half-written.
"""

from __future__ import annotations

import hashlib
import os
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from pathlib import Path

import pytest

from broadsheet import output as output_module
from broadsheet.build import BuildOptions, build_site
from broadsheet.errors import BroadsheetError
from broadsheet.ingest.store import signed_by_ingest
from broadsheet.loaders.frontmatter import split_front_matter
from browser import serve_directory

ARTICLES = 300
WORDS = [
    "harbour",
    "council",
    "ships",
    "tram",
    "library",
    "river",
    "talks",
    "agreed",
    "minister",
    "city",
    "report",
    "plan",
    "budget",
    "residents",
    "museum",
]


def tree(folder: Path) -> dict[str, str]:
    """Every file under ``folder`` (hidden ones too) → sha256 of its bytes."""
    return {
        p.relative_to(folder).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(folder.rglob("*"))
        if p.is_file()
    }


def snapshot(site: Path) -> dict[str, tuple[str, int, int]]:
    """Bytes, mode and modification time of every input file: what a build must never change."""
    found = {}
    for path in sorted(site.rglob("*")):
        rel = path.relative_to(site)
        if rel.parts[0] in ("output", ".output.shadow", ".output.lock", ".cache") or not path.is_file():
            continue
        stat = path.stat()
        found[rel.as_posix()] = (hashlib.sha256(path.read_bytes()).hexdigest(), stat.st_mode, stat.st_mtime_ns)
    return found


def write_corpus(site: Path, count: int) -> None:
    (site / "content").mkdir(parents=True)
    for n in range(count):
        words = [WORDS[(n * 7 + i * 3) % len(WORDS)] for i in range(80)]
        paragraph = " ".join(words).capitalize() + "."
        (site / "content" / f"a{n:04}.md").write_text(
            f"---\ntitle: Report {n} on the {WORDS[n % len(WORDS)]}\ndate: 2025-{n % 12 + 1:02}-{n % 28 + 1:02}\n"
            f"tags: [t{n % 30}]\nsource: Outlet {n % 12}\n---\n{paragraph}\n\n{paragraph}\n\n## More\n\n{paragraph}\n"
        )


def set_title(site: Path, title: str) -> None:
    """A new site title changes every page, so the next build rewrites the whole site."""
    (site / "site.yaml").write_text(f"title: {title}\nbase_url: https://example.org/\nsearch: true\n")


def command(site: Path, *args: str) -> list[str]:
    return [sys.executable, "-m", "broadsheet", *args, "--site", str(site)]


@contextmanager
def running(cmd: list[str]) -> Iterator[subprocess.Popen[bytes]]:
    """A subprocess in its own process group, killed with the whole group if still running at the end."""
    process = subprocess.Popen(cmd, start_new_session=True, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    try:
        yield process
    finally:
        kill_group(process)


def kill_group(process: subprocess.Popen[bytes]) -> None:
    with suppress(ProcessLookupError):  # it ended by itself
        os.killpg(process.pid, signal.SIGKILL)
    process.wait()


def build_once(site: Path, *args: str) -> float:
    started = time.monotonic()
    done = subprocess.run(command(site, "build", *args), capture_output=True, text=True, check=False)
    assert done.returncode == 0, done.stderr
    return time.monotonic() - started


@pytest.mark.timeout(600)
def test_killed_builds_leave_the_previous_site_whole(tmp_path: Path) -> None:
    site = tmp_path / "site"
    write_corpus(site, ARTICLES)
    set_title(site, "Edition 0")
    duration = build_once(site)
    inputs = snapshot(site)
    previous = tree(site / "output")
    assert len(previous) > 2 * ARTICLES
    interrupted = 0
    for attempt, fraction in enumerate((0.05, 0.2, 0.35, 0.5, 0.7), start=1):
        set_title(site, f"Edition {attempt}")
        with running(command(site, "build")) as process:
            time.sleep(duration * fraction)
            finished = process.poll() is not None
            kill_group(process)
        after = tree(site / "output")
        if after == previous:
            interrupted += not finished
            continue
        # The kill came after the swap: then it must be exactly the new site, as a clean build makes it.
        reference = tmp_path / f"reference-{attempt}"
        build_once(site, "--output", str(reference))
        assert after == tree(reference), f"attempt {attempt}: output/ is neither the old site nor the new one"
        previous = after
    assert interrupted >= 1, "no kill landed during a build: the test proved nothing"
    assert not list(site.glob("*.swap-*"))
    build_once(site)  # the next build starts from whatever the killed ones left behind
    reference = tmp_path / "reference-final"
    build_once(site, "--output", str(reference))
    assert tree(site / "output") == tree(reference)
    assert snapshot(site) == {**inputs, "site.yaml": snapshot(site)["site.yaml"]}


def test_build_never_modifies_content_or_seeds(sample_site: Path, capsys: pytest.CaptureFixture[str]) -> None:
    from broadsheet.cli import main

    before = snapshot(sample_site)
    assert before and any(name.startswith("seeds/") for name in before)
    assert main(["build", "--site", str(sample_site)]) == 0
    assert main(["build", "--site", str(sample_site)]) == 0  # incremental
    (sample_site / "content" / "bad.md").write_bytes(b"")
    assert main(["build", "--site", str(sample_site), "--strict"]) == 1
    (sample_site / "content" / "bad.md").unlink()
    (sample_site / "templates" / "404.html").write_text("{% if %}")
    assert main(["build", "--site", str(sample_site)]) == 1
    (sample_site / "templates" / "404.html").unlink()
    capsys.readouterr()
    assert snapshot(sample_site) == before


def test_a_second_build_of_the_same_output_at_once_is_refused(sample_site: Path) -> None:
    """Two builds would share one shadow folder and could publish a mixture: the second stops."""
    build_site(BuildOptions(site=sample_site))
    before = tree(sample_site / "output")
    (sample_site / "content" / "2025-05-12-lantern-trams.md").unlink()  # so this build has something to write
    holder = output_module.lock_output(sample_site / "output")  # as a running build holds it
    try:
        with pytest.raises(BroadsheetError, match=r"another build is writing .*output right now"):
            build_site(BuildOptions(site=sample_site))
    finally:
        os.close(holder)
    assert tree(sample_site / "output") == before
    build_site(BuildOptions(site=sample_site))  # the lock is free again
    assert tree(sample_site / "output") != before


def test_two_rename_swap_works_and_a_cut_short_swap_is_recovered(
    sample_site: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Where renameat2 is missing, the swap takes three renames; a kill between them loses nothing."""
    reference = tmp_path / "reference"
    build_site(BuildOptions(site=sample_site, output=reference))
    expected = tree(reference)
    monkeypatch.setattr(output_module.ctypes.util, "find_library", lambda name: None)
    build_site(BuildOptions(site=sample_site))
    build_site(BuildOptions(site=sample_site))  # exchanges with the shadow by renames
    assert tree(sample_site / "output") == expected

    real_replace = os.replace
    calls: list[tuple[str, str]] = []

    def die_before_the_last_rename(source: object, target: object) -> None:
        calls.append((str(source), str(target)))
        if str(source).endswith(f".swap-{os.getpid()}"):
            raise KeyboardInterrupt  # as if killed here: the new site is in the spare folder, output/ is gone
        real_replace(source, target)  # type: ignore[arg-type]

    (sample_site / "content" / "2025-05-12-lantern-trams.md").write_text(
        "---\ntitle: Replaced article\ndate: 2025-05-12\n---\nNew text.\n"
    )
    with monkeypatch.context() as patch:
        patch.setattr(output_module.os, "replace", die_before_the_last_rename)
        with pytest.raises(KeyboardInterrupt):
            build_site(BuildOptions(site=sample_site))
    assert not (sample_site / "output").exists()
    assert calls[-1][1] == str(sample_site / "output")  # killed on the rename that would have put it back
    build_site(BuildOptions(site=sample_site))
    build_site(BuildOptions(site=sample_site, output=tmp_path / "reference-2"))
    assert tree(sample_site / "output") == tree(tmp_path / "reference-2")
    assert not list(sample_site.glob(".output.shadow.swap-*"))


def feed_xml(items: int) -> str:
    body = "".join(
        f"<item><title>Entry {n}</title><link>https://feed.example.net/{n}</link>"
        f"<guid>https://feed.example.net/{n}</guid><pubDate>Mon, 05 May 2025 {n % 24:02}:00:00 +0000</pubDate>"
        f"<description>&lt;p&gt;{'Words of the entry. ' * 200}&lt;/p&gt;</description></item>"
        for n in range(items)
    )
    return (
        '<?xml version="1.0" encoding="utf-8"?><rss version="2.0"><channel><title>Big Feed</title>'
        f"<link>https://feed.example.net/</link><description>d</description>{body}</channel></rss>"
    )


def stored_entries(site: Path) -> list[Path]:
    folder = site / "content" / "feeds"
    return sorted(folder.rglob("*.md")) if folder.is_dir() else []


@pytest.mark.timeout(300)
def test_interrupted_ingest_leaves_no_partial_entry(tmp_path: Path) -> None:
    served = tmp_path / "served"
    served.mkdir()
    (served / "feed.xml").write_text(feed_xml(400))
    site = tmp_path / "site"
    (site / "content").mkdir(parents=True)
    with serve_directory(served) as base:
        (site / "site.yaml").write_text(
            f"title: Ingest\nbase_url: https://example.org/\nsearch: false\nfeeds:\n  - name: Big\n    url: {base}feed.xml\n"
        )
        reference = tmp_path / "reference"
        reference.mkdir()
        (reference / "site.yaml").write_text((site / "site.yaml").read_text())
        started = time.monotonic()
        done = subprocess.run(command(reference, "ingest"), capture_output=True, text=True, check=False)
        duration = time.monotonic() - started
        assert done.returncode == 0, done.stderr
        complete = len(stored_entries(reference))
        assert complete == 400
        interrupted = 0
        for fraction in (0.3, 0.5, 0.65, 0.8, 0.9):
            with running(command(site, "ingest")) as process:
                time.sleep(duration * fraction)
                interrupted += process.poll() is None
                kill_group(process)
            for path in stored_entries(site):
                text = path.read_text(encoding="utf-8")
                split_front_matter(text, path.name)
                assert signed_by_ingest(text), f"{path.name} is not a whole entry as ingest wrote it"
        assert interrupted >= 1, "no kill landed during an ingest: the test proved nothing"
        done = subprocess.run(command(site, "ingest"), capture_output=True, text=True, check=False)
        assert done.returncode == 0, done.stderr
    assert len(stored_entries(site)) == complete
    build_once(site)
    assert len(list((site / "output" / "articles").iterdir())) == complete


@pytest.mark.timeout(300)
def test_interrupted_ingest_leaves_no_temporary_file_after_the_next_run(tmp_path: Path) -> None:
    served = tmp_path / "served"
    served.mkdir()
    (served / "feed.xml").write_text(feed_xml(400))
    site = tmp_path / "site"
    (site / "content" / "feeds" / "big").mkdir(parents=True)
    stale = site / "content" / "feeds" / "big" / ".entry-0.md.x1y2z3.tmp"
    stale.write_text("---\ntitle: half an ent")  # what a SIGKILL in the middle of atomic_write leaves
    with serve_directory(served) as base:
        (site / "site.yaml").write_text(
            f"title: Ingest\nbase_url: https://example.org/\nsearch: false\nfeeds:\n  - name: Big\n    url: {base}feed.xml\n"
        )
        done = subprocess.run(command(site, "ingest"), capture_output=True, text=True, check=False)
        assert done.returncode == 0, done.stderr
    assert not stale.exists()
