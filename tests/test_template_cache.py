"""Compiled templates kept under .cache/: a rebuild skips compiling, never runs a template's old code."""

from __future__ import annotations

from pathlib import Path

from broadsheet.build import BuildOptions, build_site

ARTICLE = "articles/sample-port-alder-opens-a-floating-library-in-its-old-ferry-terminal/index.html"


def compiled(site: Path) -> list[Path]:
    return sorted(site.glob(".cache/templates-*/*.cache"))


def footer(text: str) -> str:
    return "{% extends 'base.html' %}{% block content %}<p>" + text + "</p>{% endblock %}"


def test_an_edited_template_is_compiled_again_and_the_old_folder_goes(sample_site: Path) -> None:
    stale = sample_site / ".cache" / f"templates-{'0' * 32}"  # another version of broadsheet compiled these
    stale.mkdir(parents=True)
    (stale / "__jinja2_x.cache").write_bytes(b"old")
    mine = sample_site / ".cache" / "templates-old"  # a folder the cache did not name is not its to remove
    mine.mkdir()
    (mine / "page.html").write_text("mine")
    template = sample_site / "templates" / "article.html"
    template.write_text(footer("first version"))
    output = build_site(BuildOptions(site=sample_site)).output
    assert "first version" in (output / ARTICLE).read_text("utf-8")
    assert compiled(sample_site) and not stale.exists()
    assert (mine / "page.html").read_text() == "mine"

    template.write_text(footer("second version"))  # same template, same cache entry, new source
    build_site(BuildOptions(site=sample_site))
    assert "second version" in (output / ARTICLE).read_text("utf-8")


def test_a_damaged_compiled_template_is_compiled_again(sample_site: Path) -> None:
    first = build_site(BuildOptions(site=sample_site))
    before = (first.output / ARTICLE).read_bytes()
    for file in compiled(sample_site):
        file.write_bytes(b"not compiled code")
    (sample_site / "site.yaml").write_text((sample_site / "site.yaml").read_text() + "\n# touched\n")
    again = build_site(BuildOptions(site=sample_site))
    assert again.rendered > 0 and (again.output / ARTICLE).read_bytes() == before
