"""``broadsheet topics``: why each story is filed where it is (scores and matched terms)."""

from __future__ import annotations

import argparse
from collections.abc import Iterator
from datetime import datetime
from pathlib import Path
from typing import Any

from ..build import BuildOptions, publishable
from ..config import load_config
from ..enrich import Enricher, enrich
from ..errors import BroadsheetError, Diagnostics
from ..loaders import discover, load_file
from .common import report, selection, selection_arguments, site_argument


def register(commands: Any) -> None:
    parser: argparse.ArgumentParser = commands.add_parser(
        "topics", help="list each story's topics with their scores and matched terms"
    )
    site_argument(parser)
    selection_arguments(parser)
    parser.set_defaults(func=run)


def listing(site: Path, diagnostics: Diagnostics, options: BuildOptions | None = None) -> Iterator[str]:
    """Lines of the listing: per story, every matching topic; ``*`` marks those the story is filed under.

    The articles are those ``build`` with the same ``--drafts``/``--future``/``--expired`` publishes.
    """
    config = load_config(site)
    options = options or BuildOptions(site=site)
    now = options.now or datetime.now(config.tz)
    enricher = Enricher.for_site(config)
    for path in discover(config, diagnostics):
        try:
            article = load_file(path, config, diagnostics)
        except BroadsheetError as exc:
            diagnostics.error(exc if exc.path else exc.located(path.relative_to(config.paths.root)))
            continue
        if not publishable(article, options, now):
            continue
        article, stories = enrich(article, enricher)
        yield f"{article.provenance.path}: {article.headline}"
        for story in stories:
            yield f"  #{story.anchor} {story.heading}"
            kept = {m.slug for m in story.topics}
            scored = enricher.topics.scores(story.heading, " ".join(story.paragraphs))
            shown = [*(m for m in story.topics if m.slug not in {s.slug for s in scored}), *scored]
            for match in sorted(shown, key=lambda m: m.slug not in kept):
                mark = "*" if match.slug in kept else " "
                terms = ", ".join(match.terms) or "(no term matched)"
                yield f"    {mark} {match.slug:<24} {match.score:>6.1f}  {terms}"


def run(args: argparse.Namespace) -> int:
    diagnostics = Diagnostics()
    site = Path(args.site)
    for line in listing(site, diagnostics, selection(args, BuildOptions(site=site))):
        print(line)
    report(diagnostics)
    return 1 if diagnostics.errors else 0  # as build: an input it could not read is a failure a script sees
