"""Records are rebuilt by generated makers (pickle, ``evolve``): the same values as their constructors make."""

from __future__ import annotations

import dataclasses
import pickle
from datetime import UTC, datetime

import pytest

from broadsheet import model
from broadsheet.cache import Loaded
from broadsheet.enrich.site import SiteKeys
from broadsheet.model import (
    Article,
    Cluster,
    ClusterIndex,
    Figure,
    Mention,
    Provenance,
    Quote,
    Record,
    Section,
    Source,
    Story,
    TopicMatch,
    evolve,
)


def _article() -> Article:
    return Article(
        slug="talks-resume",
        headline="Talks resume",
        authors=("AI",),
        ai_generated=True,
        published=datetime(2025, 5, 1, 9, 30, tzinfo=UTC),
        source=Source("Euromaidan Press", "https://euromaidanpress.com/", "euromaidanpress.com"),
        sections=(Section("Talks", ("One.", "Two."), "<p>One.</p><p>Two.</p>"),),
        tags=("ukraine",),
        summary="Talks resume.",
        provenance=Provenance("seeds/a.txt", "ab" * 32, "plaintext", (("k", "v"),)),
        extra={"layout": "post", "weight": 3},
    )


def _story(article: Article) -> Story:
    return Story(
        article=article,
        index=0,
        heading="Talks",
        paragraphs=("One.",),
        html="<p>One.</p>",
        topics=(TopicMatch("talks", "talks", 2.5, ("talks",)),),
        summary="One.",
        mentions=(Mention("Kyiv", "place", "kyiv", "", ("Kiev",)),),
        quotes=(Quote("We will talk", "Zelensky", False, False, "Reuters", "zelensky"),),
        figures=(Figure("4", "count", "four stories"),),
    )


def _fields(record: Record) -> dict[str, str]:
    """Every field's repr: articles and stories compare by identity, so their values are compared as text."""
    return {f.name: repr(getattr(record, f.name)) for f in dataclasses.fields(record)}  # type: ignore[arg-type]


def test_every_record_class_has_a_maker_named_in_its_own_module() -> None:
    classes = [Source, Section, Provenance, Article, TopicMatch, Mention, Quote, Figure, Story, Cluster, ClusterIndex]
    for cls in [*classes, SiteKeys, Loaded]:
        make = model._LAYOUTS[cls][0]
        module = __import__(cls.__module__, fromlist=["_"])
        assert getattr(module, make.__qualname__) is make, cls
        assert make.__qualname__ == f"_make_{cls.__name__}"


def test_a_pickled_record_comes_back_with_every_field_and_its_class() -> None:
    article = _article()
    story = _story(article)
    loaded = Loaded("seeds/a.txt", (1, 2, 0, 0), article, (story,), ("warning",), None, SiteKeys("t", "w", b"s"))
    clusters = ClusterIndex((Cluster("c", ("a", "b"), 0.5),), {"a": Cluster("c", ("a", "b"), 0.5)})
    for record in (article, story, loaded, clusters, *article.sections, article.provenance, *story.quotes):
        data = pickle.dumps(record, 5)
        assert f"_make_{type(record).__name__}".encode() in data  # not the constructor
        again = pickle.loads(data)
        assert type(again) is type(record)
        assert _fields(again) == _fields(record)
    again_story = pickle.loads(pickle.dumps(story, 5))
    assert again_story.article.extra == {"layout": "post", "weight": 3}
    assert again_story.anchor == "story-1" and again_story.topic.slug == "talks"


def test_pickle_keeps_one_object_shared_by_two_records() -> None:
    article = _article()
    first, second = _story(article), evolve(_story(article), index=1)
    a, b = pickle.loads(pickle.dumps((first, second), 5))
    assert a.article is b.article


def test_a_made_record_is_still_frozen() -> None:
    quote = pickle.loads(pickle.dumps(Quote("x", "y"), 5))
    with pytest.raises(dataclasses.FrozenInstanceError):
        quote.text = "changed"  # type: ignore[misc]


def test_evolve_equals_dataclasses_replace() -> None:
    article = _article()
    story = _story(article)
    cases: list[tuple[Record, dict[str, object]]] = [
        (article, {"slug": "other"}),
        (article, {"slug": "other", "headline": "New", "draft": True}),
        (story, {"article": evolve(article, slug="x"), "paragraphs": (), "html": ""}),
        (story.quotes[0], {"speaker": "Volodymyr Zelensky", "speaker_slug": "volodymyr-zelensky"}),
        (article.provenance, {}),
    ]
    for record, changes in cases:
        evolved = evolve(record, **changes)
        replaced = dataclasses.replace(record, **changes)  # type: ignore[type-var]
        assert type(evolved) is type(record)
        assert _fields(evolved) == _fields(replaced)
        assert evolved is not record
    assert evolve(article, slug="other").extra is article.extra  # like replace: values are not copied


def test_evolve_refuses_a_field_the_record_does_not_have() -> None:
    with pytest.raises(TypeError, match="Quote has no field txt"):
        evolve(Quote("x"), txt="y")
