"""HTML files as articles: Pelican's HTML articles, HTML content with front matter, and saved news pages."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from broadsheet.build import BuildOptions, build_site
from broadsheet.config import load_config
from broadsheet.errors import BroadsheetError, Diagnostics
from broadsheet.loaders import load_file
from broadsheet.model import Article

SITE_YAML = "title: T\nbase_url: https://example.org/\ntimezone: UTC\nsearch: false\n"

PELICAN = """<html>
<head>
  <title>My super title</title>
  <meta name="tags" content="thats, awesome" />
  <meta name="date" content="2012-07-09 22:28" />
  <meta name="modified" content="2012-07-10 20:14" />
  <meta name="category" content="yeah" />
  <meta name="authors" content="Alexis Métaireau, Conan Doyle" />
  <meta name="summary" content="Short version for index and feeds" />
</head>
<body>
  <p>This is the content of my super blog post.</p>
  <h2>Second part</h2>
  <p>More of it.</p>
</body>
</html>
"""

SAVED = """<!DOCTYPE html>
<html lang="en"><head>
<meta charset="utf-8">
<title>Storm batters coast | Harbour Gazette</title>
<meta property="og:site_name" content="Harbour Gazette">
<meta property="og:image" content="https://gazette.example/img/storm.jpg">
<meta name="description" content="Thousands lose power as gales hit.">
<link rel="canonical" href="https://gazette.example/news/storm">
<script type="application/ld+json">{"@context": "https://schema.org", "@graph": [{"@type": "WebSite", "name": "x"},
 {"@type": "NewsArticle", "headline": "Storm batters coast as thousands lose power",
  "datePublished": "2025-07-22T10:20:00+01:00", "author": [{"@type": "Person", "name": "Jane Doe"}],
  "publisher": {"@type": "Organization", "name": "Harbour Gazette"}, "keywords": "storm, power"}]}</script>
<script>window.tracking = "SCRIPT-TEXT";</script>
</head><body>
<header><nav><a href="/">Home</a> <a href="/news">NAV-TEXT</a></nav></header>
<main>
<article>
<header><h1>Storm batters coast</h1><p class="byline">By Jane Doe</p></header>
<p>Thousands of homes lost power on Tuesday, <a href="/power">the utility</a> said.</p>
<aside><h3>Related</h3><article><a href="/x">ASIDE-TEXT and a much longer related story card than the story</a>
 <p>with more words in it than the article has, so length alone would pick it</p></article></aside>
<p>"It was frightening," said Ana Silva.</p>
<div role="navigation">ROLE-NAV-TEXT</div>
<form><input name="email"><button>FORM-TEXT</button></form>
<img src="/img/a.jpg" alt="Waves" onerror="alert(1)">
</article>
</main>
<footer>FOOTER-TEXT</footer>
</body></html>
"""


def _load(tmp_path: Path, text: str, name: str = "a.html") -> tuple[Article, Diagnostics]:
    (tmp_path / "content").mkdir(exist_ok=True)
    (tmp_path / "site.yaml").write_text(SITE_YAML, encoding="utf-8")
    (tmp_path / "content" / name).write_text(text, encoding="utf-8")
    diagnostics = Diagnostics()
    return load_file(tmp_path / "content" / name, load_config(tmp_path), diagnostics), diagnostics


def test_a_pelican_html_article_reads_its_meta_tags(tmp_path: Path) -> None:
    article, diagnostics = _load(tmp_path, PELICAN)
    assert article.headline == "My super title"
    assert article.published.isoformat() == "2012-07-09T22:28:00+00:00"
    assert article.updated is not None and article.updated.isoformat() == "2012-07-10T20:14:00+00:00"
    assert article.authors == ("Alexis Métaireau", "Conan Doyle")
    assert set(article.tags) >= {"thats", "awesome"}
    assert article.summary == "Short version for index and feeds"
    assert [(s.heading, s.paragraphs) for s in article.sections] == [
        ("", ("This is the content of my super blog post.",)),
        ("Second part", ("More of it.",)),
    ]
    assert not diagnostics.warnings


def test_a_saved_news_page_gives_its_story_and_metadata_and_nothing_around_it(tmp_path: Path) -> None:
    article, _ = _load(tmp_path, SAVED)
    assert article.headline == "Storm batters coast as thousands lose power"  # JSON-LD before <title>
    assert article.published.isoformat() == "2025-07-22T10:20:00+01:00"
    assert article.authors == ("Jane Doe",)
    assert article.source is not None and article.source.name == "Harbour Gazette"
    assert article.tags == ("storm", "power")
    assert article.summary == "Thousands lose power as gales hit."
    assert article.image is not None and article.image.src == "https://gazette.example/img/storm.jpg"
    page = "".join(s.html for s in article.sections)
    for furniture in ("SCRIPT-TEXT", "NAV-TEXT", "ASIDE-TEXT", "ROLE-NAV-TEXT", "FORM-TEXT", "FOOTER-TEXT", "<h1"):
        assert furniture not in page
    assert "alert" not in page and "<script" not in page
    # relative links and images lead to the page's own site (its canonical address)
    assert '<a href="https://gazette.example/power"' in page
    assert 'src="https://gazette.example/img/a.jpg"' in page
    assert [p for s in article.sections for p in s.paragraphs] == [
        "Thousands of homes lost power on Tuesday, the utility said.",
        '"It was frightening," said Ana Silva.',
    ]


# A Guardian-style page (its parts named by data-gu-name) and a classic WordPress theme's post (entry-meta above the
# text, entry-utility below it): each's furniture is named, not marked up as such.
NAMED_PARTS = """<html><head><title>Heat records fall | World news</title><meta name="date" content="2025-07-01"></head>
<body><main><article>
<div data-gu-name="headline"><h1>Heat records fall across the south</h1></div>
<div data-gu-name="meta"><address>Ana Ruiz in Seville</address><details><summary>Mon 30 Jun 2025 09.00 BST</summary>
GU-META-TEXT Last modified on Mon 30 Jun 2025 11.31 BST</details></div>
<div data-gu-name="body"><p>Temperatures passed 45C in Seville on Monday, the weather service said.</p>
<p>Hospitals reported a rise in heatstroke cases.</p></div>
<div data-gu-name="epic"><p>GU-EPIC-TEXT You've read 12 articles this year. Support us today.</p></div>
<div class="submeta"><span>Explore more on these topics</span> <a href="/heat">Heatwaves</a> <a href="/spain">Spain</a></div>
<div class="entry-meta">WP-META-TEXT Posted on July 1, 2025 by admin</div>
<div class="entry-utility">WP-UTILITY-TEXT Posted in <a href="/c/news">News</a> | Leave a comment</div>
</article></main></body></html>
"""


def test_parts_named_by_the_guardian_and_classic_wordpress_themes(tmp_path: Path) -> None:
    article, _ = _load(tmp_path, NAMED_PARTS)
    assert [p for s in article.sections for p in s.paragraphs] == [
        "Temperatures passed 45C in Seville on Monday, the weather service said.",
        "Hospitals reported a rise in heatstroke cases.",
    ]
    page = "".join(s.html for s in article.sections)
    for furniture in ("GU-EPIC-TEXT", "GU-META-TEXT", "09.00 BST", "Explore more", "WP-META-TEXT", "WP-UTILITY-TEXT"):
        assert furniture not in page
    assert article.authors == ("Ana Ruiz",)


# A page saved without its address (no canonical link, no og:url): its paths from the root are its own site's.
UNPLACED = """<html><head><title>Ten photos of the harvest</title><meta name="date" content="2025-09-01"></head>
<body><article><h1>Ten photos of the harvest</h1>
<p>The grape harvest began early this year, <a href="/2025/08/heat">after a hot August</a>.</p>
<figure><img src="/wp-content/uploads/a.jpg" alt="Pickers at dawn"><figcaption>Dawn</figcaption></figure>
<p>Growers expect <a href="https://wine.example/report">a smaller crop</a>; see <a href="//cdn.example/map.png">the map</a>
(<a href="/2025/08/heat">more on the heat</a>).</p>
</article></body></html>
"""


def test_a_saved_pages_paths_from_its_own_root_go_nowhere_without_its_address(tmp_path: Path) -> None:
    """Without the page's address its "/…" links and images cannot lead anywhere (on this site they would be broken):
    a link keeps its text, an image its alt text, and each is warned about with the file and line. With a canonical
    address they lead to the page's site; in a content file with front matter they are this site's, as in Markdown."""
    article, diagnostics = _load(tmp_path, UNPLACED)
    page = "".join(s.html for s in article.sections)
    assert not re.search(r'(?:href|src)="/(?!/)', page)
    assert "after a hot August" in page and "Pickers at dawn" in page
    assert '<a href="https://wine.example/report"' in page and 'href="//cdn.example/map.png"' in page
    warned = [w for w in diagnostics.warnings if "saved from" in w]
    assert len(warned) == 2 and all("a.html:" in w for w in warned), diagnostics.warnings
    assert "'/wp-content/uploads/a.jpg'" in " ".join(warned)

    placed = UNPLACED.replace("</title>", '</title><link rel="canonical" href="https://vineyard.example/photos">')
    article, diagnostics = _load(tmp_path, placed, "placed.html")
    page = "".join(s.html for s in article.sections)
    assert 'href="https://vineyard.example/2025/08/heat"' in page
    assert 'src="https://vineyard.example/wp-content/uploads/a.jpg"' in page
    assert not [w for w in diagnostics.warnings if "saved from" in w]

    own = "---\ntitle: Ten photos of the harvest\ndate: 2025-09-01\n---\n" + UNPLACED.split("<article>")[1]
    article, diagnostics = _load(tmp_path, own, "own.html")
    page = "".join(s.html for s in article.sections)
    assert 'href="/2025/08/heat"' in page and 'src="/wp-content/uploads/a.jpg"' in page


# A saved page whose furniture is written as <div>s and <section>s, as most news sites' is: the names say what it is.
DIV_FURNITURE = """<html><head><title>Port strike ends | Coast Times</title><meta name=date content=2025-03-04></head>
<body><div class="l-page has-sidebar">
<div class="cookie-consent">We use cookies. COOKIE-TEXT <div><button>Accept</button></div></div>
<div id="mainContent" class="story-wrapper"><h1>Port strike ends</h1>
<div class="share-tools"><div><a href="https://x.example/share">SHARE-TEXT</a></div><div>Email</div></div>
<div class="article-body share-enabled"><p>Dock workers voted to return on Monday.</p>
<div class="ad-slot"><div class="inner">ADVERT-TEXT</div></div>
<p>The union said talks would go on.</p>
<ul class="related-links"><li><a href="/a">RELATED-TEXT</a></li></ul>
<div hidden>HIDDEN-TEXT</div>
<p>Cargo is expected to move by Wednesday.</p></div>
<section id="comments"><h2>Comments</h2><div class="comment"><p>COMMENT-TEXT</p></div></section>
<div class="newsletterSignup">NEWSLETTER-TEXT <span class="x">unclosed</div>
<div class="mostRead"><article class="card"><h3>MOST-READ-TEXT, a card longer than nothing at all</h3></article></div>
</div><div class="sidebar">SIDEBAR-TEXT</div></div></body></html>
"""


def test_furniture_named_by_class_or_id_is_cut_but_not_the_page_around_the_story(tmp_path: Path) -> None:
    """Share bars, adverts, related links, comments, sign-up boxes and hidden blocks are left out; the wrapper
    named "has-sidebar" holds the headline (so it is the page, not furniture), and "article-body share-enabled"
    names the story's own text."""
    article, _ = _load(tmp_path, DIV_FURNITURE)
    assert article.headline == "Port strike ends"
    assert [p for s in article.sections for p in s.paragraphs] == [
        "Dock workers voted to return on Monday.",
        "The union said talks would go on.",
        "Cargo is expected to move by Wednesday.",
    ]
    page = "".join(s.html for s in article.sections)
    for furniture in (
        "COOKIE",
        "SHARE",
        "ADVERT",
        "RELATED",
        "HIDDEN",
        "COMMENT",
        "NEWSLETTER",
        "MOST-READ",
        "SIDEBAR",
    ):
        assert furniture + "-TEXT" not in page


@pytest.mark.parametrize(
    ("head", "headline"),
    [
        ("<title>Storm batters coast | Harbour Gazette</title>", "Storm batters coast"),
        (
            '<title>Storm batters coast - Harbour Gazette</title><meta property="og:site_name" content="Harbour Gazette">',
            "Storm batters coast",
        ),
        ("<title>Talks stall - what next for the harbour</title>", "Talks stall - what next for the harbour"),
        ('<title>Ignored | Site</title><meta property="og:title" content="Open Graph title">', "Open Graph title"),
        ("", "The first heading"),
    ],
)
def test_the_headline_from_the_title_less_the_site_name_or_the_first_heading(
    tmp_path: Path, head: str, headline: str
) -> None:
    page = f"<html><head>{head}<meta name='date' content='2025-01-02'></head><body>"
    article, _ = _load(tmp_path, page + "<h1>The first heading</h1><p>Body text.</p></body></html>")
    assert article.headline == headline
    assert [p for s in article.sections for p in s.paragraphs] == ["Body text."]


def test_html_content_with_front_matter_as_hugo_and_jekyll_write_it(tmp_path: Path) -> None:
    text = "---\ntitle: From front matter\ndate: 2025-03-04\nlayout: post\n---\n<title>Not this</title>\n<p>Hello <em>there</em>.</p>\n"
    article, _ = _load(tmp_path, text)
    assert (article.headline, article.published.date().isoformat()) == ("From front matter", "2025-03-04")
    assert article.extra.get("layout") == "post"
    assert article.sections[0].html == "<p>Hello <em>there</em>.</p>"


def test_broken_json_ld_and_unclosed_elements_do_not_stop_the_page(tmp_path: Path) -> None:
    text = '<html><head><title>Still read</title><script type="application/ld+json">{"@type": </script></head>'
    article, _ = _load(tmp_path, text + "<body><article><p>Body text.<nav>menu")
    assert article.headline == "Still read"
    assert [p for s in article.sections for p in s.paragraphs] == ["Body text."]


def test_a_page_with_no_headline_is_an_error_naming_the_file(tmp_path: Path) -> None:
    with pytest.raises(BroadsheetError, match=r"content/a\.html: no headline"):
        _load(tmp_path, "<html><body><p>Text with no title anywhere.</p></body></html>")


def test_an_html_article_is_built_like_any_other(tmp_path: Path) -> None:
    _load(tmp_path, SAVED, name="storm.html")
    build_site(BuildOptions(site=tmp_path, jobs=1))
    page = (tmp_path / "output" / "articles" / "storm-batters-coast-as-thousands-lose-power" / "index.html").read_text()
    assert "Thousands of homes lost power on Tuesday" in page
    assert "NAV-TEXT" not in page and "SCRIPT-TEXT" not in page


def test_a_head_never_closed_and_a_cdata_section_are_read_as_browsers_read_them(tmp_path: Path) -> None:
    """``<body>`` closes ``<head>``; ``<![CDATA[`` is a bogus comment up to the next ``>``, not to ``]]>``."""
    text = "<html><head><title>Read anyway</title><body><p>First.</p><![CDATA[ x ><p>Second.</p></body></html>"
    article, _ = _load(tmp_path, text)
    assert article.headline == "Read anyway"
    assert [p for s in article.sections for p in s.paragraphs] == ["First.", "Second."]


def test_the_headline_of_a_page_without_a_title_is_its_h1_even_in_the_cut_article_header(tmp_path: Path) -> None:
    text = "<html><body><article><header><h1>Only <em>here</em></h1></header><p>Body text.</p></article></body></html>"
    article, _ = _load(tmp_path, text)
    assert article.headline == "Only here"
    assert [p for s in article.sections for p in s.paragraphs] == ["Body text."]


# An older WordPress theme's single post: no <article> or <main>, the post's block named by its categories and tags
# (post_class()), the title an <h2>, subheadings inside "entry-content", an opinion piece in "commentary".
WORDPRESS_POST = """<html><head><title>How we use social media | Parish News</title><meta name="date" content="2024-06-01">
</head><body><div id="container"><div id="content" role="main">
<div id="post-42" class="post-42 post type-post hentry category-advertising tag-social-media tag-comments">
<h2 class="entry-title">How we use social media</h2>
<div class="entry-content"><p>We post on Facebook weekly.</p>
<section class="commentary"><p>Our view: the council should post more.</p></section>
<h2 class="wp-block-heading">What we never do</h2><p>We never buy ads.</p>
<span class="screen-reader-text">SCREEN-READER-TEXT</span><div aria-hidden="true">ARIA-HIDDEN-TEXT</div>
</div></div>
<div id="comments"><p>COMMENT-TEXT</p></div></div></div></body></html>
"""


def test_a_blog_post_named_by_its_tags_keeps_its_story_and_its_sections(tmp_path: Path) -> None:
    """ "tag-social-media" and "category-advertising" say what the post is about, not that it is furniture;
    "commentary" is no readers' comments; a subheading inside the post's <div>s still starts a section, and the
    title written as the post's first <h2> is the headline, not a section of it."""
    article, _ = _load(tmp_path, WORDPRESS_POST)
    assert article.headline == "How we use social media"
    assert [(s.heading, s.paragraphs) for s in article.sections] == [
        ("", ("We post on Facebook weekly.", "Our view: the council should post more.")),
        ("What we never do", ("We never buy ads.",)),
    ]
    page = "".join(s.html for s in article.sections)
    for unseen in ("SCREEN-READER-TEXT", "ARIA-HIDDEN-TEXT", "COMMENT-TEXT"):
        assert unseen not in page


def test_the_headline_is_the_h1_when_the_title_adds_the_site_name_after_it(tmp_path: Path) -> None:
    """No ``og:site_name`` says "Town Crier" is the site's: the <h1> shows where the headline ends, and is
    not left in the story as its first paragraph."""
    text = "<html><head><title>Waiting lists grow - News | Town Crier</title></head>"
    article, _ = _load(tmp_path, text + "<body><h1>Waiting lists grow</h1><p>Body text.</p></body></html>")
    assert article.headline == "Waiting lists grow"
    assert [p for s in article.sections for p in s.paragraphs] == ["Body text."]


def test_paragraphs_written_as_double_line_breaks_are_paragraphs(tmp_path: Path) -> None:
    text = "<HTML><HEAD><TITLE>Fete</TITLE></HEAD><BODY><P CLASS=note>First.<BR><BR>Second.<br />\n<br/>Third."
    article, _ = _load(tmp_path, text + "<br>Same.</BODY></HTML>")
    assert [p for s in article.sections for p in s.paragraphs] == ["First.", "Second.", "Third. Same."]


def test_elements_marked_by_their_role_are_closed_by_their_own_end_tag(tmp_path: Path) -> None:
    """A pre-HTML5 theme marks its parts with ``role``: a ``<div role="navigation">`` holding ``<div>``s is cut
    whole (its first inner ``</div>`` ended it, and the rest showed), a ``<div role="main">`` is the page's main
    content, and an ``<img role="banner">`` cuts nothing after it."""
    text = (
        "<html><head><title>Flood warning | Gazette</title></head><body>"
        '<div role="banner"><h1>Gazette</h1><div>BANNER-TEXT</div> BANNER-TAIL</div>'
        '<div role="navigation"><div><a href="/">Home</a></div> NAV-TAIL</div>'
        '<div class="wrap"><div role="main"><img role="banner" src="https://x.example/a.png" alt="">'
        "<p>Rivers rose overnight.</p><div><p>Residents were told to move.</p></div></div>"
        '<div class="links">LINKS-TEXT</div></div></body></html>'
    )
    article, _ = _load(tmp_path, text)
    page = "".join(s.html for s in article.sections)
    assert [p for s in article.sections for p in s.paragraphs] == [
        "Rivers rose overnight.",
        "Residents were told to move.",
    ]
    for furniture in ("BANNER-TEXT", "BANNER-TAIL", "NAV-TAIL", "LINKS-TEXT"):
        assert furniture not in page


@pytest.mark.parametrize(
    ("byline", "authors", "source"),
    [
        (
            '<div class="byline-block"><span>By <a href="/p/jane">Jane Doe</a></span> | <time>3 March</time></div>',
            ("Jane Doe",),
            None,
        ),
        ("<address>Jane Doe and Omar Ali, Reuters</address>", ("Jane Doe", "Omar Ali"), "Reuters"),
        (
            '<div class="byline"><img src="https://x.example/j.jpg" alt=""><span>Jane Doe</span><span>Climate reporter'
            "</span></div>",
            ("Jane Doe",),
            None,
        ),
        ('<div class="byline">Share this</div>', (), None),  # no name in it
    ],
)
def test_a_byline_in_the_story_is_cut_and_names_the_authors_when_nothing_else_does(
    tmp_path: Path, byline: str, authors: tuple[str, ...], source: str | None
) -> None:
    head = "<html><head><title>Storm | Gazette</title><meta name=date content=2025-01-01></head>"
    article, _ = _load(tmp_path, head + f"<body><article><h1>Storm</h1>{byline}<p>Rain fell.</p></article></body>")
    assert article.authors == authors
    assert (article.source.name if article.source else None) == source
    assert [p for s in article.sections for p in s.paragraphs] == ["Rain fell."]


def test_the_authors_a_page_names_in_its_metadata_win_over_its_byline(tmp_path: Path) -> None:
    head = '<html><head><title>Storm</title><meta name=date content=2025-01-01><meta name="author" content="Ann Lee">'
    article, _ = _load(tmp_path, head + '</head><body><div class="byline">By Jane Doe</div><p>Rain.</p></body>')
    assert article.authors == ("Ann Lee",)


def test_a_byline_paragraph_left_open_ends_where_the_next_block_starts(tmp_path: Path) -> None:
    """``<p class="byline">`` with no ``</p>``, as older pages write paragraphs: the parser ends it at the next
    paragraph, and so does the cut (the whole story went with it)."""
    text = "<html><head><title>Storm</title><meta name=date content=2025-01-01></head><body><article>"
    article, _ = _load(tmp_path, text + '<p class="byline">By Jane Doe<p>Rain fell.<p>Roads closed.</article>')
    assert article.authors == ("Jane Doe",)
    assert [p for s in article.sections for p in s.paragraphs] == ["Rain fell.", "Roads closed."]


def test_shortcodes_in_an_html_content_file_are_expanded_as_hugo_does_but_not_in_a_saved_page(tmp_path: Path) -> None:
    hugo = (
        "---\ntitle: Harbour day\ndate: 2025-03-04\n---\n<p>The quay reopened.</p>\n"
        '{{< figure src="https://example.org/quay.jpg" caption="The new quay" >}}\n<p>Boats returned.</p>\n'
    )
    article, diagnostics = _load(tmp_path, hugo)
    page = "".join(s.html for s in article.sections)
    assert '<img src="https://example.org/quay.jpg"' in page and "<figcaption>The new quay</figcaption>" in page
    assert "{{<" not in page and not diagnostics.warnings
    saved = "<html><head><title>App</title><meta name=date content=2025-01-01></head><body><p>Hello {{ name }}.</p>"
    article, _ = _load(tmp_path, saved + "</body></html>", "saved.html")
    assert [p for s in article.sections for p in s.paragraphs] == ["Hello {{ name }}."]


# A BBC-shaped story: its parts named only by ``data-component`` and ``data-testid``, as a React front end writes them.
COMPONENT_NAMED = """<!DOCTYPE html><html lang="en-GB"><head><title>Storm Ciarán: Homes without power - BBC News</title>
<meta property="og:site_name" content="BBC News"><meta name="date" content="2023-11-02T07:14:21Z"></head><body>
<main id="main-content" data-testid="main-content" class="ssrcss-1q0x1qg-Main"><article class="ssrcss-pv1rh6-ArticleWrapper">
<header data-component="headline-block" class="ssrcss-1eqcsb1-HeadingWrapper"><h1 id="main-heading">Storm Ciarán: Homes
 without power</h1></header>
<div data-component="byline-block" class="ssrcss-68pt20-Text-TextContributorName"><div class="ssrcss-1dkshs2-Contributor">
<div>By Tom Oakes</div><div>BBC News, Cornwall</div></div></div>
<div data-component="text-block" class="ssrcss-11r1m41-RichTextComponentWrapper"><div class="ssrcss-7uxr49-RichTextContainer">
<p class="ssrcss-1q0x1qg-Paragraph">More than 20,000 homes in Cornwall are without power after Storm Ciarán.</p></div></div>
<div data-component="related-links" class="ssrcss-1jhd3l8-LinksWrapper"><h2>Related Internet Links</h2><ul>
<li><a href="https://www.metoffice.gov.uk/">Met Office</a></li></ul></div>
<div data-module="ShareTools" class="ssrcss-share"><span>Share this page</span> <a href="mailto:">Email</a></div>
<div data-component="text-block" class="ssrcss-11r1m41-RichTextComponentWrapper"><div class="ssrcss-7uxr49-RichTextContainer">
<p class="ssrcss-1q0x1qg-Paragraph">National Grid said engineers were working to restore supplies.</p></div></div>
<section data-testid="newsletter-signup" class="ssrcss-signup"><h2>Get news from Cornwall in your inbox</h2>
<p>Sign up for our weekday morning email.</p></section>
<div data-component="tag-list" class="ssrcss-1qmkvfu-TagList"><h2>More on this story</h2><ul><li><a href="/news/topics/c1">
Storms</a></li></ul></div>
</article></main></body></html>
"""


def test_furniture_named_only_by_data_component_testid_or_module_is_cut(tmp_path: Path) -> None:
    """``data-component``, ``data-testid`` and ``data-module`` name a block as a class does: related links, a share
    bar, a sign-up box and a tag list are cut, the "main-content" kept, and the "byline-block" names the author."""
    article, _ = _load(tmp_path, COMPONENT_NAMED)
    assert article.headline == "Storm Ciarán: Homes without power"
    assert article.authors == ("Tom Oakes",)
    assert [p for s in article.sections for p in s.paragraphs] == [
        "More than 20,000 homes in Cornwall are without power after Storm Ciarán.",
        "National Grid said engineers were working to restore supplies.",
    ]
    page = "".join(s.html for s in article.sections)
    for furniture in ("Met Office", "Share this page", "Sign up", "inbox", "Storms", "More on this story", "Oakes"):
        assert furniture not in page


# A classic WordPress theme's single post: no <article> or <main>; the menus, breadcrumbs and footers are <div>s and
# <ul>s named for what they are, and the whole page is inside a wrapper named for the menu's state.
CLASSIC_THEME = """<html><head><title>Allotment waiting lists hit record - Town Crier</title>
<meta name="date" content="2024-06-01"></head>
<body class="post-template-default single single-post"><div class="page-wrapper menu-open">
<div id="masthead" class="site-header-wrap"><div class="navbar navbar-default"><ul id="menu-primary" class="nav-menu">
<li class="menu-item"><a href="/">Home</a></li><li class="menu-item"><a href="/news/">MENU-TEXT News</a></li></ul></div>
<div class="menu-secondary-container"><ul id="menu-secondary" class="menu"><li><a href="/about/">MENU-TEXT About</a></li>
</ul></div></div>
<div id="breadcrumbs" class="breadcrumbs"><span><a href="/">Home</a></span> » <span>BREADCRUMB-TEXT</span></div>
<div id="content" class="site-content">
<h1 class="entry-title">Allotment waiting lists hit record</h1>
<div class="entry-content"><p>More than 300 people are waiting for an allotment in the town.</p>
<div class="section-header"><h2>What the council says</h2></div>
<p>The council said it would open the old rail land.</p>
<div class="article-footer-notes"><p>Figures from the council's 2024 allotment survey.</p></div>
</div>
<div class="entry-footer"><span class="cat-links">ENTRY-FOOTER-TEXT Posted in News</span></div>
</div>
<div id="footer" class="site-footer"><div class="footer-widgets">FOOTER-TEXT Town Crier, 1 High Street</div>
<p class="copyright">FOOTER-TEXT © 2024 Town Crier</p></div>
</div></body></html>
"""


def test_menus_navbars_breadcrumbs_and_footers_named_by_class_or_id_are_cut(tmp_path: Path) -> None:
    """The names "footer", "site-footer", "menu", "navbar", "nav-menu" and "breadcrumbs" are furniture's;
    "section-header" holds a subheading and "article-footer-notes" the story's own notes (a story word in its name,
    the rest not all furniture), and the wrapper named "menu-open" holds the headline: each is kept."""
    article, _ = _load(tmp_path, CLASSIC_THEME)
    assert article.headline == "Allotment waiting lists hit record"
    assert [(s.heading, s.paragraphs) for s in article.sections] == [
        ("", ("More than 300 people are waiting for an allotment in the town.",)),
        (
            "What the council says",
            (
                "The council said it would open the old rail land.",
                "Figures from the council's 2024 allotment survey.",
            ),
        ),
    ]
    page = "".join(s.html for s in article.sections)
    for furniture in ("MENU-TEXT", "BREADCRUMB-TEXT", "ENTRY-FOOTER-TEXT", "FOOTER-TEXT", "Home"):
        assert furniture not in page


# A news CMS's story: every part of it named "article-…" or "story-…", the story's own text and its furniture alike.
ARTICLE_PREFIXED = """<html><head><title>Rents rise again | Daily Ledger</title><meta name="date" content="2025-02-03">
</head><body><article class="article article--news">
<h1 class="article__headline">Rents rise again</h1>
<div class="article-share"><span>ARTICLE-SHARE-TEXT Share this article</span> <a href="https://x.example/s">X</a></div>
<div class="article-body">
<div class="article__text"><p>Average rents rose 9% in the year to January.</p></div>
<div class="article__newsletter"><h3>ARTICLE-NEWSLETTER-TEXT The Morning Ledger</h3><p>Our briefing, every weekday.</p>
</div>
<div class="story-content"><p>Tenants' groups called for a cap.</p></div>
</div>
<ul class="article-tags"><li><span>ARTICLE-TAGS-TEXT Topics:</span> <a href="/tag/housing">Housing</a></li></ul>
<div class="story-related"><h2>STORY-RELATED-TEXT Read next</h2><p>Landlords warn of sell-off</p></div>
<div class="article-footer"><p>ARTICLE-FOOTER-TEXT Published by the Daily Ledger</p></div>
</article></body></html>
"""


def test_a_name_of_the_story_whose_rest_is_furniture_is_furniture(tmp_path: Path) -> None:
    """A story's "article-share", "article__newsletter", "article-tags", "story-related" and "article-footer" are its
    furniture; its "article-body", "article__text" and "story-content" are its text."""
    article, _ = _load(tmp_path, ARTICLE_PREFIXED)
    assert [p for s in article.sections for p in s.paragraphs] == [
        "Average rents rose 9% in the year to January.",
        "Tenants' groups called for a cap.",
    ]
    page = "".join(s.html for s in article.sections)
    for furniture in ("ARTICLE-SHARE", "ARTICLE-NEWSLETTER", "ARTICLE-TAGS", "STORY-RELATED", "ARTICLE-FOOTER"):
        assert furniture + "-TEXT" not in page


# A WordPress post whose blocks hold lists of links named for nothing they are: a "More from this section" group and a
# tag list; a related-posts box (named furniture, cut by its name) does not count toward the text around it.
LINK_LISTS = """<html><head><title>Bus routes cut | Valley Post</title><meta name="date" content="2025-04-01"></head>
<body><article id="post-7" class="post-7 post type-post">
<h1 class="entry-title">Bus routes cut</h1>
<div class="post-inner"><div class="entry-content">
<p>Three routes will end in May, the operator said, citing <a href="/fuel">fuel costs</a> and
<a href="/drivers">a shortage of drivers</a>.</p>
<p><a href="/r1">Route 1</a>, <a href="/r4">Route 4</a> and <a href="/r9">Route 9</a>.</p>
<div class="wp-block-group is-layout-constrained"><h3>More from Transport</h3>
<ul class="wp-block-latest-posts__list"><li><a href="/a">Rail fares to rise by 4.6% from March</a></li>
<li><a href="/b">New cycle lane opens on the ring road</a></li>
<li><a href="/c">Council confirms park-and-ride will stay</a></li></ul></div>
<ul><li>Route 1: <a href="/r1">Town centre</a> to the hospital, ends 3 May</li>
<li>Route 9: Market Street to the station, ends 10 May</li></ul>
<section class="wp-block-group"><a href="/t/buses" rel="tag">Buses</a>, <a href="/t/council" rel="tag">Council</a>,
<a href="/t/transport" rel="tag">Transport</a></section>
</div>
<div class="jp-relatedposts"><a href="/1">First related post, with a long headline to read</a>
<a href="/2">Second related post, with a long headline to read</a><a href="/3">Third related post headline</a>
<a href="/4">Fourth related post headline</a></div>
</div></article></body></html>
"""


def test_blocks_of_nearly_nothing_but_links_are_cut_but_not_paragraphs_with_links(tmp_path: Path) -> None:
    """A block (not a paragraph) of three links or more whose text is nearly all theirs is a list of other pages:
    cut. A paragraph of links, a list with text of its own, and the post's block around a related-posts box (whose
    links are not counted, it being cut by its name) stay."""
    article, _ = _load(tmp_path, LINK_LISTS)
    assert [p for s in article.sections for p in s.paragraphs] == [
        "Three routes will end in May, the operator said, citing fuel costs and a shortage of drivers.",
        "Route 1, Route 4 and Route 9.",
        "Route 1: Town centre to the hospital, ends 3 May",
        "Route 9: Market Street to the station, ends 10 May",
    ]
    page = "".join(s.html for s in article.sections)
    for furniture in ("More from Transport", "Rail fares", "Buses", "related post"):
        assert furniture not in page
    brief = LINK_LISTS.split('<div class="post-inner">')[0] + (
        '<div class="post-inner"><p>The library reopens on Monday at 9am.</p><div class="jp-relatedposts">'
        '<a href="/1">Library cuts: what we know so far about the plans</a> <a href="/2">Opening hours to change'
        ' in June, the council confirms</a> <a href="/3">Mobile library route extended to three villages</a></div>'
        "</div></article></body></html>"
    )
    article, _ = _load(tmp_path, brief, "brief.html")
    assert [p for s in article.sections for p in s.paragraphs] == ["The library reopens on Monday at 9am."]
    cited = LINK_LISTS.split('<div class="post-inner">')[0] + (
        '<div class="post-inner"><p>The report counted 40 closures.</p><ol class="footnotes">'
        '<li><a href="https://example.org/report.pdf">Transport Authority, Annual report 2024</a></li>'
        '<li><a href="https://example.org/survey">Passenger survey, March 2025</a></li>'
        '<li><a href="https://example.org/minutes">Council minutes, 12 March 2025</a></li></ol>'
        "</div></article></body></html>"
    )
    article, _ = _load(tmp_path, cited, "cited.html")  # the story's references: named so, never cut for their links
    assert "Passenger survey, March 2025" in "".join(s.html for s in article.sections)
