"""``site.yaml`` → ``SiteConfig``: a frozen, validated view of one site.

Validation is strict on purpose: a misspelt key silently ignored is a feature
that silently does nothing. Every error names the key and the line.
"""

from __future__ import annotations

import contextlib
import hashlib
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import yaml
from slugify import slugify

from .errors import BroadsheetError

CONFIG_NAME = "site.yaml"
FETCH_TIMEOUT = 20.0  # seconds before `broadsheet ingest` gives up on a feed (here: the CLI shows it)

try:  # libyaml is ten times faster; fall back quietly where it is missing
    from yaml import CSafeLoader as YamlLoader
except ImportError:  # pragma: no cover - depends on the PyYAML build
    from yaml import SafeLoader as YamlLoader  # type: ignore[assignment]


@dataclass(frozen=True)
class Paths:
    """Folders of a site, absolute, resolved against the site root."""

    root: Path
    content: Path
    seeds: Path
    templates: Path
    output: Path
    data: Path
    cache: Path


@dataclass(frozen=True)
class TopicDef:
    """A topic and the terms that file a story under it."""

    name: str
    slug: str
    keywords: tuple[str, ...] = ()
    phrases: tuple[str, ...] = ()
    weights: tuple[tuple[str, float], ...] = ()
    aliases: tuple[str, ...] = ()
    description: str = ""


@dataclass(frozen=True)
class FeedDef:
    """A feed to ingest (``feeds:`` in ``site.yaml``)."""

    name: str
    url: str
    slug: str
    tags: tuple[str, ...] = ()
    topic: str = ""
    limit: int = 0


@dataclass(frozen=True)
class FeedOptions:
    """How the site's own feeds are written."""

    items: int = 50
    full_text: bool = True


@dataclass(frozen=True)
class EnrichOptions:
    """How stories are enriched (``enrich:`` in ``site.yaml``); see enrich/."""

    topic_ratio: float = 0.5  # a further topic is kept when it scores at least this share of the best
    topic_min_score: float = 2.0  # … and at least this much (the main topic needs any match)
    max_topics: int = 3
    gazetteer: str = "gazetteer.yaml"  # in paths.data; a missing file means heuristics only
    cluster_window_hours: int = 72  # reports further apart never form one story cluster
    cluster_similarity: float = 0.3  # Jaccard similarity of headline + lead words to cluster


@dataclass(frozen=True)
class SiteConfig:
    """Everything the pipeline needs to know about a site."""

    title: str
    base_url: str
    paths: Paths
    description: str = ""
    language: str = "en"
    timezone: str = "UTC"
    default_date: datetime = datetime(1970, 1, 1)
    page_size: int = 20
    front_page_stories: int = 6
    topics: tuple[TopicDef, ...] = ()
    default_topic: TopicDef = TopicDef(name="General", slug="general")
    feeds: tuple[FeedDef, ...] = ()
    feed: FeedOptions = FeedOptions()
    enrich: EnrichOptions = EnrichOptions()
    search: bool = True
    fingerprint: str = ""
    extra: Mapping[str, Any] = field(default_factory=dict)

    @property
    def tz(self) -> ZoneInfo:
        return ZoneInfo(self.timezone)

    def url(self, path: str) -> str:
        """The absolute URL of a site path such as ``topics/talks/``."""
        return self.base_url + path.lstrip("/")


# --- validation -------------------------------------------------------------

Checker = Callable[[Any, str], Any]


def _type(kind: type | tuple[type, ...], label: str) -> Checker:
    def check(value: Any, key: str) -> Any:
        if isinstance(value, bool) and kind is not bool and bool not in (kind if isinstance(kind, tuple) else (kind,)):
            raise ValueError(f"'{key}' must be {label}, not true/false")
        if not isinstance(value, kind):
            raise ValueError(f"'{key}' must be {label}, not {type(value).__name__}")
        return value

    return check


_str = _type(str, "a string")
_bool = _type(bool, "true or false")


def _positive_int(value: Any, key: str) -> int:
    _type(int, "a whole number")(value, key)
    if value < 0:
        raise ValueError(f"'{key}' must not be negative")
    return int(value)


def _at_least_one(value: Any, key: str) -> int:
    """A count of items on a page: 0 would make a page of nothing, so it is a mistake, not a default."""
    if _positive_int(value, key) < 1:
        raise ValueError(f"'{key}' must be at least 1")
    return int(value)


def _str_list(value: Any, key: str) -> tuple[str, ...]:
    if isinstance(value, str):
        return (value,)
    if not isinstance(value, list) or not all(
        isinstance(v, (str, int, float)) and not isinstance(v, bool) for v in value
    ):
        raise ValueError(f"'{key}' must be a list of strings")
    return tuple(str(v) for v in value)


def _weights(value: Any, key: str) -> tuple[tuple[str, float], ...]:
    if not isinstance(value, dict):
        raise ValueError(f"'{key}' must be a mapping of term: weight")
    out = []
    for term, weight in value.items():
        if not isinstance(weight, (int, float)) or isinstance(weight, bool):
            raise ValueError(f"'{key}.{term}' must be a number")
        out.append((str(term), float(weight)))
    return tuple(out)


def _fraction(value: Any, key: str) -> float:
    _type((int, float), "a number between 0 and 1")(value, key)
    if not 0 <= value <= 1:
        raise ValueError(f"'{key}' must be between 0 and 1")
    return float(value)


def _score(value: Any, key: str) -> float:
    _type((int, float), "a number")(value, key)
    if value < 0:
        raise ValueError(f"'{key}' must not be negative")
    return float(value)


def _timezone(value: Any, key: str) -> str:
    _str(value, key)
    try:
        ZoneInfo(value)
    except (ZoneInfoNotFoundError, ValueError):
        raise ValueError(f"'{key}': unknown time zone {value!r}") from None
    return str(value)


def _base_url(value: Any, key: str) -> str:
    _str(value, key)
    if not value.startswith(("http://", "https://", "/")):
        raise ValueError(f"'{key}' must start with http://, https:// or /")
    text = str(value)
    return text if text.endswith("/") else text + "/"


def _date(value: Any, key: str) -> datetime:
    parsed = None
    if isinstance(value, datetime):
        parsed = value
    elif isinstance(value, date):
        parsed = datetime(value.year, value.month, value.day)
    elif isinstance(value, str):
        with contextlib.suppress(ValueError):
            parsed = datetime.fromisoformat(value)
    if parsed is None or not 2 <= parsed.year <= 9998:  # further out, a time-zone change overflows
        raise ValueError(f"'{key}' must be a date such as 2025-01-31, in the years 2 to 9998")
    return parsed


TOP_KEYS: dict[str, tuple[Checker, bool]] = {
    "title": (_str, True),
    "base_url": (_base_url, True),
    "description": (_str, False),
    "language": (_str, False),
    "timezone": (_timezone, False),
    "default_date": (_date, False),
    "page_size": (_at_least_one, False),
    "front_page_stories": (_at_least_one, False),
    "paths": (_type(dict, "a mapping"), False),
    "topics": (_type(list, "a list"), False),
    "default_topic": (_type((str, dict), "a name or a topic mapping"), False),
    "feeds": (_type(list, "a list"), False),
    "feed": (_type(dict, "a mapping"), False),
    "enrich": (_type(dict, "a mapping"), False),
    "search": (_bool, False),
    "extra": (_type(dict, "a mapping"), False),
}
PATH_KEYS = ("content", "seeds", "templates", "output", "data", "cache")
TOPIC_KEYS: dict[str, tuple[Checker, bool]] = {
    "name": (_str, True),
    "slug": (_str, False),
    "keywords": (_str_list, False),
    "phrases": (_str_list, False),
    "weights": (_weights, False),
    "aliases": (_str_list, False),
    "description": (_str, False),
}
FEED_KEYS: dict[str, tuple[Checker, bool]] = {
    "name": (_str, True),
    "url": (_str, True),
    "tags": (_str_list, False),
    "topic": (_str, False),
    "limit": (_positive_int, False),
}
ENRICH_KEYS: dict[str, tuple[Checker, bool]] = {
    "topic_ratio": (_fraction, False),
    "topic_min_score": (_score, False),
    "max_topics": (_positive_int, False),
    "gazetteer": (_str, False),
    "cluster_window_hours": (_positive_int, False),
    "cluster_similarity": (_fraction, False),
}
FEED_OPTION_KEYS: dict[str, tuple[Checker, bool]] = {
    "items": (_positive_int, False),
    "full_text": (_bool, False),
}


class _Located:
    """Line numbers of the keys in a YAML document, for error messages."""

    def __init__(self, node: yaml.Node | None) -> None:
        self.node = node

    def line_of(self, *keys: str | int) -> int | None:
        node = self.node
        line = None
        for key in keys:
            if isinstance(node, yaml.MappingNode):
                for k, v in node.value:
                    if k.value == key:
                        line, node = k.start_mark.line + 1, v
                        break
                else:
                    return line
            elif isinstance(node, yaml.SequenceNode) and isinstance(key, int) and key < len(node.value):
                node = node.value[key]
                line = node.start_mark.line + 1
            else:
                return line
        return line


def _check(
    data: Mapping[str, Any],
    spec: Mapping[str, tuple[Checker, bool]],
    prefix: str,
    where: _Located,
    path: Path,
    trail: tuple[str | int, ...],
) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for key in data:
        if key not in spec:
            known = ", ".join(sorted(spec))
            raise BroadsheetError(
                f"unknown key '{prefix}{key}' (known keys: {known})", path, where.line_of(*trail, key)
            )
    for key, (checker, required) in spec.items():
        if key not in data or data[key] is None:
            if required:
                raise BroadsheetError(f"missing required key '{prefix}{key}'", path, where.line_of(*trail))
            continue
        try:
            out[key] = checker(data[key], prefix + key)
        except ValueError as exc:
            raise BroadsheetError(str(exc), path, where.line_of(*trail, key)) from None
    return out


def _topic(raw: Any, index: int, where: _Located, path: Path, trail: tuple[str | int, ...]) -> TopicDef:
    if isinstance(raw, str):
        raw = {"name": raw}
    if not isinstance(raw, dict):
        raise BroadsheetError(f"topic #{index + 1} must be a mapping with a name", path, where.line_of(*trail))
    data = _check(raw, TOPIC_KEYS, "topics.", where, path, trail)
    name = data["name"]
    slug = slugify(data.get("slug") or name) or f"topic-{index + 1}"
    return TopicDef(
        name=name,
        slug=slug,
        keywords=data.get("keywords", ()),
        phrases=data.get("phrases", ()),
        weights=data.get("weights", ()),
        aliases=data.get("aliases", ()),
        description=data.get("description", ""),
    )


def _feed(raw: Any, index: int, where: _Located, path: Path) -> FeedDef:
    if not isinstance(raw, dict):
        raise BroadsheetError(
            f"feed #{index + 1} must be a mapping with name and url", path, where.line_of("feeds", index)
        )
    data = _check(raw, FEED_KEYS, "feeds.", where, path, ("feeds", index))
    return FeedDef(
        name=data["name"],
        url=data["url"],
        slug=slugify(data["name"]) or f"feed-{index + 1}",
        tags=data.get("tags", ()),
        topic=data.get("topic", ""),
        limit=data.get("limit", 0),
    )


def _paths(root: Path, raw: Mapping[str, Any], where: _Located, path: Path) -> Paths:
    for key, value in raw.items():
        if key not in PATH_KEYS:
            raise BroadsheetError(
                f"unknown key 'paths.{key}' (known keys: {', '.join(PATH_KEYS)})", path, where.line_of("paths", key)
            )
        if not isinstance(value, str) or not value:
            raise BroadsheetError(f"'paths.{key}' must be a folder name", path, where.line_of("paths", key))
    resolved = {key: (root / str(raw.get(key, key))).resolve() for key in PATH_KEYS}
    resolved["cache"] = (root / str(raw.get("cache", ".cache"))).resolve()
    for key in ("content", "seeds", "templates", "data"):
        if not resolved[key].is_relative_to(root):
            raise BroadsheetError(f"'paths.{key}' must be inside the site folder", path, where.line_of("paths", key))
    return Paths(root=root, **resolved)


def parse_config(text: str, root: Path, path: Path) -> SiteConfig:
    """Validate the text of a ``site.yaml`` for the site at ``root``."""
    try:
        node = yaml.compose(text, Loader=YamlLoader)
        data = yaml.load(text, Loader=YamlLoader)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        line = mark.line + 1 if mark is not None else None
        problem = getattr(exc, "problem", None) or str(exc)
        raise BroadsheetError(f"invalid YAML: {problem}", path, line) from None
    except (ValueError, OverflowError) as exc:  # a date such as 2025-02-30 fails while it is built
        raise BroadsheetError(f"invalid YAML: {exc}", path) from None
    if not isinstance(data, dict):
        raise BroadsheetError("must be a mapping of settings (title, base_url, ...)", path, 1)
    where = _Located(node)
    top = _check(data, TOP_KEYS, "", where, path, ())
    topics = tuple(_topic(raw, i, where, path, ("topics", i)) for i, raw in enumerate(top.get("topics", [])))
    slugs = [t.slug for t in topics]
    for i, slug in enumerate(slugs):
        if slug in slugs[:i]:
            raise BroadsheetError(f"two topics share the slug '{slug}'", path, where.line_of("topics", i))
    default_topic = TopicDef(name="General", slug="general")
    if "default_topic" in top:
        default_topic = _topic(top["default_topic"], 0, where, path, ("default_topic",))
    feeds = tuple(_feed(raw, i, where, path) for i, raw in enumerate(top.get("feeds", [])))
    feed_options = _check(top.get("feed", {}), FEED_OPTION_KEYS, "feed.", where, path, ("feed",))
    enrich_options = _check(top.get("enrich", {}), ENRICH_KEYS, "enrich.", where, path, ("enrich",))
    default_date = top.get("default_date", datetime(1970, 1, 1))
    tz = ZoneInfo(top.get("timezone", "UTC"))
    if default_date.tzinfo is None:
        default_date = default_date.replace(tzinfo=tz)
    return SiteConfig(
        title=top["title"],
        base_url=top["base_url"],
        paths=_paths(root, top.get("paths", {}), where, path),
        description=top.get("description", ""),
        language=top.get("language", "en"),
        timezone=top.get("timezone", "UTC"),
        default_date=default_date,
        page_size=top.get("page_size", 20),
        front_page_stories=top.get("front_page_stories", 6),
        topics=topics,
        default_topic=default_topic,
        feeds=feeds,
        feed=FeedOptions(**feed_options),
        enrich=EnrichOptions(**enrich_options),
        search=top.get("search", True),
        fingerprint=hashlib.sha256(text.encode("utf-8")).hexdigest(),
        extra=top.get("extra", {}),
    )


def load_config(site: Path) -> SiteConfig:
    """Read and validate ``site.yaml`` in the folder ``site``."""
    root = site.resolve()
    named = Path(CONFIG_NAME)  # errors name it as they name content files: relative to the site folder
    try:
        text = (root / CONFIG_NAME).read_text(encoding="utf-8-sig")
    except FileNotFoundError:
        raise BroadsheetError(f"no {CONFIG_NAME} here: is this a broadsheet site? (try --site DIR)", root) from None
    except (OSError, UnicodeDecodeError) as exc:
        raise BroadsheetError(f"cannot read: {exc}", named) from None
    return parse_config(text, root, named)
