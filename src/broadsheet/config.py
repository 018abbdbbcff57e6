"""``site.yaml`` → ``SiteConfig``: a frozen, validated view of one site.

Validation is strict on purpose: a misspelt key silently ignored is a feature
that silently does nothing. Every error names the key and the line.
"""

from __future__ import annotations

import contextlib
import hashlib
import math
import os
import re
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import yaml

from .errors import BroadsheetError, decode_utf8
from .slugs import slugify

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
LANGUAGE_TAG = re.compile(r"[A-Za-z]{2,8}(?:-[A-Za-z0-9]{1,8})*")  # BCP 47's shape: en, en-GB, zh-Hant-TW


def _text(value: Any, key: str) -> str:
    """A string that shows on every page (the title): blank, every page would have an empty <title>."""
    if not _str(value, key).strip():
        raise ValueError(f"'{key}' must not be empty")
    return str(value)


def _language(value: Any, key: str) -> str:
    """The pages' ``lang`` and the feeds' language: a tag such as ``en`` or ``en-GB``, not a name."""
    if not LANGUAGE_TAG.fullmatch(_str(value, key)):
        hint = f" (did you mean {value.replace('_', '-')!r}?)" if "_" in value else ""
        raise ValueError(f"'{key}' must be a language tag such as en or en-GB, not {value!r}{hint}")
    return str(value)


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
        out.append((str(term), _finite(weight, f"{key}.{term}")))
    return tuple(out)


def _fraction(value: Any, key: str) -> float:
    _type((int, float), "a number between 0 and 1")(value, key)
    if not 0 <= value <= 1:
        raise ValueError(f"'{key}' must be between 0 and 1")
    return float(value)


def _finite(value: float, key: str) -> float:
    """YAML's ``.nan`` and ``.inf`` are numbers too: a score of nan compares false with everything."""
    if not math.isfinite(value):
        raise ValueError(f"'{key}' must be a finite number, not {value}")
    return float(value)


def _score(value: Any, key: str) -> float:
    _type((int, float), "a number")(value, key)
    if _finite(value, key) < 0:
        raise ValueError(f"'{key}' must not be negative")
    return float(value)


def _timezone(value: Any, key: str) -> str:
    _str(value, key)
    try:
        ZoneInfo(value)
    except (ZoneInfoNotFoundError, ValueError):
        raise ValueError(f"'{key}': unknown time zone {value!r}") from None
    return str(value)


def base_url(text: str) -> str:
    """The site's address, ending in ``/``: every page's address is it plus the page's path.

    So it needs a host (unless it is a path on the host serving the site),
    and no query or fragment, which would end up in the middle of every
    link; nor a user name or password, which every page would publish.
    ``ValueError`` says what is wrong, for the caller to name the setting.
    """
    if not text.startswith(("http://", "https://", "/")) or text.startswith("//"):
        raise ValueError("must start with http://, https:// or / (a path on the site's own host)")
    if any(char.isspace() or ord(char) < 32 for char in text):
        raise ValueError("must not contain spaces or control characters")
    parts = urlsplit(text)
    if parts.query or parts.fragment or "?" in text or "#" in text:
        raise ValueError("must not have a ?query or #fragment: page paths are added to its end")
    if parts.scheme:
        try:
            parts.port  # noqa: B018 - read for its check of the port's range
        except ValueError:
            raise ValueError("has an invalid port") from None
        if not parts.hostname:
            raise ValueError(f"has no host name after {parts.scheme}://")
        if parts.username is not None or parts.password is not None:
            raise ValueError("must not hold a user name or password: every page would show them")
    return text if text.endswith("/") else text + "/"


def _base_url(value: Any, key: str) -> str:
    _str(value, key)
    try:
        return base_url(str(value))
    except ValueError as exc:
        raise ValueError(f"'{key}' {exc}") from None


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
    "title": (_text, True),
    "base_url": (_base_url, True),
    "description": (_str, False),
    "language": (_language, False),
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
                    if k.value == str(key):  # a key YAML read as a number (`1:`) too
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


def _topic(
    raw: Any, index: int, where: _Located, path: Path, trail: tuple[str | int, ...], prefix: str = "topics."
) -> TopicDef:
    if isinstance(raw, str):
        raw = {"name": raw}
    if not isinstance(raw, dict):
        raise BroadsheetError(f"topic #{index + 1} must be a mapping with a name", path, where.line_of(*trail))
    data = _check(raw, TOPIC_KEYS, prefix, where, path, trail)
    name = data["name"]
    if not name.strip():  # a topic is listed, linked and headed by its name
        raise BroadsheetError(f"'{prefix}name' must not be empty", path, where.line_of(*trail, "name"))
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


CACHE_LOCK = ".lock"  # what every build makes in its cache folder first (output.lock_site): a used cache has it
READ_FROM = ("content", "seeds", "templates", "data")  # the folders a build reads: inside the site, never written


def _paths(root: Path, raw: Mapping[str, Any], where: _Located, path: Path) -> Paths:
    for key, value in raw.items():
        if key not in PATH_KEYS:
            raise BroadsheetError(
                f"unknown key 'paths.{key}' (known keys: {', '.join(PATH_KEYS)})", path, where.line_of("paths", key)
            )
        if not isinstance(value, str) or not value.strip() or "\0" in value:
            raise BroadsheetError(f"'paths.{key}' must be a folder name", path, where.line_of("paths", key))
    # ``~/public_html`` means the home folder, as in a shell: not a folder named "~" in the site.
    given = {key: root / os.path.expanduser(raw.get(key, ".cache" if key == "cache" else key)) for key in PATH_KEYS}
    resolved = {key: folder.resolve() for key, folder in given.items()}
    for key in READ_FROM:
        if not resolved[key].is_relative_to(root):
            linked = f" ({given[key].name}/ is a symbolic link out of it)" if given[key].is_symlink() else ""
            raise BroadsheetError(
                f"'paths.{key}' must be inside the site folder{linked}", path, where.line_of("paths", key)
            )
    output = resolved["output"]
    if output.exists() and not output.is_dir():
        raise BroadsheetError(
            f"'paths.output': {output} is not a folder (the site is built into a folder of its own)",
            path,
            where.line_of("paths", "output"),
        )
    problem = _cache_problem(resolved["cache"], root, output, [resolved[key] for key in READ_FROM])
    if problem:
        raise BroadsheetError(f"'paths.cache' {problem}", path, where.line_of("paths", "cache"))
    return Paths(root=root, **resolved)


def _cache_problem(cache: Path, root: Path, output: Path, read_from: list[Path]) -> str:
    """Why ``cache`` cannot hold the cache ("" if it can).

    A build removes its stale files there by name (``articles-*``,
    ``bodies-*``, ``templates-*``): among the user's own files that could be
    an article. In the output folder, the cache would be published and
    swapped away with the old site.
    """
    if root.is_relative_to(cache):
        return "must not be the site folder or a folder holding it: the build deletes its old files there"
    for folder in read_from:
        if cache.is_relative_to(folder) or folder.is_relative_to(cache):
            return f"must not be in or hold {folder.relative_to(root)}/, which is yours: the build deletes its old files there"
    if cache.is_relative_to(output):
        return "must not be in the output folder, which every build replaces"
    if not cache.is_relative_to(root) and cache.is_dir() and not (cache / CACHE_LOCK).exists() and any(cache.iterdir()):
        # Elsewhere (``~``, a home folder), a folder of the user's own: only a new, empty or used cache will do.
        return f"{cache} holds files and is not a broadsheet cache (no {CACHE_LOCK}): choose a new or empty folder"
    return ""


def _nodes(root: yaml.Node | None) -> Iterator[yaml.Node]:
    """Every node of a composed document once, in document order (an alias is the node it names)."""
    seen: set[int] = set()
    stack = [] if root is None else [root]
    while stack:
        node = stack.pop()
        if id(node) in seen:
            continue
        seen.add(id(node))
        yield node
        if isinstance(node, yaml.SequenceNode):
            stack.extend(reversed(node.value))
        elif isinstance(node, yaml.MappingNode):
            stack.extend(reversed([part for pair in node.value for part in pair]))


def _no_duplicate_keys(root: yaml.Node | None, path: Path) -> None:
    """YAML keeps the last of two equal keys: the first, silently ignored, would be a setting that does nothing."""
    for node in _nodes(root):
        if isinstance(node, yaml.MappingNode):
            first: dict[str, int] = {}
            for key, _ in node.value:
                if isinstance(key, yaml.ScalarNode) and key.tag != "tag:yaml.org,2002:merge":
                    line = key.start_mark.line + 1
                    if key.value in first:
                        raise BroadsheetError(
                            f"key '{key.value}' given twice (first on line {first[key.value]})", path, line
                        )
                    first[key.value] = line


def _read_yaml(text: str, path: Path) -> tuple[yaml.Node | None, Any]:
    """The document's nodes (for lines) and its data; every YAML problem as one located line."""
    from .loaders.frontmatter import MAX_DEPTH, find_unbuildable, yaml_depth  # here: the loaders import this module

    if yaml_depth(text) > MAX_DEPTH:  # libyaml recurses per level: far deeper, it crashes the process
        raise BroadsheetError(f"YAML nested more than {MAX_DEPTH} levels deep", path)
    node = None
    try:
        node = yaml.compose(text, Loader=YamlLoader)
        _no_duplicate_keys(node, path)
        return node, yaml.load(text, Loader=YamlLoader)
    except yaml.reader.ReaderError as exc:  # a control character: its message spans two lines
        code = exc.character if isinstance(exc.character, int) else ord(exc.character)
        at = text.count("\n", 0, exc.position) + 1
        raise BroadsheetError(f"invalid YAML: character #x{code:04x} is not allowed", path, at) from None
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        line = mark.line + 1 if mark is not None else None
        problem = getattr(exc, "problem", None) or str(exc).splitlines()[0]
        raise BroadsheetError(f"invalid YAML: {problem}", path, line) from None
    except (ValueError, OverflowError) as exc:  # a date such as 2025-02-30 fails while it is built: say where
        found = find_unbuildable(node)
        if found is None:
            raise BroadsheetError(f"invalid YAML: {exc}", path) from None
        key = ".".join(found.keys) or "value"
        message = f"'{key}': cannot read {found.node.value!r}: {found.problem}"
        raise BroadsheetError(message, path, found.key_line + 1) from None


def parse_config(text: str, root: Path, path: Path) -> SiteConfig:
    """Validate the text of a ``site.yaml`` for the site at ``root``."""
    node, data = _read_yaml(text, path)
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
        default_topic = _topic(top["default_topic"], 0, where, path, ("default_topic",), "default_topic.")
    if default_topic.slug in slugs:  # both would be written to topics/SLUG/
        i = slugs.index(default_topic.slug)
        raise BroadsheetError(
            f"topic '{topics[i].name}' has the slug '{default_topic.slug}' of default_topic (for stories that "
            "match no topic): rename it, or give default_topic another name",
            path,
            where.line_of("topics", i),
        )
    paths = _paths(root, top.get("paths", {}), where, path)
    feeds = tuple(_feed(raw, i, where, path) for i, raw in enumerate(top.get("feeds", [])))
    feed_options = _check(top.get("feed", {}), FEED_OPTION_KEYS, "feed.", where, path, ("feed",))
    enrich_options = _check(top.get("enrich", {}), ENRICH_KEYS, "enrich.", where, path, ("enrich",))
    gazetteer = paths.data / enrich_options.get("gazetteer", EnrichOptions.gazetteer)
    if not gazetteer.resolve().is_relative_to(paths.data):
        raise BroadsheetError(
            f"enrich.gazetteer must be inside the data folder ({paths.data.relative_to(root)}/)",
            path,
            where.line_of("enrich", "gazetteer"),
        )
    default_date = top.get("default_date", datetime(1970, 1, 1))
    tz = ZoneInfo(top.get("timezone", "UTC"))
    if default_date.tzinfo is None:
        default_date = default_date.replace(tzinfo=tz)
    return SiteConfig(
        title=top["title"],
        base_url=top["base_url"],
        paths=paths,
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
    if root.exists() and not root.is_dir():
        raise BroadsheetError(f"not a folder: --site takes the folder holding {CONFIG_NAME}", root)
    try:
        data = (root / CONFIG_NAME).read_bytes()
    except FileNotFoundError:
        raise BroadsheetError(f"no {CONFIG_NAME} here: is this a broadsheet site? (try --site DIR)", root) from None
    except OSError as exc:
        raise BroadsheetError(f"cannot read: {exc.strerror or exc}", named) from None
    return parse_config(decode_utf8(data, named), root, named)
