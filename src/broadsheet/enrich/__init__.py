"""Enrichment: from an ``Article`` to the ``Story`` records the digest shows.

Each step is a pure function of the article and the site configuration, so
its result can be cached by content hash.
"""

from __future__ import annotations

from dataclasses import replace

from ..model import Article, Story
from .summary import lead_summary
from .topics import TopicMatcher


def article_summary(article: Article) -> str:
    """The input's own summary, else the article's first two sentences."""
    if article.summary:
        return article.summary
    paragraphs = tuple(p for section in article.sections for p in section.paragraphs)
    return lead_summary(paragraphs, count=2)


def stories_of(article: Article, matcher: TopicMatcher) -> tuple[Story, ...]:
    """One story per section; an article without headed sections is one story."""
    stories = []
    for index, section in enumerate(article.sections):
        heading = section.heading or (article.headline if index == 0 else "")
        body = " ".join(section.paragraphs)
        topics = matcher.classify(heading, body)
        stories.append(
            Story(
                article=article,
                index=index,
                heading=heading or article.headline,
                paragraphs=section.paragraphs,
                html=section.html,
                topics=topics,
                summary=lead_summary(section.paragraphs) or article_summary(article),
            )
        )
    return tuple(stories)


def enrich(article: Article, matcher: TopicMatcher) -> tuple[Article, tuple[Story, ...]]:
    """Fill the article's summary and derive its stories."""
    summarised = replace(article, summary=article_summary(article))
    return summarised, stories_of(summarised, matcher)
