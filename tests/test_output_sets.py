"""output.Publisher.keep_set: a page set is kept whole from the live build, or not at all."""

from __future__ import annotations

import pickle
from collections.abc import Callable
from pathlib import Path

import pytest

from broadsheet.errors import BroadsheetError
from broadsheet.output import Publisher, content_hash
from broadsheet.output_state import OutputState, SetRecord, StateFile, TreeState

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


def test_sets_kept_in_bulk_are_kept_as_one_by_one(tmp_path: Path) -> None:
    output, state = _first_build(tmp_path)
    wanted = [("pair", "set-fp"), ("c/", "another fingerprint"), ("nobody", "x")]
    with Publisher(output, state) as out:
        single = [out.keep_set(name, fingerprint) for name, fingerprint in wanted]
        one_by_one = (dict(out.desired), dict(out.fingerprints), dict(out.sets))
    output, state = _first_build(tmp_path / "again")
    with Publisher(output, state) as out:
        assert out.keep_sets(wanted) == single and single[0] is not None and single[1:] == [None, None]
        assert (out.desired, out.fingerprints, out.sets) == one_by_one
    assert (output / "a" / "index.html").read_bytes() == PAGES["a/"]


def test_sets_kept_in_bulk_leave_a_set_missing_a_page_to_be_made_and_refuse_a_file_claimed_twice(
    tmp_path: Path,
) -> None:
    output, state = _first_build(tmp_path)
    with Publisher(output, state) as out:
        del out.state.fingerprints["b/"]
        assert out.keep_sets([("pair", "set-fp"), ("c/", "c-fp")]) == [None, out.state.sets["c/"]]
        assert set(out.desired) == {"c/index.html"}
    with (
        pytest.raises(BroadsheetError, match=r"two outputs for the same file: c/index\.html"),
        Publisher(output, state) as out,
    ):
        out.state.sets["copy"] = out.state.sets["c/"]
        out.keep_sets([("c/", "c-fp"), ("copy", "c-fp")])


def test_kept_sets_are_linked_into_a_new_shadow_replacing_a_file_put_there_by_hand(tmp_path: Path) -> None:
    output, state = _first_build(tmp_path)  # a first build leaves no shadow: the next one links every kept file
    shadow = output.with_name(".out.shadow")
    assert not shadow.exists()
    with Publisher(output, state) as out:
        (shadow / "b").mkdir()
        (shadow / "b" / "index.html").write_bytes(b"put there by hand")  # in no record
        assert all(out.keep_sets([("pair", "set-fp"), ("c/", "c-fp")]))
        for file in ("a/index.html", "b/index.html", "c/index.html"):
            assert (shadow / file).stat().st_ino == (output / file).stat().st_ino  # a hard link: no bytes copied
    assert (output / "b" / "index.html").read_bytes() == PAGES["b/"]
    assert (output / "c" / "index.html").read_bytes() == b"<p>c</p>"


def test_a_kept_file_that_cannot_be_linked_is_named_and_the_live_site_is_kept(tmp_path: Path) -> None:
    output, state = _first_build(tmp_path)
    shadow = output.with_name(".out.shadow")
    with (
        pytest.raises(BroadsheetError, match=r"cannot write a/index\.html: Not a directory"),
        Publisher(output, state) as out,
    ):
        (shadow / "a").write_bytes(b"a file where a folder goes")
        out.keep_sets([("pair", "set-fp")])
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
    assert stored[1] == "base" and not state.with_suffix(".delta").exists()  # most of the state changed
    assert stored[7] == {"a/index.html": first_live["a/index.html"], "b/index.html": first_live["b/index.html"]}
    assert stored[8] == ["d/index.html"]  # in the live site only
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
    [  # each given the output folder's path, so only the damage can make the state untrusted
        lambda output: b"",
        lambda output: b"\x00\x01 not a pickle",
        lambda output: pickle.dumps((4, "x")),
        lambda output: pickle.dumps((4, "base", "id", "/elsewhere", "g", {}, "g", {}, [], {}, {})),
        lambda output: pickle.dumps((4, "base", "id", output, "g", 1, "g", 2, 3, 4, 5)),
        lambda output: b"\x80\x05",
        lambda output: pickle.dumps((3, "an OutputState of format 3", output, "y", "z", 1, 2, 3, 4)),
    ],
    ids=["empty", "garbage", "short", "another output", "wrong shapes", "cut short", "older format"],
)
def test_a_damaged_or_foreign_state_means_trust_nothing(tmp_path: Path, damage: Callable[[str], bytes]) -> None:
    output, state = _first_build(tmp_path)
    state.write_bytes(damage(str(output)))
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


def _many_pages_build(tmp_path: Path, count: int = 40) -> tuple[Path, Path]:
    output, state = tmp_path / "out", tmp_path / "state.pickle"
    with Publisher(output, state) as out:
        for n in range(count):
            out.write(f"p{n}/", f"<p>{n}</p>".encode(), f"fp-{n}")
            out.record_set(f"p{n}/", SetRecord(f"set-{n}", (f"p{n}/",), (f"p{n}/index.html",), f"<url>{n}</url>"))
    return output, state


def _edit_one(output: Path, state: Path, text: bytes) -> None:
    with Publisher(output, state) as out:
        for n in range(1, 40):
            assert out.keep_set(f"p{n}/", f"set-{n}") is not None
        out.write("p0/", text, "fp-0-edited")
        out.record_set("p0/", SetRecord("set-0-edited", ("p0/",), ("p0/index.html",), "<url>0</url>"))


def test_a_small_change_writes_a_delta_and_reads_back_the_same_state(tmp_path: Path) -> None:
    output, state = _many_pages_build(tmp_path)
    base_bytes = state.read_bytes()
    _edit_one(output, state, b"<p>0, edited</p>")
    delta = state.with_suffix(".delta")
    assert state.read_bytes() == base_bytes and delta.exists()  # only the change was written
    assert len(delta.read_bytes()) < len(base_bytes) / 4
    _edit_one(output, state, b"<p>0, edited twice</p>")  # a second delta replaces the first: changes since the base
    with Publisher(output, state) as out:
        assert out.state.live.files["p0/index.html"] == content_hash(b"<p>0, edited twice</p>")
        assert out.state.shadow.files["p0/index.html"] == content_hash(b"<p>0, edited</p>")
        assert out.state.fingerprints["p0/"] == "fp-0-edited" and out.state.fingerprints["p7/"] == "fp-7"
        assert out.state.sets["p0/"].fingerprint == "set-0-edited"
        assert out.state.sets["p7/"] == SetRecord("set-7", ("p7/",), ("p7/index.html",), "<url>7</url>")
        assert len(out.state.live.files) == 40
        assert out.keep_set("p3/", "set-3") is not None  # trusted: kept without rendering
        out.write("p0/", b"<p>0, edited twice</p>", "fp-0-edited")
    assert (output / "p0/index.html").read_bytes() == b"<p>0, edited twice</p>"
    assert sorted(p.name for p in (output).iterdir()) == [".broadsheet-output", *sorted(f"p{n}" for n in (0, 3))]


def test_a_delta_of_another_base_or_a_damaged_delta_means_trust_nothing(tmp_path: Path) -> None:
    output, state = _many_pages_build(tmp_path)
    _edit_one(output, state, b"<p>0, edited</p>")
    delta = state.with_suffix(".delta")
    stale = delta.read_bytes()
    with Publisher(output, state) as out:  # a build that changes everything rewrites the base (a new id)...
        for n in range(40):
            out.write(f"p{n}/", f"<p>{n}, all new</p>".encode(), f"fp-new-{n}")
    assert not delta.exists()  # ... and removes the delta of the old one
    delta.write_bytes(stale)  # as if a build was killed between writing the base and removing the delta
    with Publisher(output, state) as out:
        assert out.state.sets == {} and out.state.fingerprints == {} and out.state.live.files == {}

    output, state = _many_pages_build(tmp_path / "again")
    _edit_one(output, state, b"<p>0, edited</p>")
    state.with_suffix(".delta").write_bytes(b"\x80\x05 cut short")
    with Publisher(output, state) as out:
        assert out.state.sets == {} and out.state.fingerprints == {} and out.state.live.files == {}


def test_a_state_file_saved_twice_writes_what_changed_since_its_base(tmp_path: Path) -> None:
    """The base a delta is taken against is what was written, not the caller's dicts as they are now."""
    file = StateFile(tmp_path / "state.pickle")
    files = {f"p{n}/index.html": f"sha-{n}" for n in range(40)}
    state = OutputState("/site/output", TreeState("g1", files), TreeState("g0", dict(files)), {}, {})
    file.save(state)  # a base
    state.live.files["p0/index.html"] = "sha-0-edited"  # changed in place, as a caller may
    state.live.generation = "g2"
    file.save(state)  # a delta against the base as written
    assert file.delta_file.exists()
    assert StateFile(file.file).load("/site/output").live.files == state.live.files


def test_changes_report_new_and_differing_values_and_removed_keys_but_not_equal_copies() -> None:
    from broadsheet.output_state import _changes

    shared = "sha-" + "a" * 60
    base = {"same": shared, "copy": "x" * 70, "edited": "old", "gone": "g"}
    new = {"same": shared, "copy": "".join(["x" * 35, "x" * 35]), "edited": "new", "added": "n", "none": None}
    assert new["copy"] is not base["copy"]  # an equal value, another object: compared, not reported
    changed, removed = _changes(new, base)
    assert changed == {"edited": "new", "added": "n", "none": None}
    assert removed == ["gone"]
    assert _changes(base, dict(base)) == ({}, [])
    # The same among the keys where the two may differ (any others are left out, whatever they hold).
    among = _changes(new, base, {"copy", "edited", "added", "none", "gone", "in neither"})
    assert among == ({"edited": "new", "added": "n", "none": None}, ["gone"])
    assert _changes(new, base, {"same", "copy"}) == ({}, [])


def _build_with_loose_files(tmp_path: Path) -> tuple[Path, Path]:
    output, state = _first_build(tmp_path)
    with Publisher(output, state) as out:
        out.keep_sets([("pair", "set-fp"), ("c/", "c-fp")])
        out.write("robots.txt", b"User-agent: *\n")  # outside every set, no fingerprint
        out.write("feed.xml", b"<rss/>", "fp-feed")  # outside every set, fingerprinted
    return output, state


def test_the_state_names_the_files_outside_every_set(tmp_path: Path) -> None:
    from broadsheet.output_state import Loose

    output, state = _build_with_loose_files(tmp_path)
    with Publisher(output, state) as out:
        assert out.state.loose == Loose(("feed.xml", "robots.txt"), ("feed.xml",))


@pytest.mark.parametrize("damaged", [False, True])
def test_sets_kept_as_a_copy_of_the_live_site_are_kept_as_one_by_one(tmp_path: Path, damaged: bool) -> None:
    """Kept by copy (the live files less loose ones and those of sets not kept), or, when the counts do not
    come out (a state naming too few loose files), page by page: the same either way."""
    from broadsheet.output_state import Loose

    wanted = [("pair", "set-fp"), ("c/", "another fingerprint")]
    output, state = _build_with_loose_files(tmp_path / "one")
    with Publisher(output, state) as out:
        single = [out.keep_set(name, fingerprint) for name, fingerprint in wanted]
        one_by_one = (dict(out.desired), dict(out.fingerprints), dict(out.sets))
    output, state = _build_with_loose_files(tmp_path / "bulk")
    with Publisher(output, state) as out:
        if damaged:
            out.state.loose = Loose(("robots.txt",), ())
        assert out._keep_by_copy(wanted, [out.state.sets["pair"], None]) is not damaged
    output, state = _build_with_loose_files(tmp_path / "again")
    with Publisher(output, state) as out:
        if damaged:
            out.state.loose = Loose(("robots.txt",), ())
        assert out.keep_sets(wanted) == single
        assert (out.desired, out.fingerprints, out.sets) == one_by_one
        assert set(out.desired) == {"a/index.html", "b/index.html"}  # feeds, robots.txt and c/ are made again
        out.write("c/", b"<p>c</p>", "fp-c/")
        out.write("robots.txt", b"User-agent: *\n")
    assert sorted(p.relative_to(output).as_posix() for p in output.rglob("*") if p.is_file()) == [
        ".broadsheet-output",
        "a/index.html",
        "b/index.html",
        "c/index.html",
        "robots.txt",
    ]


def test_rebuilds_keeping_sets_by_copy_save_deltas_that_read_back_as_the_state_they_left(tmp_path: Path) -> None:
    """The deltas are found among the keys each build touched and those of the delta before it (since the base)."""
    from broadsheet.output import _generation

    output, state = _many_pages_build(tmp_path)
    with Publisher(output, state) as out:  # a loose file too, so every later state knows its loose files
        out.keep_sets([(f"p{n}/", f"set-{n}") for n in range(40)])
        out.write("robots.txt", b"User-agent: *\n")
    pages = {n: f"<p>{n}</p>".encode() for n in range(40)}
    steps: list[tuple[dict[int, bytes], set[int]]] = [
        ({0: b"<p>0, edited</p>"}, set()),
        ({1: b"<p>1, edited</p>"}, set()),  # the shadow still holds the old p0: linked from the live site
        ({40: b"<p>40, new</p>"}, {2}),  # a set added, one gone
        ({0: b"<p>0, edited again</p>"}, set()),
    ]
    for changed, gone in steps:
        pages.update(changed)
        for n in gone:
            del pages[n]
        with Publisher(output, state) as out:
            wanted = [(f"p{n}/", f"set-{n}") for n in sorted(pages) if n not in changed]
            assert all(out.keep_sets(wanted)) and out.touched is not None  # kept as a copy of the live site
            for n, data in changed.items():
                out.write(f"p{n}/", data, f"fp-{n}-{len(data)}")
                out.record_set(f"p{n}/", SetRecord(f"set-{n}", (f"p{n}/",), (f"p{n}/index.html",), ""))
            out.write("robots.txt", b"User-agent: *\n")
            if gone:  # a new feed: a fingerprinted path outside every set
                out.write("feed.xml", b"<rss/>", "fp-feed")
        assert state.with_suffix(".delta").exists()
        left = out.state
        saved = StateFile(state).load(str(output))
        assert saved.persisted() == left.persisted()
        assert saved.live.generation == _generation(saved.live.files)
        site = {p.relative_to(output).as_posix(): p.read_bytes() for p in output.rglob("*") if p.is_file()}
        expected = {f"p{n}/index.html": data for n, data in pages.items()} | {"robots.txt": b"User-agent: *\n"}
        expected |= {"feed.xml": b"<rss/>"} if gone else {}
        assert {file: data for file, data in site.items() if file != ".broadsheet-output"} == expected


def test_a_page_written_over_a_hard_link_to_the_live_site_is_a_new_file(tmp_path: Path) -> None:
    """``put`` never writes through what the shadow holds: a hard link to the live site's file, or a link."""
    output, state = _first_build(tmp_path)
    outside = tmp_path / "outside.html"
    outside.write_bytes(b"not ours")
    edited = b"<p>a, edited</p>"
    with pytest.raises(KeyboardInterrupt), Publisher(output, state) as out:
        assert out.keep_set("pair", "set-fp") is not None  # a/ and b/ are hard links into the live site now
        live_inode = (output / "a" / "index.html").stat().st_ino
        assert (out.shadow / "a" / "index.html").stat().st_ino == live_inode
        assert out.put("a/index.html", edited, content_hash(edited), content_hash(PAGES["a/"]))
        assert (out.shadow / "a" / "index.html").read_bytes() == edited
        assert (out.shadow / "a" / "index.html").stat().st_ino != live_inode
        assert (output / "a" / "index.html").read_bytes() == PAGES["a/"]  # the live site is untouched
        (out.shadow / "d").mkdir()
        (out.shadow / "d" / "index.html").symlink_to(outside)
        assert out.put("d/index.html", b"<p>d</p>", content_hash(b"<p>d</p>"), None)
        assert not (out.shadow / "d" / "index.html").is_symlink()
        assert (out.shadow / "d" / "index.html").read_bytes() == b"<p>d</p>"
        assert out.put("e/f/g/index.html", b"<p>g</p>", content_hash(b"<p>g</p>"), None)  # its folders made
        assert (out.shadow / "e" / "f" / "g" / "index.html").read_bytes() == b"<p>g</p>"
        assert not out.put("b/index.html", PAGES["b/"], content_hash(PAGES["b/"]), content_hash(PAGES["b/"]))
        raise KeyboardInterrupt  # a build stopped here: the live site stays as it was
    assert outside.read_bytes() == b"not ours"
    assert (output / "a" / "index.html").read_bytes() == PAGES["a/"]
    assert not (output / "d").exists()
