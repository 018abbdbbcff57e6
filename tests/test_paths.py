"""No input can make a build write outside the output folder or read outside the site.

Slugs, tags, sources, authors (entity names), template names and config
paths are all attacker-controlled strings somewhere; symbolic links in the
content, sidecar, template and static folders may point anywhere.
"""

from __future__ import annotations

import os
import posixpath
from collections.abc import Callable
from pathlib import Path
from typing import Any

import jinja2
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from broadsheet import urls
from broadsheet.build import BuildOptions, build_site
from broadsheet.cli import main
from broadsheet.config import load_config
from broadsheet.errors import BroadsheetError
from broadsheet.output import Publisher
from broadsheet.render import make_environment

HOSTILE = [
    "../../../escape",
    "..",
    "/etc/passwd",
    "a/../../b",
    "..\\..\\win",
    "C:\\Windows\\evil",
    "%2e%2e%2fescape",
    "\u2025/escape",
    "~/.ssh/id_rsa",
    "\x00nul",
    "x" * 400,
]
PIECES = st.sampled_from(["..", ".", "", "/", "\\", "\x00", "a", "index.html", "%2e", "~", "\u2024", "x" * 300])
site_paths = st.one_of(st.text(), st.lists(PIECES, max_size=8).map("/".join), st.lists(PIECES, max_size=8).map("".join))


@settings(max_examples=500, deadline=None, derandomize=True)
@given(site_paths)
def test_output_file_never_leaves_the_output_folder(path: str) -> None:
    try:
        file = urls.output_file(path)
    except BroadsheetError as exc:
        assert "outside the output folder" in str(exc) or "longer than" in str(exc)
        return
    assert not file.startswith("/") and "\\" not in file and "\0" not in file
    assert posixpath.normpath(file) == file and file.split("/")[0] != ".." and file != "."
    assert all(0 < len(part.encode("utf-8", "surrogatepass")) <= urls.MAX_NAME for part in file.split("/"))
    root = Path("/srv/site/output")
    assert (root / file).resolve().is_relative_to(root)


@settings(max_examples=300, deadline=None, derandomize=True)
@given(st.text(), st.sampled_from([urls.article, urls.topic, urls.source, urls.tag, urls.entity, urls.cluster]))
def test_every_page_kind_is_confined_whatever_its_slug(slug: str, kind: Callable[[str], str]) -> None:
    path = kind(slug)
    try:
        file = urls.output_file(path)
    except BroadsheetError:
        return
    assert (Path("/srv/out") / file).resolve().is_relative_to(Path("/srv/out"))


@pytest.mark.parametrize("path", ["../evil.html", "/tmp/evil.html", "a/../../evil.html", "a\\..\\evil.html", "x" * 300])
def test_publisher_refuses_escaping_paths(tmp_path: Path, path: str) -> None:
    output = tmp_path / "out"
    with pytest.raises(BroadsheetError), Publisher(output, tmp_path / "state.pickle") as out:
        out.write(path, b"<p>evil</p>")
    assert sorted(p.name for p in tmp_path.rglob("*evil*")) == []


def _outside_files(tmp_path: Path, site: Path) -> set[str]:
    """Every file under ``tmp_path`` except the site's own folders and what a build may write beside them."""
    kept = []
    for path in tmp_path.rglob("*"):
        rel = path.relative_to(site).parts if path.is_relative_to(site) else ()
        if rel and rel[0] in ("output", ".output.shadow", ".output.lock", ".cache", "content"):
            continue
        kept.append(str(path.relative_to(tmp_path)))
    return set(kept)


def test_hostile_names_in_every_field_stay_inside_the_output(tmp_path: Path) -> None:
    site = tmp_path / "site"
    (site / "content").mkdir(parents=True)
    (site / "site.yaml").write_text(
        "title: Paths\nbase_url: https://example.org/\nsearch: false\n"
        "topics:\n  - name: ../../topic-escape\n    keywords: [escape]\n  - name: /etc/cron.d\n    keywords: [cron]\n"
    )
    for n, name in enumerate(HOSTILE):
        quoted = name.replace("\\", "\\\\").replace('"', '\\"').replace("\x00", "\\0")
        (site / "content" / f"a{n}.md").write_text(
            f'---\ntitle: "{quoted}"\nslug: "{quoted}"\ndate: 2025-05-0{n % 9 + 1}\n'
            f'tags: ["{quoted}", "../tag-escape"]\nauthor: "{quoted}"\nsource: "{quoted}"\n'
            f"---\nEscape attempt {n}: Judge Anna Escape met the Cron Council in Dot Dot Slash.\n"
        )
    before = _outside_files(tmp_path, site)
    result = build_site(BuildOptions(site=site))
    assert result.articles == len(HOSTILE), [str(e) for e in result.diagnostics.errors]
    assert _outside_files(tmp_path, site) == before
    output = result.output.resolve()
    for path in output.rglob("*"):
        assert path.resolve().is_relative_to(output), path
    slugs = sorted(p.name for p in (output / "articles").iterdir())
    assert all(slug.replace("-", "").isalnum() and slug.isascii() for slug in slugs), slugs


@pytest.fixture
def site(tmp_path: Path) -> Path:
    root = tmp_path / "site"
    (root / "content").mkdir(parents=True)
    (root / "site.yaml").write_text("title: Links\nbase_url: https://example.org/\nsearch: false\n")
    (root / "content" / "inside.md").write_text("---\ntitle: Inside\ndate: 2025-05-01\n---\nInside the site.\n")
    secret = tmp_path / "outside"
    secret.mkdir()
    (secret / "secret.md").write_text("---\ntitle: Secret\ndate: 2025-05-01\n---\nSECRET-TEXT\n")
    (secret / "secret.yaml").write_text("title: SECRET-SIDECAR\n")
    (secret / "secret.html").write_text("SECRET-TEMPLATE {{ site.title }}")
    (secret / "secret.css").write_text("/* SECRET-STATIC */")
    return root


def _all_output_text(site: Path) -> str:
    return "".join(p.read_text(errors="replace") for p in (site / "output").rglob("*") if p.is_file())


def test_symlinks_in_content_pointing_outside_are_refused(site: Path, capsys: pytest.CaptureFixture[str]) -> None:
    outside = site.parent / "outside"
    (site / "content" / "linked.md").symlink_to(outside / "secret.md")
    (site / "content" / "folder").symlink_to(outside, target_is_directory=True)
    (site / "content" / "inner.md").symlink_to(site / "content" / "inside.md")  # inside the site: fine
    assert main(["build", "--site", str(site)]) == 0
    err = capsys.readouterr().err
    assert "warning: content/linked.md: symbolic link to a file outside the site: skipped" in err
    assert "warning: content/folder: symbolic link to a folder outside the site: skipped" in err
    assert "SECRET-TEXT" not in _all_output_text(site)
    assert (site / "output" / "articles" / "inside" / "index.html").is_file()


def test_sidecar_linked_outside_the_site_is_refused(site: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (site / "content" / "wire.txt").write_text("Wire story\n\nBody of the wire story.\n")
    (site / "content" / "wire.yaml").symlink_to(site.parent / "outside" / "secret.yaml")
    assert main(["build", "--site", str(site)]) == 1  # the input is skipped, the exit status says so
    err = capsys.readouterr().err
    assert "error: content/wire.yaml: sidecar is a symbolic link to a file outside the site: refused" in err
    assert "SECRET-SIDECAR" not in _all_output_text(site)


def test_a_static_folder_linked_outside_the_site_is_not_published(
    site: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """``templates/static`` -> ``~/.ssh`` published ``static/id_rsa``; dot-folders (``.git/``) were copied too."""
    (site / "templates").mkdir()
    (site / "templates" / "static").symlink_to(site.parent / "outside", target_is_directory=True)
    assert main(["build", "--site", str(site)]) == 0
    err = capsys.readouterr().err
    assert "warning: templates/static: symbolic link to a folder outside the site: skipped" in err
    assert "SECRET-STATIC" not in _all_output_text(site)
    (site / "templates" / "static").unlink()
    (site / "templates" / "static" / ".git").mkdir(parents=True)
    (site / "templates" / "static" / ".git" / "config").write_text("[remote] url = https://user:SECRET@host/\n")
    (site / "templates" / "static" / "site.css").write_text("/* mine */")
    assert main(["build", "--site", str(site)]) == 0
    assert (site / "output" / "static" / "site.css").read_text() == "/* mine */"
    assert not (site / "output" / "static" / ".git").exists()


def test_templates_and_static_files_linked_outside_are_refused(site: Path, capsys: pytest.CaptureFixture[str]) -> None:
    templates = site / "templates"
    (templates / "static").mkdir(parents=True)
    (templates / "static" / "leak.css").symlink_to(site.parent / "outside" / "secret.css")
    (templates / "static" / "linked").symlink_to(site.parent / "outside", target_is_directory=True)
    assert main(["build", "--site", str(site)]) == 0
    capsys.readouterr()
    assert "SECRET-STATIC" not in _all_output_text(site)
    (templates / "404.html").symlink_to(site.parent / "outside" / "secret.html")
    assert main(["build", "--site", str(site)]) == 1
    err = capsys.readouterr().err.strip()
    assert err == f"error: {templates / '404.html'}: template is a symbolic link to a file outside its folder: refused"


@pytest.mark.parametrize("name", ["../site.yaml", "../../outside/secret.html", "/etc/passwd", "static/../../site.yaml"])
def test_template_names_cannot_climb_out(site: Path, name: str) -> None:
    env = make_environment(load_config(site))
    with pytest.raises(jinja2.TemplateNotFound):
        env.get_template(name)


def test_an_include_that_climbs_out_fails_the_build_naming_the_template(
    site: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (site / "templates").mkdir()
    (site / "templates" / "404.html").write_text('{% include "../../outside/secret.html" %}\n')
    assert main(["build", "--site", str(site)]) == 1
    err = capsys.readouterr().err
    assert "template not found: ../../outside/secret.html" in err
    assert "SECRET-TEMPLATE" not in err


@pytest.mark.parametrize(
    ("key", "value"), [("content", "../outside"), ("seeds", "/etc"), ("templates", "../../x"), ("data", "../outside")]
)
def test_config_paths_must_stay_inside_the_site(site: Path, key: str, value: str) -> None:
    with (site / "site.yaml").open("a") as handle:
        handle.write(f"paths:\n  {key}: {value}\n")
    with pytest.raises(BroadsheetError, match=f"'paths.{key}' must be inside the site folder"):
        load_config(site)


def test_gazetteer_path_must_stay_in_the_data_folder(site: Path) -> None:
    with (site / "site.yaml").open("a") as handle:
        handle.write("enrich:\n  gazetteer: ../../outside/secret.yaml\n")
    with pytest.raises(BroadsheetError, match=r"enrich\.gazetteer must be inside the data folder"):
        build_site(BuildOptions(site=site))


def test_output_folder_holding_the_content_is_refused(site: Path) -> None:
    for output in (site, site.parent, site / "content"):
        with pytest.raises(BroadsheetError, match="refusing to build into"):
            build_site(BuildOptions(site=site, output=output))
    assert (site / "content" / "inside.md").is_file()


@pytest.mark.parametrize("folder", ["content", "seeds", "templates", "data"])
def test_output_folder_inside_a_folder_the_build_reads_is_refused(site: Path, folder: str) -> None:
    """In ``content/site``, the next build would read its own feeds and ``robots.txt`` as articles."""
    (site / folder).mkdir(exist_ok=True)
    before = sorted(site.rglob("*"))
    with pytest.raises(BroadsheetError, match=f"refusing to build into .*: it is inside {folder}/, which the build"):
        build_site(BuildOptions(site=site, output=site / folder / "site"))
    assert sorted(site.rglob("*")) == before  # nothing written, not even the lock beside it


def test_output_and_cache_may_lie_outside_the_site(site: Path, tmp_path: Path) -> None:
    (site / "site.yaml").write_text((site / "site.yaml").read_text() + "paths: {output: ../public, cache: ../cache}\n")
    result = build_site(BuildOptions(site=site))
    assert result.output == site.parent / "public"
    assert (site.parent / "public" / "articles" / "inside" / "index.html").is_file()
    assert (site.parent / "cache").is_dir() and not (site / ".cache").exists()


def test_a_symlinked_output_folder_is_replaced_not_followed(site: Path, tmp_path: Path) -> None:
    """``output`` as a link: the build swaps the link itself and never writes through it into its target."""
    target = tmp_path / "elsewhere"
    target.mkdir()
    (target / "keep.txt").write_text("mine")
    os.symlink(target, site / "output")
    with pytest.raises(BroadsheetError, match="refusing to replace"):
        build_site(BuildOptions(site=site))
    assert (target / "keep.txt").read_text() == "mine"
    assert sorted(p.name for p in target.iterdir()) == ["keep.txt"]


def test_an_unreadable_content_folder_is_reported_and_the_rest_built(
    site: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    (site / "content" / "locked").mkdir()
    (site / "content" / "locked" / "hidden.md").write_text("---\ntitle: Hidden\ndate: 2025-05-01\n---\nHidden.\n")
    scandir = os.scandir

    def refusing(path: Any) -> Any:  # as for another user's folder (the tests may run as root, who reads all)
        if Path(path).name == "locked":
            raise PermissionError(13, "Permission denied", str(path))
        return scandir(path)

    monkeypatch.setattr(os, "scandir", refusing)
    assert main(["build", "--site", str(site)]) == 0
    assert "warning: content/locked: cannot list this folder (Permission denied): skipped" in capsys.readouterr().err
    assert (site / "output" / "articles" / "inside" / "index.html").is_file()
    assert not (site / "output" / "articles" / "hidden").exists()


def test_an_output_that_is_a_file_is_refused_by_every_way_into_a_build(site: Path) -> None:
    """``serve`` and ``build_site`` callers pass no command line: the file would be swapped out and deleted."""
    notes = site.parent / "notes.txt"
    notes.write_text("mine", encoding="utf-8")
    with pytest.raises(BroadsheetError, match="not a folder"):
        build_site(BuildOptions(site=site, output=notes))
    assert notes.read_text(encoding="utf-8") == "mine"
