"""output.Publisher.keep_set: a page set is kept whole from the live build, or not at all."""

from __future__ import annotations

import pickle
from pathlib import Path

import pytest

from broadsheet.errors import BroadsheetError
from broadsheet.output import Publisher, SetRecord, content_hash

PAGES = {"a/": b"<p>a</p>", "b/": b"<p>b</p>"}


def _first_build(tmp_path: Path) -> tuple[Path, Path]:
    output, state = tmp_path / "out", tmp_path / "state.pickle"
    with Publisher(output, state) as out:
        for path, data in PAGES.items():
            out.write(path, data, f"fp-{path}")
        out.record_set("pair", SetRecord("set-fp", tuple(PAGES), tuple(f"{p}index.html" for p in PAGES), "<url/>"))
        out.write("c/", b"<p>c</p>", "fp-c/")
        out.record_set("c/", SetRecord("c-fp", ("c/",), ("c/index.html",), ""))
    return output, state


def test_a_set_with_its_fingerprint_is_kept_whole_and_another_fingerprint_is_not(tmp_path: Path) -> None:
    output, state = _first_build(tmp_path)
    with Publisher(output, state) as out:
        assert out.keep_set("pair", "another fingerprint") is None
        assert out.keep_set("nobody", "set-fp") is None
        kept = out.keep_set("pair", "set-fp")
        assert kept is not None and kept.paths == ("a/", "b/")
        assert out.desired == {f"{p}index.html": content_hash(data) for p, data in PAGES.items()}
        assert out.fingerprints == {"a/": "fp-a/", "b/": "fp-b/"}
    assert sorted(p.relative_to(output).as_posix() for p in output.rglob("index.html")) == [
        "a/index.html",
        "b/index.html",
    ]
    assert (output / "a" / "index.html").read_bytes() == PAGES["a/"]


def test_a_set_whose_page_is_no_longer_known_is_made_again(tmp_path: Path) -> None:
    output, state = _first_build(tmp_path)
    with Publisher(output, state) as out:
        del out.state.fingerprints["b/"]  # e.g. a state written by a build that failed half-way
        assert out.keep_set("pair", "set-fp") is None
        assert out.desired == {}


def test_a_kept_set_cannot_claim_a_file_already_written(tmp_path: Path) -> None:
    output, state = _first_build(tmp_path)
    with (
        pytest.raises(BroadsheetError, match=r"two outputs for the same file: c/index\.html"),
        Publisher(output, state) as out,
    ):
        out.write("c/", b"<p>another c</p>", "fp-c2")
        out.keep_set("c/", "c-fp")


def test_the_state_survives_a_round_trip(tmp_path: Path) -> None:
    output, state = _first_build(tmp_path)
    with Publisher(output, state) as out:
        saved = out.state
        assert saved.sets["pair"] == SetRecord("set-fp", ("a/", "b/"), ("a/index.html", "b/index.html"), "<url/>")
        assert saved.fingerprints == {"a/": "fp-a/", "b/": "fp-b/", "c/": "fp-c/"}
        assert set(saved.live.files) == {"a/index.html", "b/index.html", "c/index.html"}


def test_the_shadow_is_stored_as_its_difference_from_the_live_site_and_read_back_whole(tmp_path: Path) -> None:
    output, state = _first_build(tmp_path)
    with Publisher(output, state) as out:
        first_live = dict(out.state.live.files)
        out.write("a/", b"<p>a, edited</p>", "fp-a2")  # changed
        out.keep_set("c/", "c-fp")  # kept
        out.write("d/", b"<p>d</p>", "fp-d")  # new; b/ is gone
    stored = pickle.loads(state.read_bytes())
    assert stored[5] == {"a/index.html": first_live["a/index.html"], "b/index.html": first_live["b/index.html"]}
    assert stored[6] == ["d/index.html"]  # in the live site only
    with Publisher(output, state) as out:
        assert out.state.shadow.files == first_live  # the site before the last build, now the shadow
        assert out.state.live.files == {
            "a/index.html": content_hash(b"<p>a, edited</p>"),
            "c/index.html": content_hash(b"<p>c</p>"),
            "d/index.html": content_hash(b"<p>d</p>"),
        }
        assert out.current == first_live  # the shadow folder is trusted to hold exactly that


@pytest.mark.parametrize(
    "damage",
    [
        b"",
        b"\x00\x01 not a pickle",
        pickle.dumps((3, "x")),
        pickle.dumps((3, "/elsewhere", "g", 1, "g", 2, 3, 4, 5)),
        b"\x80\x05",
        pickle.dumps((2, "an OutputState of format 2")),
    ],
    ids=["empty", "garbage", "short", "wrong shapes", "cut short", "older format"],
)
def test_a_damaged_or_foreign_state_means_trust_nothing(tmp_path: Path, damage: bytes) -> None:
    output, state = _first_build(tmp_path)
    state.write_bytes(damage)
    with Publisher(output, state) as out:
        assert out.state.sets == {} and out.state.fingerprints == {} and out.state.live.files == {}
        assert out.keep_set("pair", "set-fp") is None
        out.write("a/", b"<p>a again</p>", "fp-a2")
    assert (output / "a" / "index.html").read_bytes() == b"<p>a again</p>"
    assert not (output / "b").exists()


def test_a_state_recorded_for_another_output_folder_is_not_trusted(tmp_path: Path) -> None:
    output, state = _first_build(tmp_path)
    moved = tmp_path / "moved"
    output.rename(moved)
    with Publisher(moved, state) as out:
        assert out.keep_set("pair", "set-fp") is None


def test_a_changed_set_with_the_same_pages_takes_their_recorded_files_and_new_pages_are_confined(
    tmp_path: Path,
) -> None:
    output, state = _first_build(tmp_path)
    with Publisher(output, state) as out:
        recorded = out.state.sets["pair"].files
        assert out.files_of("pair", ("a/", "b/")) is recorded  # the very tuple: no path confined again
        assert out.files_of("pair", ("a/", "b/", "d/")) == ("a/index.html", "b/index.html", "d/index.html")
        assert out.files_of("new", ("e/", "feed.xml")) == ("e/index.html", "feed.xml")
        with pytest.raises(BroadsheetError, match="outside the output folder"):
            out.files_of("pair", ("a/", "../escape/"))
        # A page kept by its own fingerprint (a changed list's unchanged page) with the file given.
        assert not out.keep_if_unchanged("a/", "another fingerprint", "a/index.html")
        assert out.keep_if_unchanged("a/", "fp-a/", "a/index.html")
        assert out.desired == {"a/index.html": content_hash(PAGES["a/"])}
