"""File each story under the topics of ``site.yaml`` by weighted term matching.

Terms are looked up word by word in a dictionary (a phrase only where its
first word starts one), so matching costs a few lookups per word however many
topics a site defines; terms with punctuation inside ("U.S.") fall back to
one regular expression. A term in the heading counts three
times; repeated body hits are capped, so one long paragraph cannot outvote a
headline. Scores and matched terms are kept so the choice can be explained.

A story keeps every topic scoring at least ``topic_ratio`` of its best score
and at least ``topic_min_score`` (at most ``max_topics``), so it joins several
topic threads; the first is its
main topic, the one the front page files it under. An article whose front
matter names a topic (``topic: talks``, as feed ingestion writes for a feed
configured with a topic) has that topic forced first on every story.
"""

from __future__ import annotations

import re
from collections import defaultdict
from dataclasses import dataclass, field

from ..config import EnrichOptions, SiteConfig, TopicDef
from ..model import TopicMatch
from ..slugs import slugify

HEADING_FACTOR = 3.0
BODY_CAP = 3
KEYWORD_WEIGHT = 1.0
PHRASE_WEIGHT = 2.0
FORCED_TERM = "forced by front matter 'topic'"
_PLAIN = re.compile(r"[\w-]+(?: [\w-]+)*")
_BREAKS = re.compile(r"[^\w\s-]+")


@dataclass(frozen=True)
class TopicMatcher:
    """A compiled matcher for one site's topic definitions."""

    pattern: re.Pattern[str] | None  # only the terms that are not plain words
    terms: dict[str, list[tuple[TopicDef, float]]]
    order: dict[str, int]
    default: TopicDef
    options: EnrichOptions = field(default_factory=EnrichOptions)
    by_key: dict[str, TopicDef] = field(default_factory=dict, hash=False, compare=False)
    starts: dict[str, int] = field(default_factory=dict, hash=False, compare=False)  # first word → most words
    forms: dict[str, str] = field(default_factory=dict, hash=False, compare=False)  # term, terms, termes → term

    @classmethod
    def for_site(cls, config: SiteConfig) -> TopicMatcher:
        terms: dict[str, list[tuple[TopicDef, float]]] = defaultdict(list)
        for topic in config.topics:
            weights = {term.lower(): weight for term, weight in topic.weights}
            entries = [(k, KEYWORD_WEIGHT) for k in topic.keywords]
            entries += [(p, PHRASE_WEIGHT) for p in (*topic.phrases, topic.name, *topic.aliases)]
            for term, weight in entries:
                key = " ".join(term.lower().split())
                if key and all(t is not topic for t, _ in terms[key]):
                    terms[key].append((topic, weights.get(key, weight)))
        pattern = None
        odd = [term for term in terms if not _PLAIN.fullmatch(term)]
        if odd:
            alternatives = "|".join(
                r"\s+".join(map(re.escape, term.split())) for term in sorted(odd, key=lambda t: (-len(t), t))
            )
            pattern = re.compile(rf"(?<![\w-])({alternatives})(?:s|es)?(?![\w-])", re.I)
        order = {t.slug: i for i, t in enumerate(config.topics)}
        by_key = {key: t for t in (*config.topics, config.default_topic) for key in (t.slug, t.name.lower())}
        starts: dict[str, int] = {}
        for term in terms:
            if " " in term and _PLAIN.fullmatch(term):
                first, size = term.split()[0], len(term.split())
                starts[first] = max(starts.get(first, 0), size)
        forms: dict[str, str] = {}
        for term in sorted(terms, key=len):  # a term itself wins over another term's plural
            for form in (term + "es", term + "s", term):
                forms[form] = term
        return cls(pattern, dict(terms), order, config.default_topic, config.enrich, by_key, starts, forms)

    def _hits(self, text: str) -> dict[str, int]:
        """How often each term occurs: longest term first at each word, never overlapping."""
        counts: dict[str, int] = defaultdict(int)
        if not text:
            return counts
        if self.pattern is not None:
            for match in self.pattern.finditer(text):
                counts[" ".join(match.group(1).lower().split())] += 1
        starts, forms = self.starts, self.forms
        for chunk in _BREAKS.split(text.lower()):
            words = chunk.split()
            i, count = 0, len(words)
            while i < count:
                step = 1
                if words[i] in starts:
                    for n in range(min(starts[words[i]], count - i), 1, -1):
                        term = forms.get(" ".join(words[i : i + n]))
                        if term is not None:
                            counts[term] += 1
                            step = n
                            break
                if step == 1 and (term := forms.get(words[i])) is not None:
                    counts[term] += 1
                i += step
        return counts

    def forced(self, value: object) -> TopicDef | None:
        """The topic a front-matter ``topic:`` names (by slug or name), if it is one of the site's."""
        if not isinstance(value, str) or not value.strip():
            return None
        key = value.strip().lower()
        return self.by_key.get(key) or self.by_key.get(slugify(key))

    def classify(self, heading: str, body: str, forced: TopicDef | None = None) -> tuple[TopicMatch, ...]:
        """Topics best first, those scoring ``topic_ratio`` of the best; the default when nothing matches."""
        ranked = self.scores(heading, body)
        floor = max(ranked[0].score * self.options.topic_ratio, self.options.topic_min_score) if ranked else 0.0
        kept = ranked[:1] + [m for m in ranked[1:] if m.score >= floor]
        kept = kept[: max(1, self.options.max_topics)]
        if forced is not None:
            own = next((m for m in ranked if m.slug == forced.slug), None)
            first = TopicMatch(
                forced.slug, forced.name, own.score if own else 0.0, (FORCED_TERM, *(own.terms if own else ()))
            )
            kept = [first, *(m for m in kept if m.slug != forced.slug)][: max(1, self.options.max_topics)]
        if not kept:
            return (TopicMatch(self.default.slug, self.default.name, 0.0, ()),)
        return tuple(kept)

    def scores(self, heading: str, body: str) -> list[TopicMatch]:
        """Every matching topic with its score and terms, best first (ties: the order of ``site.yaml``)."""
        scores: dict[str, float] = defaultdict(float)
        matched: dict[str, list[str]] = defaultdict(list)
        topics: dict[str, TopicDef] = {}
        for factor, counts in ((HEADING_FACTOR, self._hits(heading)), (1.0, self._hits(body))):
            for term, count in counts.items():
                for topic, weight in self.terms.get(term, ()):
                    hits = count if factor != 1.0 else min(count, BODY_CAP)
                    scores[topic.slug] += weight * factor * hits
                    topics[topic.slug] = topic
                    if term not in matched[topic.slug]:
                        matched[topic.slug].append(term)
        ranked = sorted(scores, key=lambda slug: (-scores[slug], self.order[slug]))
        return [TopicMatch(slug, topics[slug].name, round(scores[slug], 2), tuple(matched[slug])) for slug in ranked]
