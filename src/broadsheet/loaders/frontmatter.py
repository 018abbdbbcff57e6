"""Split a content file into front matter and body, in the dialects users have.

``---`` YAML (Jekyll, Hugo, Pelican's yaml plugin), ``+++`` TOML (Hugo), a
JSON object opening the file (Hugo) and Pelican's own ``Key: value`` header
block all come back as one mapping, with the line of each top-level key so
later errors can point at it.

Each dialect's own reading of a tag string is settled here, where the
dialect is known: Pelican's ``Tags: a, b`` and Hugo's TOML and JSON strings become
lists, so that only a YAML ``tags: news world`` is split on spaces (Jekyll).
Finding the line of an error costs extra work only once parsing failed.
"""

from __future__ import annotations

import json
import re
import sys
import tomllib
from dataclasses import dataclass, field
from typing import Any

import yaml

from ..errors import BroadsheetError

try:
    from yaml import CSafeLoader as YamlLoader
except ImportError:  # pragma: no cover - depends on the PyYAML build
    from yaml import SafeLoader as YamlLoader  # type: ignore[assignment]

BOOL_TAG = "tag:yaml.org,2002:bool"
# YAML 1.2's core schema for what 1.1 read more widely (no sexagesimal 12:30, no octal 010, no yes/no).
_YAML12 = {
    BOOL_TAG: re.compile(r"^(?:true|True|TRUE|false|False|FALSE)$"),
    "tag:yaml.org,2002:int": re.compile(r"^(?:[-+]?(?:0|[1-9][0-9_]*)|0x[0-9a-fA-F_]+)$"),
    "tag:yaml.org,2002:float": re.compile(
        r"^(?:[-+]?[0-9][0-9_]*\.[0-9_]*(?:[eE][-+][0-9]+)?|\.[0-9_]+(?:[eE][-+][0-9]+)?"
        r"|[-+]?\.(?:inf|Inf|INF)|\.(?:nan|NaN|NAN))$"
    ),
}


class FrontMatterLoader(YamlLoader):
    """The safe loader, reading plain scalars as YAML 1.2 does: ``yes``, ``no``, ``on``, ``off`` are words.

    YAML 1.1 (PyYAML's) made ``title: yes`` the headline "True", ``author:
    [Jane Doe, no]`` a byline "Jane Doe, False", ``title: 12:30`` the number
    750 and ``tags: [010]`` the tag "8". Only ``true``/``false``, decimal and
    hexadecimal integers and plain floats are read as such now; dates still are.
    """

    yaml_implicit_resolvers = {  # noqa: RUF012 - PyYAML's resolver reads this class attribute
        first: [
            (tag, _YAML12.get(tag, pattern))
            for tag, pattern in resolvers
            if tag != BOOL_TAG or first in "tTfF"  # yes/no/on/off (first letters y, n, o) stay words
        ]
        for first, resolvers in YamlLoader.yaml_implicit_resolvers.items()
    }


MAX_ALIASES = 64
MAX_DEPTH = 500  # libyaml's C parser recurses per level and crashes the process past some 30,000
_FLOW = re.compile(r"[\[\]{}]")
_BLOCK_LEAD = re.compile(r"^[ \t]*(?:[-?:][ \t]+)*", re.M)
# A key at the start of a line, found in the text after a "\n" put before it. Was ``^([A-Za-z_][\w-]*)\s*[:=]``
# (re.M): opening with "^", it was tried at every position; opening with "\n", ``re`` skips from line to line in C.
_KEY_LINE = re.compile(r"\n([A-Za-z_][\w-]*)\s*[:=]")
_ALIAS = re.compile(r"(?:^|[\s\[{,:-])\*[^\s,\]}]+")
_PELICAN_KEY = re.compile(r"^([A-Za-z][\w-]*):\s*(.*)$")
PELICAN_FIRST_KEYS = {"title", "date", "author", "authors", "category", "tags", "slug", "summary", "status", "modified"}
_TAG_LIST_KEYS = ("tags", "categories")  # the keys metadata.normalise splits on spaces when given a string
_JSON_OPEN = re.compile(r'\{\s*["}]')  # Hugo's JSON front matter; "{{< figure >}}" or "{% raw %}" is body
# What nests a JSON object, and its strings (whose brackets do not): to find the top-level keys' lines.
_JSON_TOKEN = re.compile(r'"((?:[^"\\\n]|\\.)*+)"(\s*+:)?|[{}\[\]]')
_TOML_WHERE = re.compile(r" \(at (?:line (\d+), column \d+|end of document)\)$")


@dataclass
class FrontMatter:
    """Parsed metadata, the body after it, and where the body starts."""

    data: dict[str, Any]
    body: str
    body_line: int
    key_lines: dict[str, int] = field(default_factory=dict)


def _key_lines(header: str, first_line: int) -> dict[str, int]:
    lines: dict[str, int] = {}
    for match in _KEY_LINE.finditer("\n" + header):  # a match at i in this text is a key at i in ``header``
        lines.setdefault(match.group(1), first_line + header.count("\n", 0, match.start()))
    return lines


def yaml_depth(text: str) -> int:
    """An upper bound of how deeply a YAML document nests: brackets, indentation, ``- - -`` runs."""
    depth = deepest = 0
    if "[" in text or "{" in text:  # without an opening bracket the depth stays 0
        for match in _FLOW.finditer(text):
            depth = depth + 1 if match.group() in "[{" else max(0, depth - 1)
            deepest = max(deepest, depth)
    return max(deepest, max(map(len, _BLOCK_LEAD.findall(text)), default=0))


def parse_yaml_mapping(text: str, where: str, first_line: int = 1) -> dict[str, Any]:
    """Parse a YAML mapping safely: no custom tags, no alias bombs, no nesting that crashes libyaml."""
    if "*" in text and len(_ALIAS.findall(text)) > MAX_ALIASES:  # an alias is a "*"
        raise BroadsheetError(
            f"more than {MAX_ALIASES} YAML aliases: refusing a possible alias bomb", where, first_line
        )
    if yaml_depth(text) > MAX_DEPTH:
        raise BroadsheetError(f"YAML front matter nested more than {MAX_DEPTH} levels deep", where, first_line)
    try:
        data = yaml.load(text, Loader=FrontMatterLoader)  # noqa: S506 - the safe loader, with YAML 1.2 scalars
    except yaml.YAMLError as exc:
        mark = getattr(exc, "context_mark", None) or getattr(exc, "problem_mark", None)
        line = first_line + mark.line if mark is not None else first_line
        problem = getattr(exc, "problem", None) or str(exc).splitlines()[0]
        raise BroadsheetError(f"invalid YAML front matter: {problem}", where, line) from None
    except UnicodeEncodeError:
        raise BroadsheetError("front matter holds a lone surrogate: not Unicode text", where, first_line) from None
    except (ValueError, OverflowError) as exc:  # a timestamp such as 2025-02-30 fails while it is built
        line = _unbuildable_line(text, first_line)
        raise BroadsheetError(f"invalid YAML front matter: {exc}", where, line) from None
    except RecursionError:
        raise BroadsheetError("YAML front matter nested too deeply", where, first_line) from None
    if data is None:
        return {}
    if not isinstance(data, dict):
        raise BroadsheetError(f"front matter must be a mapping of keys, not a {type(data).__name__}", where, first_line)
    return {str(k): v for k, v in data.items()}


def _unbuildable_line(text: str, first_line: int) -> int:
    """The line of the first scalar that cannot be built (``date: 2025-02-30``), for an error message.

    Called on the error path only, so a successful parse never composes the
    document twice.
    """
    try:
        root = yaml.compose(text, Loader=FrontMatterLoader)
    except yaml.YAMLError:
        return first_line
    found = find_unbuildable(root)
    return first_line + found.node.start_mark.line if found is not None else first_line


@dataclass(frozen=True)
class Unbuildable:
    """A scalar that YAML parses but cannot build (``2025-02-30``), and where it is."""

    node: yaml.ScalarNode
    keys: tuple[str, ...]  # the mapping keys leading to it: ("extra", "launch")
    key_line: int  # the line of its key, 0-based as YAML counts (its own line when it has none)
    problem: str


def find_unbuildable(root: yaml.Node | None) -> Unbuildable | None:
    """The first scalar of a composed document, in document order, that cannot be built.

    PyYAML raises a bare ``ValueError`` from the constructor, with no mark;
    the composed node tree has one.
    """
    constructor = yaml.constructor.SafeConstructor()
    seen: set[int] = set()
    stack: list[tuple[yaml.Node, tuple[str, ...], int]] = [] if root is None else [(root, (), root.start_mark.line)]
    while stack:  # depth first, in document order
        node, keys, key_line = stack.pop()
        if id(node) in seen:  # an alias: the node it names was looked at
            continue
        seen.add(id(node))
        if isinstance(node, yaml.ScalarNode):
            try:
                constructor.construct_object(node)
            except (ValueError, OverflowError) as exc:
                return Unbuildable(node, keys, key_line, str(exc))
            except yaml.YAMLError:
                continue
        elif isinstance(node, yaml.SequenceNode):
            stack.extend(reversed([(item, keys, item.start_mark.line) for item in node.value]))
        elif isinstance(node, yaml.MappingNode):
            pairs = [
                ((key, keys, key.start_mark.line), (value, (*keys, str(key.value)), key.start_mark.line))
                for key, value in node.value
            ]
            stack.extend(reversed([part for pair in pairs for part in pair]))
    return None


def _toml_error(exc: tomllib.TOMLDecodeError, header: str, first_line: int) -> tuple[str, int]:
    """tomllib's message without its "(at line N, column M)", and that line counted in the file."""
    message = str(exc)
    match = _TOML_WHERE.search(message)
    if match is None:
        return message, first_line
    if match.group(1) is not None:
        return message[: match.start()], first_line + int(match.group(1)) - 1
    return message[: match.start()], first_line + max(0, header.rstrip("\n").count("\n"))


def _hugo_tags(data: dict[str, Any]) -> dict[str, Any]:
    """Hugo reads a TOML or JSON tag string as one tag (a comma-separated one is split later, as everywhere)."""
    for key, value in data.items():
        if isinstance(value, str) and "," not in value and key.lower() in _TAG_LIST_KEYS:
            data[key] = [value]
    return data


def _fenced(text: str, fence: str) -> tuple[str, str, int] | None:
    """(header, body, body_line) when ``text`` opens with ``fence`` on its own line."""
    if not text.startswith(fence) or text[len(fence) : len(fence) + 1] not in ("\n", " ", "\t", ""):
        return None
    first_nl = text.find("\n")
    if first_nl < 0 or text[:first_nl].strip() != fence:
        return None
    # The closing line, after the "\n" ending the line before it. Was ``^(?:FENCE|\.\.\.)[ \t]*$`` searched from
    # first_nl + 1: opening with "^", it was tried at every position of the header; with "\n", ``re`` skips in C.
    match = re.compile(rf"\n(?:{re.escape(fence)}|\.\.\.)[ \t]*$", re.M).search(text, first_nl)
    if match is None:
        return None
    header = text[first_nl + 1 : match.start() + 1]
    body_start = match.end() + 1
    return header, text[body_start:], text.count("\n", 0, min(body_start, len(text))) + 1


def _pelican_header(text: str) -> tuple[dict[str, Any], dict[str, int], str, int] | None:
    """(data, key lines, body, body line) of a Pelican ``Key: value`` block, or None.

    An indented line continues the value above it, as python-markdown's
    meta extension (which Pelican uses) reads it. ``Tags`` is split on
    commas and nothing else, as Pelican does; ``Category`` is one category.
    """
    lines = text.split("\n")
    first = _PELICAN_KEY.match(lines[0])
    if first is None or first.group(1).lower() not in PELICAN_FIRST_KEYS:
        return None
    data: dict[str, Any] = {}
    key_lines: dict[str, int] = {}
    key = ""
    body, body_line = "", len(lines) + 1
    for number, line in enumerate(lines):
        if not line.strip():
            body, body_line = "\n".join(lines[number + 1 :]), number + 2
            break
        match = _PELICAN_KEY.match(line)
        if match is not None:
            key = match.group(1).lower()
            data[key] = match.group(2).strip()
            key_lines[key] = number + 1
        elif line[0] in " \t":
            data[key] = f"{data[key]} {line.strip()}".lstrip()
        else:
            return None
    for key in _TAG_LIST_KEYS:
        if key in data:
            data[key] = [part.strip() for part in data[key].split(",")]
    return data, key_lines, body, body_line


def _json_header(text: str, where: str) -> FrontMatter | None:
    """Hugo's JSON front matter: an object opening the file; the body starts on the line after it ends."""
    if not _JSON_OPEN.match(text):
        return None
    try:
        data, end = json.JSONDecoder().raw_decode(text)
    except json.JSONDecodeError as exc:
        raise BroadsheetError(f"invalid JSON front matter: {exc.msg}", where, exc.lineno) from None
    except RecursionError:
        raise BroadsheetError("JSON front matter nested too deeply", where, 1) from None
    except ValueError as exc:  # a number of more digits than Python turns into an int (sys.get_int_max_str_digits)
        raise BroadsheetError(f"invalid JSON front matter: {exc}", where, _long_number_line(text, 1)) from None
    line_end = text.find("\n", end)
    if text[end : len(text) if line_end < 0 else line_end].strip():
        raise BroadsheetError("text after the JSON front matter on its last line", where, text.count("\n", 0, end) + 1)
    body_start = len(text) if line_end < 0 else line_end + 1
    return FrontMatter(
        _hugo_tags(data), text[body_start:], text.count("\n", 0, body_start) + 1, _json_key_lines(text, end)
    )


def _json_key_lines(text: str, end: int) -> dict[str, int]:
    """The line of each top-level key of the JSON object ``text[:end]`` (not a nested object's key of that name)."""
    lines: dict[str, int] = {}
    depth, line, counted = 0, 1, 0
    for token in _JSON_TOKEN.finditer(text, 0, end):
        mark = token.group(0)
        if mark in "{[":
            depth += 1
        elif mark in "}]":
            depth -= 1
        elif depth == 1 and token.group(2):
            line += text.count("\n", counted, token.start())
            counted = token.start()
            lines.setdefault(token.group(1), line)
    return lines


def _long_number_line(header: str, first_line: int) -> int:
    """The line of the first number in ``header`` too long to read as an int (it starts on ``first_line``)."""
    found = re.search(rf"\d{{{sys.get_int_max_str_digits() + 1},}}", header)
    return first_line + (0 if found is None else header.count("\n", 0, found.start()))


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
            data = _hugo_tags(tomllib.loads(header))
        except tomllib.TOMLDecodeError as exc:
            message, line = _toml_error(exc, header, 2)
            raise BroadsheetError(f"invalid TOML front matter: {message}", where, line) from None
        except RecursionError:
            raise BroadsheetError("TOML front matter nested too deeply", where, 2) from None
        except ValueError as exc:  # a number of more digits than Python turns into an int
            raise BroadsheetError(f"invalid TOML front matter: {exc}", where, _long_number_line(header, 2)) from None
        return FrontMatter(data, body, body_line, _key_lines(header, 2))
    if text.startswith("---\n") or text.startswith("+++\n"):
        raise BroadsheetError("front matter is opened but never closed (no second '---' line)", where, 1)
    json_header = _json_header(text, where)
    if json_header is not None:
        return json_header
    pelican = _pelican_header(text)
    if pelican is not None:
        data, lines, body, body_line = pelican
        return FrontMatter(data, body, body_line, lines)
    return FrontMatter({}, text, 1)
