"""A confused or careless user at the command line, in ``site.yaml`` and in template overrides.

Each test is one mistake, made through the real command line: the answer is
one line naming the file (and line, where known), a non-zero exit status, no
traceback, and nothing the user owns overwritten or deleted.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from broadsheet.cli import main

SITE_YAML = "title: T\nbase_url: https://example.org/\nsearch: false\n"
ARTICLE = "---\ntitle: Hello world\ndate: 2025-05-01\n---\nBody text about the world.\n"
# Named like the files and folders a build's cache cleans up (articles-*, bodies-*, templates-*).
USER_ARTICLE = "---\ntitle: Articles of faith\ndate: 2025-05-02\n---\nAnother body of text.\n"


@pytest.fixture
def site(tmp_path: Path) -> Path:
    root = tmp_path / "site"
    (root / "content").mkdir(parents=True)
    (root / "site.yaml").write_text(SITE_YAML, encoding="utf-8")
    (root / "content" / "a.md").write_text(ARTICLE, encoding="utf-8")
    return root


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, list[str]]:
    """Run the CLI: its exit status and its stderr lines (never a traceback)."""
    status = main(list(argv))
    err = capsys.readouterr().err
    assert "Traceback" not in err
    return status, err.splitlines()


def fails(capsys: pytest.CaptureFixture[str], *argv: str) -> str:
    """Run the CLI, expecting exit status 1 and exactly one line, an error: that line."""
    status, lines = run(capsys, *argv)
    assert status == 1, lines
    assert len(lines) == 1, lines
    assert lines[0].startswith("error: "), lines
    return lines[0]


def usage_error(capsys: pytest.CaptureFixture[str], *argv: str) -> str:
    """Run the CLI, expecting argparse to refuse the arguments (exit status 2): its error line."""
    with pytest.raises(SystemExit) as stopped:
        main(list(argv))
    assert stopped.value.code == 2
    err = capsys.readouterr().err
    assert "Traceback" not in err
    return err.splitlines()[-1]


def configure(site: Path, extra: str) -> None:
    (site / "site.yaml").write_text(SITE_YAML + extra, encoding="utf-8")


# --- output and cache folders: nothing the user owns is replaced or deleted -----------------


def run_cli(args: list[str], timeout: int) -> subprocess.CompletedProcess[str]:
    """``broadsheet ARGS`` in a process of its own: what would crash it (a deep recursion) cannot take pytest down."""
    return subprocess.run(
        [sys.executable, "-m", "broadsheet", *args], capture_output=True, text=True, timeout=timeout, check=False
    )


def test_output_that_is_a_file_is_refused_and_kept(site: Path, capsys: pytest.CaptureFixture[str]) -> None:
    notes = site.parent / "notes.txt"
    notes.write_text("mine", encoding="utf-8")
    line = fails(capsys, "build", "--site", str(site), "--output", str(notes))
    assert "notes.txt" in line and "not a folder" in line
    assert notes.read_text(encoding="utf-8") == "mine"
    assert not (site.parent / ".notes.txt.shadow").exists()


def test_paths_output_naming_a_file_is_refused_with_its_line(site: Path, capsys: pytest.CaptureFixture[str]) -> None:
    configure(site, "paths: {output: site.yaml}\n")
    line = fails(capsys, "build", "--site", str(site))
    assert line.startswith("error: site.yaml:4: 'paths.output'")
    assert "not a folder" in line
    assert (site / "site.yaml").is_file()


@pytest.mark.parametrize("cache", [".", "content", "templates", "data", "output", "output/.cache", "/"])
def test_cache_in_a_folder_of_the_site_is_refused(site: Path, capsys: pytest.CaptureFixture[str], cache: str) -> None:
    """The cache folder's clean-up deletes ``articles-*``, ``bodies-*`` and ``templates-*``: never in the user's."""
    (site / "content" / "articles-of-faith.md").write_text(USER_ARTICLE, encoding="utf-8")
    (site / "templates-old").mkdir()
    (site / "templates-old" / "notes.txt").write_text("mine", encoding="utf-8")
    configure(site, f"paths: {{cache: '{cache}'}}\n")
    line = fails(capsys, "build", "--site", str(site))
    assert line.startswith("error: site.yaml:4: 'paths.cache'")
    assert (site / "content" / "articles-of-faith.md").is_file()
    assert (site / "templates-old" / "notes.txt").is_file()
    assert not (site / "output").exists()


def test_a_cache_outside_the_site_is_still_allowed(site: Path, capsys: pytest.CaptureFixture[str]) -> None:
    configure(site, f"paths: {{cache: '{site.parent / 'elsewhere'}'}}\n")
    status, _ = run(capsys, "build", "--site", str(site))
    assert status == 0
    assert (site.parent / "elsewhere").is_dir()


def test_a_path_holding_a_nul_is_one_line(site: Path, capsys: pytest.CaptureFixture[str]) -> None:
    configure(site, 'paths: {output: "out\\0x"}\n')
    assert fails(capsys, "build", "--site", str(site)).startswith("error: site.yaml:4: 'paths.output'")


def test_a_folder_that_cannot_be_made_is_one_line(site: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (site / "notes.txt").write_text("mine", encoding="utf-8")
    configure(site, "paths: {cache: notes.txt/cache}\n")
    line = fails(capsys, "build", "--site", str(site))
    assert "notes.txt/cache" in line
    assert (site / "notes.txt").read_text(encoding="utf-8") == "mine"


def test_site_that_is_a_file_says_so(site: Path, capsys: pytest.CaptureFixture[str]) -> None:
    line = fails(capsys, "build", "--site", str(site / "site.yaml"))
    assert line == f"error: {site / 'site.yaml'}: not a folder: --site takes the folder holding site.yaml"


def test_absurd_job_counts_are_refused(site: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """Every job is a forked process: ``--jobs 100000`` would fork that many."""
    line = usage_error(capsys, "build", "--site", str(site), "--jobs", "100000")
    assert "--jobs" in line and "at most" in line


# --- site.yaml ---------------------------------------------------------------------------------


def test_a_key_given_twice_is_refused_at_its_second_line(site: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (site / "site.yaml").write_text("title: T\nbase_url: https://example.org/\ntitle: U\n", encoding="utf-8")
    assert (
        fails(capsys, "build", "--site", str(site)) == "error: site.yaml:3: key 'title' given twice (first on line 1)"
    )
    configure(site, "topics:\n  - name: a\n    keywords: [x]\n    keywords: [y]\n")
    assert fails(capsys, "build", "--site", str(site)).startswith("error: site.yaml:7: key 'keywords' given twice")


@pytest.mark.parametrize(
    "url",
    [
        "https://",
        "https:///x",
        "https://example.org/?page=1",
        "https://example.org/#top",
        "http://exa mple.org/",
        "https://user:secret@example.org/",
        "https://example.org:99999/",
        "//example.org/",
    ],
)
def test_base_url_must_be_a_usable_address(site: Path, capsys: pytest.CaptureFixture[str], url: str) -> None:
    (site / "site.yaml").write_text(f"title: T\nbase_url: '{url}'\n", encoding="utf-8")
    assert fails(capsys, "build", "--site", str(site)).startswith("error: site.yaml:2: 'base_url'")
    assert not (site / "output").exists()


@pytest.mark.parametrize(
    ("url", "kept"),
    [
        ("https://example.org/news", "https://example.org/news/"),
        ("http://localhost:8000/", "http://localhost:8000/"),
        ("/", "/"),
        ("/digest/", "/digest/"),
    ],
)
def test_usable_base_urls_still_pass(tmp_path: Path, url: str, kept: str) -> None:
    from broadsheet.config import parse_config

    config = parse_config(f"title: T\nbase_url: '{url}'\n", tmp_path, Path("site.yaml"))
    assert config.base_url == kept


def test_site_yaml_not_utf8_names_its_line(site: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (site / "site.yaml").write_bytes(b"base_url: https://example.org/\ntitle: Caf\xe9\n")
    line = fails(capsys, "build", "--site", str(site))
    assert line.startswith("error: site.yaml:2: not valid UTF-8 (byte 0xE9)")


def test_control_character_in_site_yaml_is_one_line(site: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (site / "site.yaml").write_text("base_url: https://example.org/\ntitle: x\0\n", encoding="utf-8")
    line = fails(capsys, "build", "--site", str(site))
    assert line.startswith("error: site.yaml:2: invalid YAML: ")


def test_deeply_nested_site_yaml_does_not_crash(site: Path) -> None:
    """libyaml recurses per level: a document nested 200,000 deep kills the process (in a subprocess here)."""
    (site / "site.yaml").write_text(SITE_YAML + "extra: {a: " + "[" * 200_000 + "]" * 200_000 + "}\n")
    done = run_cli(["build", "--site", str(site)], timeout=120)
    assert done.returncode == 1, done.stderr[-500:]
    assert done.stderr.splitlines() == ["error: site.yaml: YAML nested more than 500 levels deep"]


def test_topic_with_the_default_topics_slug(site: Path, capsys: pytest.CaptureFixture[str]) -> None:
    configure(site, "topics:\n  - name: World\n  - name: General\n")
    line = fails(capsys, "build", "--site", str(site))
    assert line.startswith("error: site.yaml:6: topic 'General' has the slug 'general' of default_topic")


def test_default_topic_errors_name_default_topic(site: Path, capsys: pytest.CaptureFixture[str]) -> None:
    configure(site, "default_topic: {slug: other}\n")
    assert (
        fails(capsys, "build", "--site", str(site)) == "error: site.yaml:4: missing required key 'default_topic.name'"
    )


@pytest.mark.parametrize("extra", ["topics:\n  - name: ''\n", "topics: ['  ']\n", "default_topic: ''\n"])
def test_blank_topic_names_are_refused(site: Path, capsys: pytest.CaptureFixture[str], extra: str) -> None:
    configure(site, extra)
    assert "must not be empty" in fails(capsys, "build", "--site", str(site))


@pytest.mark.parametrize(
    "extra",
    [
        "topics:\n  - name: world\n    weights: {world: .nan}\n",
        "topics:\n  - name: world\n    weights: {world: .inf}\n",
        "enrich: {topic_min_score: .nan}\n",
        "enrich: {topic_min_score: .inf}\n",
    ],
)
def test_numbers_that_are_not_finite_are_refused(site: Path, capsys: pytest.CaptureFixture[str], extra: str) -> None:
    configure(site, extra)
    assert "finite number" in fails(capsys, "build", "--site", str(site))


@pytest.mark.parametrize("name", ["../../etc/passwd", "/etc/passwd"])
def test_gazetteer_outside_data_names_site_yaml(site: Path, capsys: pytest.CaptureFixture[str], name: str) -> None:
    configure(site, f"enrich: {{gazetteer: '{name}'}}\n")
    line = fails(capsys, "build", "--site", str(site))
    assert line.startswith("error: site.yaml:4: enrich.gazetteer must be inside the data folder (data/)")


# --- init, serve, check --------------------------------------------------------------------------


def test_init_into_a_file_says_so(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    notes = tmp_path / "notes.txt"
    notes.write_text("mine", encoding="utf-8")
    assert "is a file" in fails(capsys, "init", str(notes))
    line = fails(capsys, "init", str(notes / "site"))
    assert "notes.txt" in line
    assert notes.read_text(encoding="utf-8") == "mine"


@pytest.mark.parametrize("port", ["-1", "65536", "99999999999"])
def test_serve_refuses_a_port_out_of_range(site: Path, capsys: pytest.CaptureFixture[str], port: str) -> None:
    assert "--port" in usage_error(capsys, "serve", "--site", str(site), "--port", port)


@pytest.mark.parametrize("url", ["not a url", "example.org", "https://"])
def test_check_refuses_a_base_url_that_is_not_one(site: Path, capsys: pytest.CaptureFixture[str], url: str) -> None:
    assert run(capsys, "build", "--site", str(site))[0] == 0
    assert "--base-url" in usage_error(capsys, "check", str(site / "output"), "--base-url", url)


# --- template overrides ---------------------------------------------------------------------------


def _override(site: Path, capsys: pytest.CaptureFixture[str], text: str | bytes) -> str:
    """Build once, add ``templates/article.html``, build again: the error line; the first site stays."""
    assert run(capsys, "build", "--site", str(site))[0] == 0
    before = (site / "output" / "index.html").read_bytes()
    (site / "templates").mkdir(exist_ok=True)
    template = site / "templates" / "article.html"
    if isinstance(text, bytes):
        template.write_bytes(text)
    else:
        template.write_text(text, encoding="utf-8")
    line = fails(capsys, "build", "--site", str(site))
    assert (site / "output" / "index.html").read_bytes() == before
    return line


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("ok\n{{ 1 / 0 }}\n", "ZeroDivisionError"),
        ("ok\n{{ 'a' + 1 }}\n", "TypeError"),
        ("ok\n{{ site.title() }}\n", "TypeError"),
        ("ok\n{{ page.path | human_date }}\n", "AttributeError"),
    ],
)
def test_template_runtime_errors_are_one_line(
    site: Path, capsys: pytest.CaptureFixture[str], text: str, message: str
) -> None:
    line = _override(site, capsys, text)
    assert line.startswith(f"error: {site / 'templates' / 'article.html'}:2: template error: {message}: ")


def test_template_including_itself_is_one_line(site: Path, capsys: pytest.CaptureFixture[str]) -> None:
    line = _override(site, capsys, "{% include 'article.html' %}\n")
    assert line.startswith(f"error: {site / 'templates' / 'article.html'}:1: ")
    assert "includes or calls itself" in line


def test_missing_include_names_the_including_template(site: Path, capsys: pytest.CaptureFixture[str]) -> None:
    line = _override(site, capsys, "ok\n{% include 'missing.html' %}\n")
    assert line == f"error: {site / 'templates' / 'article.html'}:2: template not found: missing.html"


def test_include_outside_the_templates_is_not_found(site: Path, capsys: pytest.CaptureFixture[str]) -> None:
    line = _override(site, capsys, "{% include '../../../../etc/passwd' %}\n")
    assert line.endswith("template not found: ../../../../etc/passwd")


def test_template_not_utf8_is_one_line(site: Path, capsys: pytest.CaptureFixture[str]) -> None:
    line = _override(site, capsys, b"ok\nCaf\xe9\n")
    assert line == f"error: {site / 'templates' / 'article.html'}:2: not valid UTF-8 (byte 0xE9): save it as UTF-8"


def test_init_names_what_it_made_as_the_user_named_the_folder(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.chdir(tmp_path)
    assert main(["init", "news"]) == 0
    created = [line for line in capsys.readouterr().out.splitlines() if line.startswith("created ")]
    assert len(created) == 5
    assert all(line.startswith("created news/") for line in created), created


def test_a_path_from_the_home_folder_is_not_a_folder_named_tilde(
    site: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("HOME", str(site.parent))
    configure(site, "paths: {output: ~/public_html}\n")
    status, _ = run(capsys, "build", "--site", str(site))
    assert status == 0
    assert (site.parent / "public_html" / "index.html").is_file()
    assert not (site / "~").exists()


@pytest.mark.parametrize(
    ("extra", "message"),
    [
        ("title: '  '\nbase_url: https://example.org/\n", "error: site.yaml:1: 'title' must not be empty"),
        (SITE_YAML + "language: english please\n", "error: site.yaml:4: 'language' must be a language tag"),
        (SITE_YAML + "language: en_GB\n", "error: site.yaml:4: 'language' must be a language tag"),
        (SITE_YAML + "language: ''\n", "error: site.yaml:4: 'language' must be a language tag"),
    ],
)
def test_title_and_language_that_no_page_can_use(
    site: Path, capsys: pytest.CaptureFixture[str], extra: str, message: str
) -> None:
    """A blank title makes pages that ``broadsheet check`` refuses; a language name is not a ``lang`` tag."""
    (site / "site.yaml").write_text(extra, encoding="utf-8")
    assert fails(capsys, "build", "--site", str(site)).startswith(message)


def test_a_template_counting_too_far_stops_with_one_line(site: Path) -> None:
    """``range(10**9)`` would keep the build busy for minutes (or, listed, run it out of memory)."""
    (site / "templates").mkdir()
    (site / "templates" / "article.html").write_text("{% for i in range(10**9) %}{% endfor %}\n", encoding="utf-8")
    done = run_cli(["build", "--site", str(site)], timeout=60)
    template = site / "templates" / "article.html"
    assert done.returncode == 1
    assert done.stderr.splitlines() == [
        f"error: {template}:1: template error: OverflowError: "
        "range() of 1,000,000,000 numbers: a template may count at most 100,000"
    ]


def test_an_unknown_key_yaml_reads_as_a_number_names_its_line(site: Path, capsys: pytest.CaptureFixture[str]) -> None:
    configure(site, "1: x\n")
    assert fails(capsys, "build", "--site", str(site)).startswith("error: site.yaml:4: unknown key '1' (known keys: ")


def test_serve_refuses_an_empty_host(site: Path) -> None:
    """``--host "$HOST"`` with HOST unset would listen on every network (in a subprocess: it would serve on)."""
    done = run_cli(["serve", "--site", str(site), "--host", "", "--port", "0"], timeout=30)
    assert done.returncode == 2
    assert "argument --host: empty" in done.stderr.splitlines()[-1]


def test_a_cache_in_a_folder_of_the_users_own_elsewhere_is_refused(
    site: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """``cache: ~``: the build would delete the home folder's ``templates-*`` folders as stale caches."""
    home = site.parent / "home"
    (home / "templates-2024").mkdir(parents=True)
    (home / "templates-2024" / "letter.html").write_text("mine", encoding="utf-8")
    monkeypatch.setenv("HOME", str(home))
    configure(site, "paths: {cache: '~'}\n")
    line = fails(capsys, "build", "--site", str(site))
    assert line.startswith("error: site.yaml:4: 'paths.cache'") and "not a broadsheet cache" in line
    assert (home / "templates-2024" / "letter.html").is_file()
    configure(site, f"paths: {{cache: '{site.parent / 'cache'}'}}\n")  # a new folder, then the same one used again
    assert run(capsys, "build", "--site", str(site))[0] == 0
    (site / "content" / "b.md").write_text(USER_ARTICLE, encoding="utf-8")
    assert run(capsys, "build", "--site", str(site))[0] == 0
