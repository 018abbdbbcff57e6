"""``broadsheet topics``: why each story is filed where it is (scores and matched terms)."""

from __future__ import annotations

import argparse
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from ..config import load_config
from ..enrich import Enricher, enrich
from ..errors import BroadsheetError, Diagnostics
from ..loaders import discover, load_file
from .common import report, site_argument


def register(commands: Any) -> None:
    parser: argparse.ArgumentParser = commands.add_parser(
        "topics", help="list each story's topics with their scores and matched terms"
    )
    site_argument(parser)
    parser.set_defaults(func=run)


def listing(site: Path, diagnostics: Diagnostics) -> Iterator[str]:
    """Lines of the listing: per story, every matching topic; ``*`` marks those the story is filed under."""
    config = load_config(site)
    enricher = Enricher.for_site(config)
    for path in discover(config, diagnostics):
        try:
            article = load_file(path, config, diagnostics)
        except BroadsheetError as exc:
            diagnostics.error(exc if exc.path else exc.located(path.relative_to(config.paths.root)))
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
    for line in listing(Path(args.site), diagnostics):
        print(line)
    report(diagnostics)
    return 0
