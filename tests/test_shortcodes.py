"""Hugo shortcodes and Jekyll's Liquid tags: what they stand for on the page, or left out with a warning."""

from __future__ import annotations

from pathlib import Path

import pytest

from broadsheet.build import BuildOptions, build_site
from broadsheet.check import check_site
from broadsheet.config import load_config
from broadsheet.errors import Diagnostics
from broadsheet.loaders import load_file
from broadsheet.loaders.shortcodes import arguments, expand
from conftest import site_with


def load(tmp_path: Path, body: str) -> tuple[str, Diagnostics]:
    """The HTML of the article ``content/post.md`` with ``body`` makes, and what loading it said."""
    (tmp_path / "content").mkdir(exist_ok=True)
    (tmp_path / "site.yaml").write_text("title: T\nbase_url: https://example.org/\n", encoding="utf-8")
    path = tmp_path / "content" / "post.md"
    path.write_text(f"---\ntitle: Moved from Hugo\ndate: 2025-05-16\n---\n{body}", encoding="utf-8")
    diagnostics = Diagnostics()
    article = load_file(path, load_config(tmp_path), diagnostics)
    return "\n".join(section.html for section in article.sections), diagnostics


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("{{< youtube w7Ft2ymGmfc >}}", '<a href="https://www.youtube.com/watch?v=w7Ft2ymGmfc">Video on YouTube</a>'),
        ('{{< youtube id="w7Ft2ymGmfc" title="The vote" >}}', ">The vote</a>"),
        ("{{< vimeo 55073825 >}}", '<a href="https://vimeo.com/55073825">Video on Vimeo</a>'),
        (
            '{{< x user="SanDiegoZoo" id="1453110110599868418" >}}',
            '"https://x.com/SanDiegoZoo/status/1453110110599868418"',
        ),
        ("{{< tweet 877500564405444608 >}}", '"https://x.com/i/status/877500564405444608">Post on X</a>'),
        ("{{< instagram BWNjjyYFxVx >}}", '"https://www.instagram.com/p/BWNjjyYFxVx/">Post on Instagram</a>'),
        ('{{< gist spf13 7896402 "img.html" >}}', '"https://gist.github.com/spf13/7896402">Gist by spf13</a>'),
        ('{{< param "place" >}} and {{ page.place }}', "Port Alder and Port Alder"),
        ('{{</* figure src="z.png" */>}}', '{{< figure src="z.png" >}}'),  # Hugo's way to show one as text
        ("{% raw %}{{ page.place }}{% endraw %}", "{{ page.place }}"),
        ("a{% comment %}draft note{% endcomment %}b", "ab"),
        ("`{{< youtube kept >}}`", "`{{< youtube kept >}}`"),  # code is shown as written
        ("```\n{{< youtube kept >}}\n```", "```\n{{< youtube kept >}}\n```"),
        ('[x]({{< ref "other.md" >}}) [y]({% post_url 2025-05-12-trams %})', "[x]({{< ref"),  # article_links.py's
        ("{{ .Title }} and {{ site.url }}/x", "{{ .Title }} and /x"),  # Hugo has no such text in content
    ],
)
def test_shortcodes_and_tags_become_what_they_stand_for(text: str, expected: str) -> None:
    expanded, left_out = expand(text, {"place": "Port Alder"})
    assert expected in expanded
    assert left_out == []


def test_a_figure_is_an_image_with_its_caption_and_its_file_found_as_any_image(tmp_path: Path) -> None:
    body = '\n{{< figure src="harbour.png" alt="Boats" title="Dawn" caption="The harbour, 5 a.m." link="big.png" >}}\n'
    html, diagnostics = load(tmp_path, body)
    assert "<figure><a><img" not in html  # the linked file is not there: the link keeps its content
    assert "<figcaption>Dawn The harbour, 5 a.m.</figcaption></figure>" in html
    assert [w.split(": ", 1)[1] for w in diagnostics.warnings] == [
        "link to 'big.png' names content/big.png, which is not there (or cannot be read, or is a symbolic link): "
        "left out",
        "link to 'harbour.png' names content/harbour.png, which is not there (or cannot be read, or is a symbolic "
        "link): left out",
    ]


HIGHLIGHTS = (
    '{{< highlight go >}}\nfmt.Println("{{< x >}} <b>")\n{{< /highlight >}}\n\n'
    "{% highlight python %}\nprint(1 < 2)\n{% endhighlight %}\n"
)


def test_code_in_highlight_pairs_is_a_code_block(tmp_path: Path) -> None:
    html, diagnostics = load(tmp_path, HIGHLIGHTS)
    assert '<pre><code>fmt.Println("{{&lt; x &gt;}} &lt;b&gt;")\n</code></pre>' in html
    assert "<pre><code>print(1 &lt; 2)\n</code></pre>" in html
    assert diagnostics.warnings == []


@pytest.mark.parametrize(
    ("body", "expected"),
    [
        (  # on one line amid text: a code span, without the language's name
            'Run {{< highlight go >}}fmt.Println("<b>"){{< /highlight >}} now.\n',
            '<p>Run <code>fmt.Println("&lt;b&gt;")</code> now.</p>',
        ),
        ("Run {% highlight ruby %}puts `ls`{% endhighlight %} now.\n", "<p>Run <code>puts `ls`</code> now.</p>"),
        (  # the list item stays whole
            "- Run {{< highlight go >}}x(){{< /highlight >}}\n- Stop\n",
            "<ul>\n<li>Run <code>x()</code></li>\n<li>Stop</li>\n</ul>",
        ),
        (  # over several lines: a block, the text around it in paragraphs of their own
            "Intro: {{< highlight go >}}\nfunc main() {}\n{{< /highlight >}} and after.\n",
            "<p>Intro: </p>\n<pre><code>func main() {}\n</code></pre>\n<p>and after.</p>",
        ),
    ],
)
def test_a_highlight_pair_written_mid_line_shows_its_code_and_no_language(
    tmp_path: Path, body: str, expected: str
) -> None:
    html, diagnostics = load(tmp_path, body)
    assert html == expected
    assert diagnostics.warnings == []


def test_a_highlight_pair_on_lines_of_its_own_is_a_fenced_block_of_its_language() -> None:
    assert expand("{{< highlight go >}}x := 1{{< /highlight >}}\nNext.", {}) == ("```go\nx := 1\n```\nNext.", [])
    assert expand("A\n{% highlight go %}\nx := 1\n{% endhighlight %}\nB", {}) == ("A\n```go\nx := 1\n```\nB", [])


def test_any_other_shortcode_or_tag_is_left_out_once_with_its_line_and_its_text_kept(tmp_path: Path) -> None:
    body = (
        "First line.\n\n{{% note %}}Keep **this**{{% /note %}} and {{< note >}}this too{{< /note >}}\n\n"
        '{{< youtube id="not an id" >}}\n\n{% include footer.html %}\n\nOn {{ site.title }}.\n'
    )
    html, diagnostics = load(tmp_path, body)
    assert "<p>Keep <strong>this</strong> and this too</p>" in html
    assert "{{" not in html and "{%" not in html and "footer" not in html
    assert [w.split(": ", 1)[0] for w in diagnostics.warnings] == [f"content/post.md:{n}" for n in (7, 9, 11, 13)]
    assert diagnostics.warnings[0].endswith(
        "Hugo shortcode 'note' is not supported: left out (the text between its opening and closing tags is kept)"
    )
    assert diagnostics.warnings[1].endswith(
        "Hugo shortcode 'youtube' lacks an argument it needs or has one it cannot use (src, id, user): left out"
    )
    assert diagnostics.warnings[2].endswith("Liquid tag 'include' is not supported: left out")
    assert diagnostics.warnings[3].endswith("Liquid object 'site.title' is not supported: left out")


def test_a_replacement_keeps_the_lines_of_later_warnings(tmp_path: Path) -> None:
    body = "{% comment %}\none\ntwo\n{% endcomment %}\n\n{{< youtube\n  w7Ft2ymGmfc >}}\n\n[gone](gone.png)\n"
    _, diagnostics = load(tmp_path, body)
    assert [w.split(": ", 1)[0] for w in diagnostics.warnings] == ["content/post.md:13"]


def test_arguments_are_positional_or_named_quoted_raw_or_bare() -> None:
    assert arguments(' a "b c" `d "e"` k="v \\" w" n=1') == (["a", "b c", 'd "e"'], {"k": 'v " w', "n": "1"})


def test_a_site_moved_from_hugo_builds_valid_pages(tmp_path: Path) -> None:
    post = (
        "---\ntitle: Moved\ndate: 2025-05-16\n---\nText {{< youtube w7Ft2ymGmfc >}}.\n\n"
        '{{< figure src="map.png" caption="The route" >}}\n'
    )
    site = site_with(tmp_path, {"content/map.png": b"\x89PNG\r\n\x1a\n", "content/post.md": post})
    result = build_site(BuildOptions(site=site, jobs=1))
    page = (result.output / "articles/moved/index.html").read_text(encoding="utf-8")
    assert '<figure><img src="../../media/map.png" alt="The route"><figcaption>The route</figcaption></figure>' in page
    assert (result.output / "media/map.png").is_file()
    assert check_site(result.output, "https://example.org/") == []


FIGURE = '{{< figure src="https://example.org/x.jpg" caption="A caption" >}}'
FIGURE_HTML = '<figure><img src="https://example.org/x.jpg" alt="A caption"><figcaption>A caption</figcaption></figure>'


@pytest.mark.parametrize(
    ("body", "expected"),
    [
        (
            f"Before the figure {FIGURE} and after it in the same paragraph.\n\nSecond paragraph.",
            f"<p>Before the figure</p>{FIGURE_HTML}<p>and after it in the same paragraph.</p>\n<p>Second paragraph.</p>",
        ),
        (f"First line,\n{FIGURE} then the rest.", f"<p>First line,</p>\n{FIGURE_HTML}\n<p>then the rest.</p>"),
        (f"{FIGURE} after it.", f"{FIGURE_HTML}\n<p>after it.</p>"),  # at the start: no empty paragraph
        (f"Before it {FIGURE}", f"<p>Before it</p>{FIGURE_HTML}"),  # at the end: none either
        (f"A line\n\n{FIGURE}\n\nanother line", f"<p>A line</p>\n{FIGURE_HTML}\n\n<p>another line</p>"),  # alone
        # In a list item the figure is flow content: it stays in the item, the list whole.
        (f"- text {FIGURE} more\n- next", f"<ul>\n<li>text {FIGURE_HTML} more</li>\n<li>next</li>\n</ul>"),
        (
            f"1. one\n\n2. text {FIGURE} more",
            f"<ol>\n<li>\n<p>one</p>\n</li>\n<li>\n<p>text</p>{FIGURE_HTML}<p>more</p>\n</li>\n</ol>",
        ),
        (
            f"> text {FIGURE} more\n> still quoted",
            f"<blockquote>\n<p>text</p>{FIGURE_HTML}<p>more\nstill quoted</p>\n</blockquote>",
        ),
        (  # raw HTML written so, the same
            "Before <figure><img src='https://example.org/x.jpg' alt='A caption'><figcaption>A caption</figcaption>"
            "</figure> after.",
            f"<p>Before</p>{FIGURE_HTML}<p>after.</p>",
        ),
    ],
)
def test_a_figure_inside_a_paragraph_cuts_it_in_two(tmp_path: Path, body: str, expected: str) -> None:
    html, diagnostics = load(tmp_path, f"\n{body}\n")
    assert html == expected
    assert diagnostics.warnings == []


def test_the_text_around_a_figure_is_paragraphs_of_the_article(tmp_path: Path) -> None:
    (tmp_path / "content").mkdir()
    (tmp_path / "site.yaml").write_text("title: T\nbase_url: https://example.org/\n", encoding="utf-8")
    path = tmp_path / "content" / "post.md"
    path.write_text(
        f"---\ntitle: Ferry\ndate: 2025-05-16\n---\n\nThe ferry sailed again. {FIGURE} Crowds cheered.\n\n"
        f"- Queues {FIGURE} at dawn\n\n> Said one {FIGURE} passenger\n",
        encoding="utf-8",
    )
    article = load_file(path, load_config(tmp_path), Diagnostics())
    assert [p for section in article.sections for p in section.paragraphs] == [
        "The ferry sailed again.",
        "A caption",
        "Crowds cheered.",
        "Queues",  # not "Queues A caption": a list item's text before its figure is no part of the caption
        "A caption",
        "at dawn",
        "Said one",
        "A caption",
        "passenger",
    ]


def test_figures_inside_paragraphs_build_pages_without_empty_paragraphs(tmp_path: Path) -> None:
    figure = '{{< figure src="map.png" caption="The route" >}}'
    post = (
        f"---\ntitle: Moved\ndate: 2025-05-16\n---\nBefore {figure} after.\n\n- item {figure} more\n\n"
        f"> quoted {figure} more\n\n1. one\n\n2. two {figure} more\n"
    )
    site = site_with(tmp_path, {"content/map.png": b"\x89PNG\r\n\x1a\n", "content/post.md": post})
    result = build_site(BuildOptions(site=site, jobs=1))
    page = (result.output / "articles/moved/index.html").read_text(encoding="utf-8")
    assert "<p></p>" not in page
    assert check_site(result.output, "https://example.org/") == []


WORDPRESS_POST = """<!-- wp:paragraph -->
<p>Ferry services resumed on Tuesday.</p>
<!-- /wp:paragraph -->

[caption id="attachment_12" align="aligncenter" width="300"]<a href="https://example.com/big.jpg"><img src="https://example.com/ferry.jpg" alt="Ferry" width="300" height="200" /></a> The <em>first</em> ferry leaves[/caption]

[embed]https://www.youtube.com/watch?v=abc[/embed]

[video width="640" mp4="https://example.com/clip.mp4"][/video] and [audio src="https://example.com/a.mp3"]

[gallery ids="1,2,3"]
"""


def test_wordpress_shortcodes_become_figures_and_links(tmp_path: Path) -> None:
    page, diagnostics = load(tmp_path, WORDPRESS_POST)
    assert (
        '<figure><a href="https://example.com/big.jpg" rel="noopener noreferrer nofollow"><img '
        'src="https://example.com/ferry.jpg" alt="Ferry" width="300" height="200"></a>'
        "<figcaption>The <em>first</em> ferry leaves</figcaption></figure>"
    ) in page
    assert '<a href="https://www.youtube.com/watch?v=abc" rel="noopener noreferrer nofollow">' in page
    assert '<a href="https://example.com/clip.mp4" rel="noopener noreferrer nofollow">Video</a> and ' in page
    assert '<a href="https://example.com/a.mp3" rel="noopener noreferrer nofollow">Audio</a>' in page
    assert "[" not in page and "attachment_12" not in page
    assert diagnostics.warnings == [
        "content/post.md:15: WordPress shortcode 'gallery' names media of the WordPress site, not in the export: "
        "left out"
    ]


@pytest.mark.parametrize(
    "text",
    [
        "See the [caption](https://example.com/c) and [embed][ref].\n\n[ref]: https://example.com/e",
        "`[caption]<img src=x>Code[/caption]`",
        "```\n[embed]https://example.com/x[/embed]\n```",
        "A [captioned] word and [video games] are prose.",
    ],
)
def test_markdown_that_looks_like_a_wordpress_shortcode_is_markdown(tmp_path: Path, text: str) -> None:
    assert expand(text, {}) == (text, [])


@pytest.mark.parametrize(
    ("text", "warning"),
    [
        ("[embed]javascript:alert(1)[/embed]", "WordPress shortcode 'embed' lacks an http(s) address"),
        ("[caption]No picture here[/caption]", "WordPress shortcode 'caption' lacks an http(s) address or a picture"),
        ("Text [/caption] more", "closing tag '[/caption]' without its opening tag"),
    ],
)
def test_a_wordpress_shortcode_without_what_it_needs_is_left_out_with_a_warning(
    tmp_path: Path, text: str, warning: str
) -> None:
    page, diagnostics = load(tmp_path, "Before.\n\n" + text + "\n")
    assert "javascript" not in page and "[" not in page
    assert len(diagnostics.warnings) == 1 and warning in diagnostics.warnings[0]
