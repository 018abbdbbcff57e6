"""Starting points: a new article file (``broadsheet new``) and a new site (``broadsheet init``).

Both only ever create files: an existing article or a non-empty folder is
never overwritten, so running either twice by mistake loses nothing. What
they write is parsed with the same code the build uses before it is written,
so a scaffolded site always builds.
"""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

import yaml

from .config import CONFIG_NAME, SiteConfig, parse_config
from .errors import BroadsheetError
from .loaders.article import make_slug
from .slugs import slugify

ARTICLE_BODY = """\
Write the article here, in Markdown. Each `## Heading` starts a new story of the digest;
set `draft: false` (or delete the line) to publish it.
"""

SITE_YAML = """\
# broadsheet site settings: see the README for every key.
title: {title}
description: {description}
base_url: {base_url}  # where the site will be published; used in feeds and canonical links
language: en
timezone: {timezone}  # naive dates in content are read in this zone
page_size: 20
front_page_stories: 6

paths: {{content: content, seeds: seeds, templates: templates, output: output}}

# Stories are filed under the topic whose terms they mention most.
topics:
  - name: site news
    description: News about this digest itself.
    keywords: [welcome, digest, broadsheet]

search: true  # full-text search with Pagefind
"""

WELCOME_BODY = """\
This digest was just created with `broadsheet init`. Add articles to `content/` as Markdown
files with front matter (`broadsheet new "Headline"` writes one for you) or plain-text wire
copies to `seeds/`, then run `broadsheet build`, or `broadsheet serve` to watch the site
rebuild as you write.

Topics live in `site.yaml`: each story is filed under the topic whose keywords it mentions
most. Put a template of the same name in `templates/` to override any part of the theme.
"""

MAX_NUMBERED = 999  # article-2 … article-999: names for headlines that give none

# What a build writes in the site folder: the site, the next version being made beside it, their lock, the cache.
GITIGNORE = "/output/\n/.output.shadow/\n/.output.lock\n/.cache/\n"


def _yaml_scalar(value: str) -> str:
    """``value`` as one YAML scalar, quoted only where YAML needs it."""
    dumped = yaml.safe_dump(value, allow_unicode=True, default_flow_style=True, width=1_000_000)
    return dumped.removesuffix("\n...\n").strip()


def front_matter_article(
    headline: str, published: datetime, body: str, *, tags: tuple[str, ...] = (), draft: bool = True
) -> str:
    """A Markdown article with YAML front matter in the keys the loaders read."""
    lines = [
        "---",
        f"title: {_yaml_scalar(headline)}",
        f"date: {published.replace(microsecond=0).isoformat()}",
        "authors: []",
        f"tags: [{', '.join(_yaml_scalar(tag) for tag in tags)}]",
        'summary: ""',
    ]
    if draft:
        lines.append("draft: true")
    return "\n".join([*lines, "---", "", body])


def clean_headline(headline: str) -> str:
    text = " ".join(headline.split())
    if not text:
        raise BroadsheetError('the headline is empty: give one, e.g. broadsheet new "Council backs tram plan"')
    return text


def new_article(config: SiteConfig, headline: str, now: datetime) -> Path:
    """Write ``content/<date>-<slug>.md`` as a draft dated ``now`` in the site's zone; never overwrites.

    A file of that name is an error: its name comes from the headline, so
    it is most likely this very article, started before. A headline with
    no letters or digits (``"🎉🎉"``) gives no name of its own but
    ``article``, which says nothing about it: such a one takes the first
    free of ``article``, ``article-2``, … ``article-999``.
    """
    headline = clean_headline(headline)
    local = now.astimezone(config.tz)
    text = front_matter_article(headline, local, ARTICLE_BODY)
    folder, stem = config.paths.content, f"{local:%Y-%m-%d}-{make_slug(headline)}"
    if slugify(headline):
        _create(folder / f"{stem}.md", text)
        return folder / f"{stem}.md"
    names = [f"{stem}.md", *(f"{stem}-{n}.md" for n in range(2, MAX_NUMBERED + 1))]
    for name in names:
        if _create_new(folder / name, text):
            return folder / name
    raise BroadsheetError(f"no free file name: {names[0]} to {names[-1]} all exist", folder)


def site_yaml(title: str, base_url: str, timezone: str) -> str:
    return SITE_YAML.format(
        title=_yaml_scalar(title),
        description=_yaml_scalar(f"News digest: {title}"),
        base_url=_yaml_scalar(base_url),
        timezone=_yaml_scalar(timezone),
    )


def default_title(folder: Path) -> str:
    words = folder.resolve().name.replace("-", " ").replace("_", " ").split()
    return " ".join(word[:1].upper() + word[1:] for word in words) or "My Digest"


def init_site(folder: Path, now: datetime, title: str = "", base_url: str = "", timezone: str = "UTC") -> list[Path]:
    """Scaffold a site in ``folder`` (new or empty): settings, a welcome article, empty seeds/ and templates/.

    Returns what was created. The settings are validated before anything is
    written, so a bad ``--timezone`` or ``--base-url`` leaves no half-made site.
    """
    if folder.exists() and not folder.is_dir():
        raise BroadsheetError("refusing to scaffold a site here: it is a file, not a folder", folder)
    if folder.exists() and any(folder.iterdir()):
        raise BroadsheetError("refusing to scaffold a site here: the folder is not empty", folder)
    text = site_yaml(title or default_title(folder), base_url or "https://example.org/", timezone)
    config = parse_config(text, folder.resolve(), folder / CONFIG_NAME)
    local = now.astimezone(config.tz)
    welcome = config.paths.content / f"{local:%Y-%m-%d}-welcome.md"
    article = front_matter_article(f"Welcome to {config.title}", local, WELCOME_BODY, tags=("welcome",), draft=False)
    folder.mkdir(parents=True, exist_ok=True)
    _create(folder / CONFIG_NAME, text)
    _create(welcome, article)
    config.paths.seeds.mkdir()
    config.paths.templates.mkdir()
    _create(folder / ".gitignore", GITIGNORE)
    # Named as the user named the folder (``mysite/seeds``), not some relative and some resolved.
    inside = [welcome, config.paths.seeds, config.paths.templates]
    return [
        folder / CONFIG_NAME,
        *(folder / path.relative_to(config.paths.root) for path in inside),
        folder / ".gitignore",
    ]


def _create(path: Path, text: str) -> None:
    """Write a new file; an existing one is an error, never overwritten."""
    if not _create_new(path, text):
        raise BroadsheetError("already exists: not overwritten (choose another headline or edit it)", path)


def _create_new(path: Path, text: str) -> bool:
    """Write a new file, or return False when the name is taken (nothing is overwritten); other failures raise."""
    path.parent.mkdir(parents=True, exist_ok=True)
    try:
        with path.open("x", encoding="utf-8") as file:
            file.write(text)
    except FileExistsError:
        return False
    except OSError as exc:
        raise BroadsheetError(f"cannot write: {exc.strerror or exc}", path) from None
    return True
