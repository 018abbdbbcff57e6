"""Per-output-folder state in .cache/: a set for each folder built into, swept once the folder is gone."""

from __future__ import annotations

import shutil
from pathlib import Path

from broadsheet.build import BuildOptions, build_site
from broadsheet.fingerprint import digest
from broadsheet.state_files import STATE_KINDS, note_folder, sweep


def build(site: Path, output: Path) -> None:
    build_site(BuildOptions(site=site, output=output, jobs=1))


def state_of(cache: Path, output: Path) -> list[str]:
    """The names of the files kept for ``output``."""
    return sorted(p.name for p in cache.iterdir() if digest(str(output)) in p.name)


def test_the_state_of_a_removed_output_folder_is_swept_by_the_next_build(sample_site: Path, tmp_path: Path) -> None:
    cache = sample_site / ".cache"
    first, second = tmp_path / "first", tmp_path / "second"
    build(sample_site, first)
    kept = state_of(cache, first)
    # Every kind of state, and the note of whose it is.
    assert {name.split("-" + digest(str(first)))[0] for name in kept} == {*STATE_KINDS, "where"}
    build(sample_site, second)
    assert state_of(cache, first) == kept  # the first folder is still there: its state stays
    mine = [cache / "where-my-notes.txt", cache / "output-of-last-year.pickle", cache / f"texts-{'0' * 32}.pickle"]
    for path in mine:
        path.write_text("a user's own file", encoding="utf-8")
    shutil.rmtree(first)
    build(sample_site, second)
    assert state_of(cache, first) == []
    assert state_of(cache, second)  # this build's own, of course, stays
    assert all(path.read_text(encoding="utf-8") == "a user's own file" for path in mine)
    build(sample_site, first)  # built again into the same place: a clean build, state anew
    assert state_of(cache, first) == kept


def test_a_set_without_a_note_or_with_a_note_of_another_folder_is_left_alone(tmp_path: Path) -> None:
    cache, here = tmp_path / ".cache", tmp_path / "here"
    gone, elsewhere = tmp_path / "gone", tmp_path / "elsewhere"
    cache.mkdir()
    for folder in (gone, elsewhere):
        (cache / f"output-{digest(str(folder))}.pickle").write_bytes(b"state")
    # gone's note names another folder than its digest says: whose state it is is not known.
    (cache / f"where-{digest(str(gone))}.txt").write_text(str(tmp_path / "other"), encoding="utf-8")
    assert sweep(cache, here) == []
    note_folder(cache, elsewhere)  # named, but the folder does not exist: swept
    assert sweep(cache, here) == [
        cache / f"output-{digest(str(elsewhere))}.pickle",
        cache / f"where-{digest(str(elsewhere))}.txt",
    ]
    assert (cache / f"output-{digest(str(gone))}.pickle").exists()


def test_the_note_is_written_once_and_the_folder_being_built_is_never_swept(tmp_path: Path) -> None:
    cache, output = tmp_path / ".cache", tmp_path / "not-made-yet"
    note_folder(cache, output)
    note = cache / f"where-{digest(str(output))}.txt"
    before = note.stat().st_mtime_ns
    note_folder(cache, output)
    assert note.stat().st_mtime_ns == before and note.read_text(encoding="utf-8") == str(output)
    (cache / f"inputs-{digest(str(output))}.pickle").write_bytes(b"state")
    assert sweep(cache, output) == []  # its folder is not there yet, but it is the one being built
