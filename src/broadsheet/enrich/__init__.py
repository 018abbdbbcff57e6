"""Enrichment: from an ``Article`` to the ``Story`` records the digest shows.

Each step is a pure function of the article and the site's ``Enricher`` (its
topics, gazetteer and options), so its result can be cached by content hash:
topics (topics.py), people/organisations/places (entities.py), quotes
(quotes.py), key figures (figures.py) and summaries (summary.py). Steps that
need every article at once (duplicates, story clusters, names merged across
articles) run afterwards in site.py.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

from ..config import SiteConfig
from ..model import Article, Quote, Story
from .entities import ArticleEntities, EntityFinder
from .figures import find_figures, qualifiers_from
from .gazetteer import load_gazetteer
from .quotes import FoundQuote, find_quotes
from .summary import lead_summary, notes_of, two_sentence_summary
from .text import PARAGRAPH_BREAK, fold
from .topics import TopicMatcher


@dataclass(frozen=True)
class Enricher:
    """What enrichment knows about one site, built once per build."""

    topics: TopicMatcher
    names: EntityFinder

    @classmethod
    def for_site(cls, config: SiteConfig) -> Enricher:
        """Compile the topic matcher and load the gazetteer (``BroadsheetError`` if it is invalid)."""
        gazetteer = load_gazetteer(config.paths.data, config.enrich.gazetteer)
        return cls(TopicMatcher.for_site(config), EntityFinder.with_gazetteer(gazetteer))


def article_summary(article: Article, notes: frozenset[str] = frozenset()) -> str:
    """The input's own summary, else two sentences: the lead and the one adding most to it."""
    if article.summary:
        return article.summary
    paragraphs = tuple(p for section in article.sections for p in section.paragraphs)
    return two_sentence_summary(article.headline, paragraphs, notes)


def _prose(article: Article, notes: frozenset[str]) -> list[str]:
    """Each section's paragraphs (editorial notes left out) as one text: one pass per step, not per paragraph."""
    return [PARAGRAPH_BREAK.join(p for p in s.paragraphs if p not in notes) for s in article.sections]


def _texts(article: Article, prose: list[str]) -> list[tuple[int, str, bool]]:
    """(story index, text, is a heading) of everything entities are looked for in; the headline goes with story 0."""
    texts = [(0, article.headline, True)]
    for index, section in enumerate(article.sections):
        if section.heading:
            texts.append((index, section.heading, True))
        texts.append((index, prose[index], False))
    return texts


def _quote(found: FoundQuote, entities: ArticleEntities, in_headline: bool) -> Quote:
    """A found quote with its speaker phrase resolved to an entity where one is named in it."""
    entity = entities.in_phrase(found.who) if found.who else None
    if entity is not None and entity.kind == "place":
        entity = None
    speaker = found.who
    if entity is not None and (entity.kind == "person" or fold(found.who) in map(fold, entity.surfaces)):
        speaker = entity.name  # "council chair Ines Varga" → Ines Varga; "analysts at Harlow Capital" stays
    return Quote(found.text, speaker, in_headline, found.indirect, found.via, entity.slug if entity else "")


def stories_of(article: Article, enricher: Enricher, notes: frozenset[str] = frozenset()) -> tuple[Story, ...]:
    """One story per section; an article without headed sections is one story."""
    texts = _prose(article, notes)
    entities = enricher.names.find(_texts(article, texts))
    forced = enricher.topics.forced(article.extra.get("topic"))
    headline_quotes = [_quote(q, entities, True) for q in find_quotes(article.headline, headline=True)]
    headline_qualifiers = qualifiers_from((article.headline,))  # read once, not once per section
    stories = []
    for index, section in enumerate(article.sections):
        heading = section.heading or (article.headline if index == 0 else "")
        body = " ".join(section.paragraphs)
        qualifiers = {**qualifiers_from((section.heading,)), **headline_qualifiers}  # the headline's wins
        quotes = headline_quotes if index == 0 else []
        quotes = quotes + [_quote(q, entities, False) for q in find_quotes(texts[index])]
        figures = find_figures(texts[index], qualifiers)
        stories.append(
            Story(
                article=article,
                index=index,
                heading=heading or article.headline,
                paragraphs=section.paragraphs,
                html=section.html,
                topics=enricher.topics.classify(heading, body, forced),
                summary=lead_summary(section.paragraphs, notes) or article_summary(article, notes),
                mentions=enricher.names.mentions(entities, index),
                quotes=tuple(dict.fromkeys(quotes)),
                figures=tuple(dict.fromkeys(figures)),
            )
        )
    return tuple(stories)


def enrich(article: Article, enricher: Enricher) -> tuple[Article, tuple[Story, ...]]:
    """Fill the article's summary and derive its stories."""
    notes = notes_of(article.sections)
    summarised = replace(article, summary=article_summary(article, notes))
    return summarised, stories_of(summarised, enricher, notes)
