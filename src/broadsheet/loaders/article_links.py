"""Links from one article to another: ``[the follow-up](two.md)``, Pelican's ``{filename}two.md``, Hugo's ``ref``,
Jekyll's ``post_url``.

A loader cannot know where the other article will be on the site: its slug
is settled only once every article is read (build.deduplicate), and it may
be a draft, a future article or a duplicate left out (a link to it leads to
the article kept in its place: SiteIndex.duplicates). So the loader writes
such a link's URL as a marker, ``broadsheet-article:KEYS#FRAGMENT``, naming
the content file (or, for Hugo's extension-less ``ref "about"``, the files)
it may be, and records the markers with the article (``Provenance.links``).
The article's page and the feeds put the other article's URL in its place
when they show the text (``resolve``), or show the link's text alone when no
article of the site is there. No URL of an input can be a marker: nh3 keeps
only http, https and mailto URLs, and markers are written after it. The loader
also records the line each marker is first written on (``line_of``), for the
warning about a link that leads nowhere.
"""

from __future__ import annotations

import html
import re
import unicodedata
from collections.abc import Iterator, Mapping, Sequence
from urllib.parse import quote, unquote

from ..slugs import slugify
from .assets import JEKYLL_SITE, content_path, query_and_fragment

SCHEME = "broadsheet-article:"
# The suffixes the loaders read (loaders.LOADERS, which a test holds to this): what an article's file ends with.
ARTICLE_SUFFIXES = (".md", ".markdown", ".txt", ".text", ".mkd", ".mkdn", ".mdown", ".mkdown", ".html", ".htm")
# Pelican's ways to name another article: ``{filename}`` (and ``|filename|`` before 3.0), from the
# article's folder, or the content folder's when the path starts with "/".
PELICAN_FILENAME = ("{filename}", "|filename|")
# Pelican's links to the site's own pages: ``{tag}NAME`` (a category is a tag here), ``{author}NAME``, ``{index}``.
PELICAN_PAGES = {
    f"{start}{kind}{end}": kind for kind in ("tag", "category", "author", "index") for start, end in ("{}", "||")
}
PAGE = "@"  # a marker's key naming a page of the site (``@tag/NAME``), not a file: no site path starts so
# Why a link leads nowhere (``nowhere``).
NO_ARTICLE = (
    "no article of the site is read from that file (not there, a draft, a future article, or a duplicate of one)"
)
NO_PAGE = "the site has no such page"
# Hugo's ``[text]({{< ref "other.md" >}})`` (``relref`` too, ``{{% %}}`` delimiters too, the path quoted or not).
_HUGO_REF = re.compile(r'\{\{([<%])\s*(?:rel)?ref\s+(?:"(?P<quoted>[^"]*)"|(?P<bare>[^\s"}]+))\s*[>%]\}\}')
# Jekyll's ``{% post_url 2025-05-12-trams %}`` (a post by its name, in ``_posts``) and ``{% link _posts/x.md %}``
# (a file from the site's root), after the ``{{ site.baseurl }}`` its links often start with.
_JEKYLL = re.compile(
    f"(?:{JEKYLL_SITE.pattern})?" + r"\{%-?\s*(?P<tag>post_url|link)\s+(?P<path>[^\s%]+)\s*-?%\}(?P<rest>[?#].*)?"
)
# A link of the text whose URL is a marker, as nh3 and the loader write it (every value double-quoted), and
# what it holds up to its end tag: html5ever never nests a link in another, and escapes every "<" of text.
_MARKED = re.compile(
    r'<a(?P<before>(?:\s[a-z-]+="[^"]*")*?)\shref="' + re.escape(SCHEME) + r'(?P<marker>[^"]*)"'
    r'(?P<after>(?:\s[a-z-]+="[^"]*")*)>'
    r"(?:(?P<text>(?:[^<]|<(?!/?a[\s/>]))*+)(?P<end></a>))?"
)


def marker_for(url: str, article: str, content: str) -> str | None:
    """The marker standing for a page-relative ``url`` of the article at ``article`` if it names another article.

    ``article`` and ``content`` are site paths (loaders/assets.py). None: the
    URL names no article's file (a photo, a page of another site), or one out
    of the content folder.
    """
    hugo = _HUGO_REF.fullmatch(url.strip())
    if hugo is not None:
        written = hugo.group("quoted") if hugo.group("quoted") is not None else hugo.group("bare")
        fragment = query_and_fragment(written)
        path = unquote(written[: len(written) - len(fragment)])
        if not path:  # ``ref "#anchor"``: a story of this very article
            return _marker([article], fragment)
        # Hugo looks from the page's folder first, then from the content folder.
        keys = [content_path(path, article, content), content_path("/" + path.lstrip("/"), article, content)]
        return _marker([key for key in keys if key is not None], fragment)
    jekyll = _JEKYLL.fullmatch(url.strip())
    if jekyll is not None:
        path = unquote(jekyll.group("path")).lstrip("/")
        posts = path if jekyll.group("tag") == "link" or path.startswith("_posts/") else f"_posts/{path}"
        # The posts folder in the content folder, or its posts moved into the content folder itself.
        keys = [
            content_path("/" + posts, article, content),
            content_path("/" + posts.removeprefix("_posts/"), article, content),
        ]
        return _marker([key for key in keys if key is not None], jekyll.group("rest") or "")
    fragment = query_and_fragment(url)
    path = url[: len(url) - len(fragment)]
    for prefix, kind in PELICAN_PAGES.items():
        if path.startswith(prefix):
            name = unquote(path[len(prefix) :]).strip()
            if kind == "index":
                return _marker([PAGE + kind], fragment)
            return _marker([f"{PAGE}{'tag' if kind == 'category' else kind}/{name}"], fragment) if name else None
    for prefix in PELICAN_FILENAME:
        if path.startswith(prefix):
            path = path[len(prefix) :]
            break
    if not path.lower().endswith(ARTICLE_SUFFIXES):
        return None
    key = content_path(unquote(path), article, content)
    return None if key is None else _marker([key], fragment)


def _marker(keys: list[str], fragment: str) -> str | None:
    if not keys:
        return None
    anchor = fragment.partition("#")[2]  # a query means nothing to an article's page
    spelled = "|".join(quote(key, safe="/") for key in dict.fromkeys(keys))
    return f"{SCHEME}{spelled}#{anchor}" if anchor else SCHEME + spelled


def _keys(marker: str) -> list[str]:
    """The site paths ``marker`` names, as written."""
    return [unquote(key) for key in marker.removeprefix(SCHEME).partition("#")[0].split("|")]


def page_named(marker: str) -> tuple[str, str] | None:
    """The page of the site ``marker`` names, as (kind, name): ("tag", "Climate"), ("author", …), ("index", "")."""
    key = _keys(marker)[0]
    if not key.startswith(PAGE):
        return None
    kind, _, name = key[len(PAGE) :].partition("/")
    return kind, name


def files_named(marker: str) -> Iterator[str]:
    """The site paths an article's file may have for ``marker``, in the order tried, in Unicode's NFC."""
    for key in _keys(marker):
        path = unicodedata.normalize("NFC", key)
        if path.lower().endswith(ARTICLE_SUFFIXES):
            yield path
        else:  # Hugo's ``ref "about"``: about.md, or a page bundle about/index.md
            yield from (path + suffix for suffix in ARTICLE_SUFFIXES)
            yield from (f"{path}/index{suffix}" for suffix in ARTICLE_SUFFIXES)
            yield from (f"{path}/_index{suffix}" for suffix in ARTICLE_SUFFIXES)


def nowhere(marker: str) -> str:
    """What a warning says of a link that leads nowhere: what it names, and why."""
    page = page_named(marker)
    if page is None:
        return f"link to {' or '.join(_keys(marker))}: {NO_ARTICLE}"
    kind, name = page
    return f"link to the {kind} page of '{name}': {NO_PAGE}" if name else f"link to the {kind}: {NO_PAGE}"


def line_of(url: str, body: str, first_line: int) -> int | None:
    """The line of the file where ``body`` (its text from line ``first_line`` on) writes a link to ``url``.

    ``url`` as the link's ``href`` has it. Where it follows what opens a
    link's URL (``](``, ``<``, ``]: ``, a quote), else anywhere: the first
    such place. None: ``url`` is not written so (an escape undone, say).
    """
    places = [at + len(opening) for opening in ("(", "<", ": ", '"', "'") if (at := body.find(opening + url)) >= 0]
    at = min(places) if places else body.find(url)
    return None if at < 0 else first_line + body.count("\n", 0, at)


def anchor_of(marker: str, headings: Sequence[str]) -> str:
    """The story of the other article the marker's fragment names (``#story-2``), if any: "" for its top.

    Stories are anchored ``story-N`` on an article's page; a fragment may
    also name a story by its heading as python-markdown and Hugo make ids
    (``#the-vote`` for "The vote"). Any other fragment would go nowhere.
    """
    fragment = marker.partition("#")[2]
    if not fragment:
        return ""
    wanted = slugify(unquote(fragment))
    for number, heading in enumerate(headings, 1):
        if fragment == f"story-{number}" or (heading and slugify(heading) == wanted):
            return f"#story-{number}"
    return ""


def resolve(fragment: str, targets: Mapping[str, str | None], to_site_root: str) -> str:
    """``fragment`` (a body) with each marked link leading to its page, or left out (None in ``targets``).

    ``targets``: each marker's site path (``articles/SLUG/#story-2``, ``tags/climate/``, "" for the front page);
    ``to_site_root``: what leads from where the body is shown to the site's
    root (``../../`` on an article's page, the base URL in a feed). A link
    left out is its text alone (sanitised HTML, kept as it is): a link with
    no ``href`` would still be a link to screen readers and styles.
    """
    if SCHEME not in fragment:
        return fragment

    def replace(link: re.Match[str]) -> str:
        target = targets.get(SCHEME + html.unescape(link.group("marker")))
        attributes = link.group("before") + link.group("after")
        if target is None:
            # No end tag found (never so in what nh3 writes): an anchor without href, as it was.
            return link.group("text") if link.group("end") else f"<a{attributes}>"
        opening = f'<a{attributes} href="{html.escape(to_site_root + target)}">'
        return opening + link.string[link.end("after") + 1 : link.end()]  # and its text and end tag as they were

    return _MARKED.sub(replace, fragment)
