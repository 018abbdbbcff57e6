"""Hostile Markdown for the shortcode expansion and links between articles: no stall, no garbled page."""

from __future__ import annotations

from pathlib import Path

import pytest

from broadsheet.loaders.shortcodes import arguments, expand
from test_shortcodes import load

YOUTUBE = "https://www.youtube.com/watch?v=w7Ft2ymGmfc"


# Each took the scan quadratic time or worse (each opening searched to the end, or a pattern backtracked
# over a long run): 20 kB took one to three seconds, these would take many minutes. Now each is read once.
HOSTILE = 200_000
SLOW_BEFORE = {
    "unclosed shortcodes": "{{<" * (HOSTILE // 3),
    "unclosed <> shortcodes": "{{<>" * (HOSTILE // 4),
    "unclosed raw": "{% raw %}x" * (HOSTILE // 10),
    "unclosed comment": "{% comment %}x" * (HOSTILE // 14),
    "unclosed highlight": "{% highlight go %}x" * (HOSTILE // 18),
    "unclosed Hugo highlight": "{{<highlight a" * (HOSTILE // 14),
    "unclosed object filter": "{{ page.a |" * (HOSTILE // 11),
    "long tag name": "{% " + "a" * HOSTILE,
    "long backtick run": "`" * HOSTILE + "{{",
    "spaces in a shortcode": "{{< x" + " " * HOSTILE + "y >}}",
    "escaped quotes in arguments": '{{< figure "' + '\\"' * (HOSTILE // 2) + " >}}",
}


@pytest.mark.timeout(60)  # guards against a quadratic scan; the new one takes well under a second for each
@pytest.mark.parametrize("text", SLOW_BEFORE.values(), ids=SLOW_BEFORE.keys())
def test_hostile_text_is_scanned_in_one_pass(text: str) -> None:
    expanded, _ = expand(text, {})
    assert "{" not in expanded or "{{" in expanded or "{%" in expanded  # what is not a shortcode stays as written


@pytest.mark.timeout(60)
def test_an_unclosed_quote_in_arguments_runs_to_the_end() -> None:
    assert arguments('a "b \\" c') == (["a", 'b " c'], {})
    assert arguments('"\\' * HOSTILE) == (['"' * (HOSTILE - 1), "\\"], {})


def test_code_spans_are_kept_and_shortcodes_beside_them_expanded(tmp_path: Path) -> None:
    """The one-pass scan reads code spans as python-markdown does: a run of backticks closes one of as many."""
    html, diagnostics = load(tmp_path, "Not code: `a`` {{< youtube w7Ft2ymGmfc >}}\n\nCode: `{{< youtube kept >}}`\n")
    assert f'<a href="{YOUTUBE}"' in html
    assert "<code>{{&lt; youtube kept &gt;}}</code>" in html
    assert diagnostics.warnings == []


def test_highlighted_code_holding_a_fence_stays_code(tmp_path: Path) -> None:
    """The fence it became ended at the code's own fence, and the rest was read as Markdown and HTML."""
    body = "{% highlight markdown %}\n```\n<b>bold</b> {{< youtube w7Ft2ymGmfc >}}\n```\n{% endhighlight %}\n"
    html, _ = load(tmp_path, body)
    assert "<pre><code>```\n&lt;b&gt;bold&lt;/b&gt; {{&lt; youtube w7Ft2ymGmfc &gt;}}\n```\n</code></pre>" in html
    assert "<b>" not in html and "youtube.com" not in html


def test_a_figure_argument_with_a_blank_line_stays_one_figure(tmp_path: Path) -> None:
    """A blank line ended the HTML block: readers saw ``<img src="…`` as text, and a "quote" of its alt."""
    body = '{{< figure src="https://example.org/a.png" alt="The\n\nharbour" caption="At dawn,\n\n5 a.m." >}}\n'
    html, _ = load(tmp_path, body)
    assert html == (
        '<figure><img src="https://example.org/a.png" alt="The harbour"><figcaption>At dawn, 5 a.m.</figcaption>'
        "</figure>"
    )


def test_a_figure_url_loses_its_line_breaks(tmp_path: Path) -> None:
    html, _ = load(
        tmp_path, '{{< figure src="https://example.org/\na.png" link="https://example.org/\n\nbig" alt="Map" >}}\n'
    )
    assert '<a href="https://example.org/big"' in html and '<img src="https://example.org/a.png"' in html


def test_an_embedded_posts_title_is_text_not_markdown(tmp_path: Path) -> None:
    """A title read as Markdown put a link in the link: the parser split them, and the video's link was lost."""
    body = '{{< youtube w7Ft2ymGmfc title="[Vote](https://example.org/vote) *live* `now`" >}}\n'
    html, _ = load(tmp_path, body)
    assert (
        f'<a href="{YOUTUBE}" rel="noopener noreferrer nofollow">[Vote](https://example.org/vote) *live* `now`</a>'
        in (html)
    )
    assert 'example.org/vote"' not in html
