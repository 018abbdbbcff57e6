"""Split a content file into front matter and body, in the dialects users have.

``---`` YAML (Jekyll, Hugo, Pelican's yaml plugin), ``+++`` TOML (Hugo) and
Pelican's own ``Key: value`` header block all come back as one mapping, with
the line of each top-level key so later errors can point at it.
"""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass, field
from typing import Any

import yaml

from ..errors import BroadsheetError

try:
    from yaml import CSafeLoader as YamlLoader
except ImportError:  # pragma: no cover - depends on the PyYAML build
    from yaml import SafeLoader as YamlLoader  # type: ignore[assignment]

MAX_ALIASES = 64
MAX_DEPTH = 500  # libyaml's C parser recurses per level and crashes the process past some 30,000
_FLOW = re.compile(r"[\[\]{}]")
_BLOCK_LEAD = re.compile(r"^[ \t]*(?:[-?:][ \t]+)*", re.M)
_KEY_LINE = re.compile(r"^([A-Za-z_][\w-]*)\s*[:=]", re.M)
_ALIAS = re.compile(r"(?:^|[\s\[{,:-])\*[^\s,\]}]+")
_PELICAN_KEY = re.compile(r"^([A-Za-z][\w-]*):\s*(.*)$")
PELICAN_FIRST_KEYS = {"title", "date", "author", "authors", "category", "tags", "slug", "summary", "status", "modified"}


@dataclass
class FrontMatter:
    """Parsed metadata, the body after it, and where the body starts."""

    data: dict[str, Any]
    body: str
    body_line: int
    key_lines: dict[str, int] = field(default_factory=dict)


def _key_lines(header: str, first_line: int) -> dict[str, int]:
    lines: dict[str, int] = {}
    for match in _KEY_LINE.finditer(header):
        lines.setdefault(match.group(1), first_line + header.count("\n", 0, match.start()))
    return lines


def yaml_depth(text: str) -> int:
    """An upper bound of how deeply a YAML document nests: brackets, indentation, ``- - -`` runs."""
    depth = deepest = 0
    for match in _FLOW.finditer(text):
        depth = depth + 1 if match.group() in "[{" else max(0, depth - 1)
        deepest = max(deepest, depth)
    return max(deepest, max((len(m.group()) for m in _BLOCK_LEAD.finditer(text)), default=0))


def parse_yaml_mapping(text: str, where: str, first_line: int = 1) -> dict[str, Any]:
    """Parse a YAML mapping safely: no custom tags, no alias bombs, no nesting that crashes libyaml."""
    if len(_ALIAS.findall(text)) > MAX_ALIASES:
        raise BroadsheetError(
            f"more than {MAX_ALIASES} YAML aliases: refusing a possible alias bomb", where, first_line
        )
    if yaml_depth(text) > MAX_DEPTH:
        raise BroadsheetError(f"YAML front matter nested more than {MAX_DEPTH} levels deep", where, first_line)
    try:
        data = yaml.load(text, Loader=YamlLoader)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "context_mark", None) or getattr(exc, "problem_mark", None)
        line = first_line + mark.line if mark is not None else first_line
        problem = getattr(exc, "problem", None) or str(exc).splitlines()[0]
        raise BroadsheetError(f"invalid YAML front matter: {problem}", where, line) from None
    except UnicodeEncodeError:
        raise BroadsheetError("front matter holds a lone surrogate: not Unicode text", where, first_line) from None
    except (ValueError, OverflowError) as exc:  # a timestamp such as 2025-02-30 fails while it is built
        raise BroadsheetError(f"invalid YAML front matter: {exc}", where, first_line) from None
    except RecursionError:
        raise BroadsheetError("YAML front matter nested too deeply", where, first_line) from None
    if data is None:
        return {}
    if not isinstance(data, dict):
        raise BroadsheetError(f"front matter must be a mapping of keys, not a {type(data).__name__}", where, first_line)
    return {str(k): v for k, v in data.items()}


def _fenced(text: str, fence: str) -> tuple[str, str, int] | None:
    """(header, body, body_line) when ``text`` opens with ``fence`` on its own line."""
    if not text.startswith(fence) or text[len(fence) : len(fence) + 1] not in ("\n", " ", "\t", ""):
        return None
    first_nl = text.find("\n")
    if first_nl < 0 or text[:first_nl].strip() != fence:
        return None
    match = re.compile(rf"^(?:{re.escape(fence)}|\.\.\.)[ \t]*$", re.M).search(text, first_nl + 1)
    if match is None:
        return None
    header = text[first_nl + 1 : match.start()]
    body_start = match.end() + 1
    return header, text[body_start:], text.count("\n", 0, min(body_start, len(text))) + 1


def _pelican_header(text: str) -> tuple[dict[str, Any], str, int] | None:
    lines = text.split("\n")
    first = _PELICAN_KEY.match(lines[0])
    if first is None or first.group(1).lower() not in PELICAN_FIRST_KEYS:
        return None
    data: dict[str, Any] = {}
    for number, line in enumerate(lines):
        if not line.strip():
            return data, "\n".join(lines[number + 1 :]), number + 2
        match = _PELICAN_KEY.match(line)
        if match is None:
            return None
        data[match.group(1).lower()] = match.group(2).strip()
    return data, "", len(lines) + 1


def split_front_matter(text: str, where: str) -> FrontMatter:
    """Separate metadata from the body; a file without any has empty metadata."""
    if text.startswith("\ufeff"):
        text = text[1:]
    fenced = _fenced(text, "---")
    if fenced is not None:
        header, body, body_line = fenced
        return FrontMatter(parse_yaml_mapping(header, where, 2), body, body_line, _key_lines(header, 2))
    fenced = _fenced(text, "+++")
    if fenced is not None:
        header, body, body_line = fenced
        try:
            data = tomllib.loads(header)
        except tomllib.TOMLDecodeError as exc:
            raise BroadsheetError(f"invalid TOML front matter: {exc}", where, 2) from None
        except RecursionError:
            raise BroadsheetError("TOML front matter nested too deeply", where, 2) from None
        return FrontMatter(data, body, body_line, _key_lines(header, 2))
    if text.startswith("---\n") or text.startswith("+++\n"):
        raise BroadsheetError("front matter is opened but never closed (no second '---' line)", where, 1)
    pelican = _pelican_header(text)
    if pelican is not None:
        data, body, body_line = pelican
        lines = {key: n + 1 for n, key in enumerate(data)}
        return FrontMatter(data, body, body_line, lines)
    return FrontMatter({}, text, 1)
