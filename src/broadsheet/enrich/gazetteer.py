"""The site's gazetteer: people, organisations and places it knows by name.

A gazetteer is optional. The entity heuristics find names on their own; the
gazetteer fixes the kind of a name the text gives no cue for ("Moscow’s
commitment"), merges spellings (Zelensky, Zelenskyy) and supplies a default
role. Format (``data/gazetteer.yaml``, documented in the README)::

    people:
      - name: Volodymyr Zelenskyy
        aliases: [Zelensky, Zelenskiy]
        role: President of Ukraine      # used when the text gives no role
    organisations:
      - Reuters                         # a plain string: a name without aliases
    places:
      - name: Kyiv
        aliases: [Kiev]
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import yaml

from ..errors import BroadsheetError
from .text import fold

KINDS = {"people": "person", "organisations": "organisation", "organizations": "organisation", "places": "place"}
ENTRY_KEYS = ("name", "aliases", "role")


@dataclass(frozen=True)
class Known:
    """One gazetteer entry."""

    name: str
    kind: str
    aliases: tuple[str, ...] = ()
    role: str = ""


@dataclass(frozen=True)
class Gazetteer:
    """Known names by folded surface form (name and aliases)."""

    entries: tuple[Known, ...] = ()
    by_surface: dict[str, Known] = field(default_factory=dict, hash=False, compare=False)

    @classmethod
    def of(cls, entries: tuple[Known, ...]) -> Gazetteer:
        """Index ``entries``; a surface listed twice keeps its first entry."""
        by_surface: dict[str, Known] = {}
        for entry in entries:
            for surface in (entry.name, *entry.aliases):
                by_surface.setdefault(fold(surface), entry)
        return cls(entries, by_surface)

    def get(self, surface: str) -> Known | None:
        return self.by_surface.get(fold(surface))


def _scalar(node: yaml.Node, path: Path, what: str) -> str:
    if not isinstance(node, yaml.ScalarNode) or not str(node.value).strip():
        raise BroadsheetError(f"{what} must be a non-empty string", path, node.start_mark.line + 1)
    return " ".join(str(node.value).split())


def _entry(node: yaml.Node, kind: str, path: Path) -> Known:
    if isinstance(node, yaml.ScalarNode):
        return Known(_scalar(node, path, "a name"), kind)
    if not isinstance(node, yaml.MappingNode):
        raise BroadsheetError("an entry must be a name or a mapping with 'name'", path, node.start_mark.line + 1)
    values: dict[str, yaml.Node] = {}
    for key, value in node.value:
        if key.value not in ENTRY_KEYS:
            raise BroadsheetError(
                f"unknown key '{key.value}' (known keys: {', '.join(ENTRY_KEYS)})", path, key.start_mark.line + 1
            )
        values[key.value] = value
    if "name" not in values:
        raise BroadsheetError("entry without 'name'", path, node.start_mark.line + 1)
    aliases: tuple[str, ...] = ()
    if "aliases" in values:
        raw = values["aliases"]
        items = raw.value if isinstance(raw, yaml.SequenceNode) else [raw]
        aliases = tuple(_scalar(item, path, "'aliases'") for item in items)
    role = _scalar(values["role"], path, "'role'") if "role" in values else ""
    return Known(_scalar(values["name"], path, "'name'"), kind, aliases, role)


def parse_gazetteer(text: str, path: Path) -> Gazetteer:
    """Validate the text of a gazetteer; errors name the file and line."""
    try:
        root = yaml.compose(text, Loader=yaml.SafeLoader)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        raise BroadsheetError(
            f"invalid YAML: {getattr(exc, 'problem', exc)}", path, mark.line + 1 if mark else None
        ) from None
    if root is None:
        return Gazetteer()
    if not isinstance(root, yaml.MappingNode):
        raise BroadsheetError("must be a mapping with people, organisations and/or places", path, 1)
    entries: list[Known] = []
    for key, value in root.value:
        kind = KINDS.get(str(key.value))
        if kind is None:
            raise BroadsheetError(
                f"unknown key '{key.value}' (known keys: people, organisations, places)", path, key.start_mark.line + 1
            )
        if isinstance(value, yaml.ScalarNode) and value.value in ("", "~", "null"):
            continue
        if not isinstance(value, yaml.SequenceNode):
            raise BroadsheetError(f"'{key.value}' must be a list", path, value.start_mark.line + 1)
        entries.extend(_entry(item, kind, path) for item in value.value)
    return Gazetteer.of(tuple(entries))


def load_gazetteer(data: Path, name: str) -> Gazetteer:
    """The gazetteer ``name`` in the site's data folder; none there means an empty one."""
    path = (data / name).resolve()
    if not path.is_relative_to(data.resolve()):
        raise BroadsheetError(f"enrich.gazetteer must be inside the data folder: {name!r}")
    if not path.is_file():
        return Gazetteer()
    try:
        text = path.read_text(encoding="utf-8-sig")
    except (OSError, UnicodeDecodeError) as exc:
        raise BroadsheetError(f"cannot read: {exc}", path) from None
    return parse_gazetteer(text, path)
