"""People, organisations and places named in an article, with the role as written.

Names are found without a model, in three steps that each explain themselves:

1. **Candidates**: runs of capitalised words ("Vladimir Medinsky"), cut after a
   possessive ("Moscow’s"), bridging "of"/"for" inside organisation names
   ("Institute for Fiscal Studies"). Leading function words ("The", "However")
   are dropped; a title inside the run ("Ukrainian President Volodymyr
   Zelenskyy") becomes the role, not the name.
2. **Cues** around each candidate: a role before it ("Russian presidential
   aide …", "Defense Minister, …") or after it (", a spokesperson for …"), a
   speech verb ("… said", "said …"), "told …" / "according to …" (a source),
   "in …" (a place), organisation words (University, Ministry, acronyms) and
   place words (Port …, … Valley). The site gazetteer and a built-in list of
   countries and capitals name what no cue tells.
3. **Merging** within the article: a surname alone ("Zelenskyy") joins the one
   full name it ends ("Volodymyr Zelenskyy"); gazetteer aliases join their
   entry. A name seen only at the start of a sentence, with no cue and no full
   form, is dropped, so "Critics said" or a title-case heading never becomes a
   person. Title-case headings are only searched for names already known.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from ..loaders.article import make_slug
from ..model import Mention
from .datelines import Dateline, dateline, filed_by
from .gazetteer import Gazetteer, Known
from .text import FUNCTION_WORDS, SPEECH_VERBS, fold, opens_sentence, wordset
from .world import PLACE_ACRONYMS, PLACES

_UPPER = "".join(
    chr(c)
    for c in (*range(0x41, 0x5B), *range(0xC0, 0x250), *range(0x370, 0x530), *range(0x1E00, 0x1F00))
    if chr(c).isupper()
)
# Initials ("U.N.") or a capitalised word that does not go on from another word: r"(?:[A-Z]\.){2,}|(?<![\w’'-])[UPPER]…"
# written to open with its first letter (what may stand before that letter is checked after it, by look-behind),
# so that `re` skips in C from one capital to the next instead of trying the pattern at every character.
_CAPITALISED = re.compile(rf"[{_UPPER}](?:(?<=[A-Z])\.(?:[A-Z]\.)+|(?<![\w’'-].)[\w’'\-]*)")
_PLAIN_WORD = re.compile(r"[^\W\d_][\w’'-]*")
PARTICLES = wordset("da de del della der di dos du van von la le bin ibn al")
BRIDGES = frozenset(("of", "for", "&"))
HONORIFICS = wordset("Mr Mrs Ms Dr Prof Sen Rep Gen Gov Lt Col Capt St")
STARTERS = wordset("""even so separately indeed instead nonetheless nevertheless moreover furthermore additionally overall
    today yesterday tomorrow earlier later now then yes no please thanks""")
CALENDAR = wordset("""January February March April May June July August September October November December Monday Tuesday
    Wednesday Thursday Friday Saturday Sunday Jan Feb Mar Apr Jun Jul Aug Sep Sept Oct Nov Dec""")
# Capitalised words that make a run a title ("Defense Minister", "Ukrainian President").
TITLE_HEADS = (
    wordset("""President Vice-President Premier Minister Secretary Secretary-General Chancellor Senator Governor Mayor
    General Colonel Lieutenant Captain Commander Admiral Sergeant Marshal Judge Justice Ambassador Envoy Chairman
    Chairwoman Chairperson Chair Director Director-General Commissioner Councillor Councilor Representative
    Congressman Congresswoman King Queen Prince Princess Emperor Pope Cardinal Bishop Archbishop Rabbi Imam
    Sheikh Professor Sir Dame Lord Lady Speaker Spokesman Spokeswoman Spokesperson Chief CEO Inspector Detective
    Superintendent Coach Aide Adviser Advisor Prosecutor Attorney-General""")
    | HONORIFICS
)
# Lower-case words that end a role phrase ("presidential aide", "council chair").
ROLE_HEADS = wordset("""president minister secretary aide adviser advisor spokesperson spokesman spokeswoman chair chairman
    chairwoman chairperson chief head director leader lead mayor governor senator ambassador envoy official
    officer commander general analyst economist researcher scientist professor lawyer attorney judge councillor
    councilor representative negotiator mediator librarian teacher doctor nurse engineer founder manager
    executive ceo editor correspondent reporter journalist activist campaigner organiser organizer owner farmer
    member deputy candidate coach captain player author artist historian expert curator architect pilot priest
    diplomat lawmaker legislator mp prosecutor inspector superintendent commissioner premier king queen prince
    princess chancellor colonel lieutenant sergeant admiral speaker president-elect vice-president
    secretary-general director-general""")
ORG_WORDS = wordset("""Agency Association Authority Bank Board Bureau Center Centre College Commission Committee Company Corp
    Corporation Council Court Department Foundation Fund Group Inc Institute Institution League Ltd Ministry
    Office Organisation Organization Party Police Press Project School Service Society Trust Union University
    Forum Lab Laboratory Laboratories Partners Capital Analytics Consulting Economics Network News Times Gazette
    Post Journal Herald Tribune Observer Chronicle Courier Ledger Dispatch Review Holdings Industries Systems
    Technologies Airlines Airways Motors Museum Library Hospital Army Navy Parliament Senate Congress Assembly
    Government Administration Federation Alliance Coalition Movement Club FC Orchestra Studios Records Media
    Broadcasting Kremlin Pentagon Bundestag Duma Rada Cabinet Secretariat Directorate Inspectorate Watchdog
    Exchange Observatory Academy Grid""")
PLACE_PREFIXES = wordset(
    "Port Lake Mount Mt Fort Saint San Santa New North South East West Upper Lower Greater Cape Isle"
)
PLACE_SUFFIXES = wordset("""City Town Village Valley Island Islands River Bay Glacier Mountains Mountain Hills County Province Region
    District Oblast Street Square Avenue Bridge Harbour Harbor Peninsula Coast Sea Ocean Lake Gulf Strait Desert
    Forest Park Heights Springs Falls""")
NOT_ACRONYMS = frozenset(("I", "A", "OK", "TV", "AM", "PM"))

_SPEECH = "|".join(sorted(SPEECH_VERBS))
_SPEECH_AFTER = re.compile(
    rf"\s+(?:(?:has|had|also|then|later|again|previously|reportedly|repeatedly|once)\s+)?(?:{_SPEECH})\b"
)
SAID_BY = wordset("said says added wrote asked urged warned insisted")
PLACE_PREPOSITIONS = wordset(
    "in at from near across outside inside around throughout toward towards via into visited visiting"
)
OF_LIKE = wordset("of in at from for by")
_APPOSITIVE = re.compile(r",\s+(?P<role>(?:(?:a|an|the)\s+)?[^,.;:()“”\"\n]{2,80}?)(?=\s*[,.;:)\n]|\s*$)")

PERSON, ORGANISATION, PLACE, ACRONYM = "person", "organisation", "place", "acronym"
KIND_ORDER = {PERSON: 0, ORGANISATION: 1, PLACE: 2}
PERSON_CUES = frozenset(("speech", "said_by"))
SOURCE_CUES = frozenset(("told", "according"))


@dataclass(slots=True)
class _Token:
    """A capitalised word: its text (possessive removed) and where it is."""

    text: str
    start: int
    end: int
    possessive: bool
    initial: bool
    raw_end: int  # the end of the word as written, possessive ending included
    position: int  # among the capitalised words of its text


@dataclass(slots=True)
class _Candidate:
    """One occurrence of a name in one text."""

    surface: str
    story: int
    initial: bool
    role: str = ""
    cues: set[str] = field(default_factory=set)
    structure: str = ""  # "organisation" | "place" | "acronym" from the words of the name


@dataclass
class Entity:
    """A named thing of one article, with every surface form seen and the stories it is in."""

    name: str
    kind: str
    surfaces: list[str] = field(default_factory=list)
    roles: dict[int, str] = field(default_factory=dict)  # story index → role as written there
    default_role: str = ""
    stories: set[int] = field(default_factory=set)
    slug: str = ""

    def __post_init__(self) -> None:
        self.slug = self.slug or make_slug(self.name)

    def role_in(self, story: int) -> str:
        if story in self.roles:
            return self.roles[story]
        return next(iter(self.roles.values()), self.default_role)

    def mention(self, story: int) -> Mention:
        name = fold(self.name)
        aliases = tuple(s for s in dict.fromkeys(self.surfaces) if fold(s) != name)
        return Mention(self.name, self.kind, self.slug, self.role_in(story), aliases)


def tokens(text: str) -> list[_Token]:
    """The capitalised words of ``text`` with offsets; ``initial`` marks a sentence's (or quotation's) first word.

    Only capitalised words are materialised: names are made of them, and the
    lower-case words around a name are read from the text where a rule needs them.
    """
    if text.islower():
        return []
    found: list[_Token] = []
    for match in _CAPITALISED.finditer(text):
        word, start = match.group(0), match.start()
        possessive = word.endswith(("’s", "'s"))
        word = word[:-2] if possessive else word.rstrip("’'-")
        if word:
            initial = opens_sentence(text, start)
            found.append(_Token(word, start, start + len(word), possessive, initial, match.end(), len(found)))
    return found


def _joined(text: str, previous: _Token, token: _Token) -> bool:
    """Two capitalised words of one name: one space apart, or an honorific's full stop, or a particle."""
    if previous.possessive:
        return False
    gap = text[previous.end : token.start]
    if gap == " " or (gap in (". ", ".") and previous.text in HONORIFICS):
        return True
    inner = gap.strip()
    return gap == f" {inner} " and inner in PARTICLES


def _runs(text: str, words: Sequence[_Token]) -> list[list[_Token]]:
    """Maximal runs of capitalised words that form one name ("Vladimir Putin", "Rio de Janeiro")."""
    runs: list[list[_Token]] = []
    for token in words:
        if runs and _joined(text, runs[-1][-1], token):
            runs[-1].append(token)
        else:
            runs.append([token])
    return runs


def _bridge(text: str, runs: list[list[_Token]]) -> list[list[_Token]]:
    """Join "Institute" + "for" + "Fiscal Studies" when the joined name is an organisation."""
    out: list[list[_Token]] = []
    for run in runs:
        if out and not out[-1][-1].possessive:
            gap = text[out[-1][-1].end : run[0].start]
            joiner = gap.strip()
            if gap == f" {joiner} " and joiner in BRIDGES and _org_words(out[-1] + run):
                out[-1] = out[-1] + run
                continue
        out.append(run)
    return out


def _org_words(run: Sequence[_Token]) -> bool:
    return not ORG_WORDS.isdisjoint([t.text for t in run])


def _is_acronym(word: str) -> bool:
    letters = word.replace(".", "")
    return (
        2 <= len(letters) <= 6
        and letters.isupper()
        and letters.isalpha()
        and word not in NOT_ACRONYMS
        and word not in TITLE_HEADS
    )


def _structure(run: Sequence[_Token]) -> str:
    texts = [t.text for t in run]
    if not PLACE_ACRONYMS.isdisjoint(texts):
        return PLACE
    if not ORG_WORDS.isdisjoint(texts):
        return ORGANISATION
    if len(texts) == 1 and _is_acronym(texts[0]):
        return ACRONYM
    if len(texts) > 1 and (texts[0] in PLACE_PREFIXES or texts[-1] in PLACE_SUFFIXES):
        return PLACE
    return ""


def _role_before(text: str, start: int) -> tuple[str, int]:
    """A lower-case role phrase right before ``start`` ("Russian presidential aide"), and where it starts."""
    window = text[max(0, start - 100) : start].rpartition("\n")[2]
    sep = ", " if window.endswith(", ") else " " if window.endswith(" ") else ""
    parts = window[: len(window) - len(sep)].split(" ") if sep else []
    if not parts or parts[-1] not in ROLE_HEADS:
        return "", start
    begin = last = len(parts) - 1
    j = last - 1
    while j >= 0 and last - j < 4:
        word = parts[j]
        if not _PLAIN_WORD.fullmatch(word):
            break
        lower = word.lower()
        possessive = lower.endswith(("’s", "'s"))
        if word[:1].isupper():
            opens = j == 0 or not parts[j - 1][:1].isupper() or parts[j - 1].endswith((".", "!", "?", ":"))
            if lower not in FUNCTION_WORDS and (possessive or opens):
                begin = j
            break
        if lower in FUNCTION_WORDS or lower in SPEECH_VERBS or possessive:
            break
        begin = j
        j -= 1
    role = " ".join(parts[begin:])
    return role, start - len(sep) - len(role)


def _appositive(text: str, end: int) -> str:
    """ ", a spokesperson for the city council" right after a name → the role as written."""
    match = _APPOSITIVE.match(text, end)
    if match is None:
        return ""
    role = match.group("role").strip()
    lowered = role.lower().split()
    if not lowered or lowered[0] in ("who", "which", "where", "and", "but", "when", "while", "whose"):
        return ""
    if any(w in SPEECH_VERBS for w in lowered):
        return ""
    head_words = [w.strip("’'") for w in lowered[:6]]
    return role if any(w in ROLE_HEADS for w in head_words) else ""


def _title_split(run: Sequence[_Token]) -> int:
    """How many leading words of ``run`` are its title ("Ukrainian President" of "… Volodymyr Zelenskyy")."""
    last = -1
    for i, token in enumerate(run[:-1]):
        if token.text in TITLE_HEADS or token.text.rstrip(".") in HONORIFICS:
            last = i
    return last + 1


def is_title_case(text: str) -> bool:
    """A heading in Title Case, whose capitals say nothing about names."""
    significant = [w for w in text.split() if len(w) > 3 and w.lower().strip("“”\"‘’'") not in FUNCTION_WORDS]
    if len(significant) < 2:
        return False
    capitals = sum(1 for w in significant if w.lstrip("“\"‘'(")[:1].isupper())
    return capitals / len(significant) >= 0.7


def candidates(text: str, story: int) -> list[_Candidate]:
    """Every name candidate of one prose text, with its cues."""
    words = tokens(text)
    found: list[_Candidate] = []
    pending_role = ""
    pending_end = -1
    for run in _bridge(text, _runs(text, words)):
        while run and (run[0].text.lower() in FUNCTION_WORDS or run[0].text.lower() in STARTERS):
            run = run[1:]
        while run and run[0].text in CALENDAR:
            run = run[1:]
        if not run:
            continue
        structure = _structure(run)
        split = 0 if structure in (ORGANISATION, ACRONYM) else _title_split(run)
        title, name = run[:split], run[split:]
        if not name or name[-1].text in TITLE_HEADS:
            # A title alone ("Defense Minister"): the role of a name after a comma.
            pending_role = text[_role_start(text, words, run[0].position) : run[-1].end]
            pending_end = run[-1].end
            continue
        start, end = name[0].start, name[-1].end
        candidate = _Candidate(text[start:end], story, name[0].initial and not title, structure=structure)
        if candidate.initial and len(name) == 1 and not structure:
            # A lone capitalised word opening a sentence counts only if named elsewhere or known,
            # and then the other mentions carry the cues: no need to read its surroundings.
            found.append(candidate)
            pending_end = -1
            continue
        if title:
            candidate.role = text[_role_start(text, words, title[0].position) : title[-1].end]
            if all(t.text in HONORIFICS for t in title):  # "Dr." says less than ", a planning expert at …"
                candidate.role = _appositive(text, end) or text[title[0].start : name[0].start].strip()
        elif pending_end >= 0 and text[pending_end:start] == ", ":
            candidate.role = pending_role
        role_start = title[0].start if title else start
        if not candidate.role and not structure:
            candidate.role, role_start = _role_before(text, start)
            if not candidate.role and not name[-1].possessive:
                candidate.role = _appositive(text, end)
        _add_cues(candidate, text, role_start if candidate.role else start, end, name[-1].possessive)
        found.append(candidate)
        pending_end = -1
    return found


def _role_start(text: str, words: Sequence[_Token], first: int) -> int:
    """A possessive or adjective right before a title run belongs to the role ("Ukraine’s Defense Minister")."""
    if first > 0:
        before = words[first - 1]
        if text[before.raw_end : words[first].start] == " " and before.possessive:
            return before.start
    return words[first].start


def _add_cues(candidate: _Candidate, text: str, start: int, end: int, possessive: bool) -> None:
    """What the words right before and after a name say about it (see the module docstring)."""
    before = text[max(0, start - 30) : start].rpartition("\n")[2]
    last = before.split()[-3:] if before.endswith(" ") else []
    if last and last[-1] in ("the", "The"):
        named_the, last = True, last[:-1]
    else:
        named_the = False
    previous = last[-1] if last else ""
    if candidate.role:
        candidate.cues.add("role")
    if not possessive and previous not in OF_LIKE and _SPEECH_AFTER.match(text, end):
        candidate.cues.add("speech")
    if previous in SAID_BY and not named_the:
        candidate.cues.add("said_by")
    if previous == "told":
        candidate.cues.add("told")
    if previous == "to" and len(last) > 1 and last[-2].lower() == "according":
        candidate.cues.add("according")
    if previous in PLACE_PREPOSITIONS or text.startswith("-based", end):
        candidate.cues.add("place_prep")
    if candidate.structure == ACRONYM and (named_the or possessive):
        candidate.cues.add("named")


def _dateline_candidates(filed: Dateline, story: int) -> list[_Candidate]:
    """The place a dateline names, its region when that is a known place, and the agency in brackets."""
    found = [_Candidate(filed.place, story, False, cues={"place_prep"}, structure=PLACE)]
    if filed.region in PLACES:
        found.append(_Candidate(filed.region, story, False, cues={"place_prep"}, structure=PLACE))
    if filed.agency:
        structure = ACRONYM if _is_acronym(filed.agency) else ORGANISATION
        found.append(_Candidate(filed.agency, story, False, cues={"named"}, structure=structure))
    return found


def known_in(text: str, story: int, surfaces: Iterable[str]) -> list[_Candidate]:
    """Names already known (``surfaces``) inside a title-case heading: no new names from headings."""
    wanted = {fold(s) for s in surfaces}
    words = tokens(text)
    found = []
    for run in _runs(text, words):
        taken = 0
        for i in range(len(run)):
            if i < taken:
                continue
            for j in range(min(len(run), i + 4), i, -1):
                surface = text[run[i].start : run[j - 1].end]
                if fold(surface) in wanted:
                    found.append(_Candidate(surface, story, False))
                    taken = j
                    break
    return found


@dataclass(frozen=True)
class EntityFinder:
    """The site's entity knowledge: its gazetteer, with people's surnames as implicit aliases."""

    gazetteer: Gazetteer
    surnames: dict[str, Known] = field(default_factory=dict, hash=False, compare=False)
    slugs: dict[str, str] = field(default_factory=dict, hash=False, compare=False)  # per build: names repeat
    # The gazetteer's people and organisations in capitals: a dateline never names them as the place filed from;
    # an organisation's, opening the text as a dateline would, is that organisation (by its gazetteer name).
    not_places: frozenset[str] = field(default=frozenset(), hash=False, compare=False)
    organisations: dict[str, str] = field(default_factory=dict, hash=False, compare=False)

    def slug(self, name: str) -> str:
        slug = self.slugs.get(name)
        if slug is None:
            slug = self.slugs[name] = make_slug(name)
        return slug

    @classmethod
    def with_gazetteer(cls, gazetteer: Gazetteer) -> EntityFinder:
        counts: dict[str, list[Known]] = {}
        for entry in gazetteer.entries:
            if entry.kind == PERSON and " " in entry.name:
                counts.setdefault(fold(entry.name.split()[-1]), []).append(entry)
        surnames = {k: v[0] for k, v in counts.items() if len(v) == 1 and gazetteer.get(k) is None}
        not_places = frozenset(
            surface.upper() for k in gazetteer.entries if k.kind != PLACE for surface in (k.name, *k.aliases)
        )
        organisations: dict[str, str] = {}
        for k in gazetteer.entries:
            if k.kind == ORGANISATION:
                for surface in (k.name, *k.aliases):
                    organisations.setdefault(surface.upper(), surface)
        return cls(gazetteer, surnames, not_places=not_places, organisations=organisations)

    def known(self, surface: str) -> Known | None:
        return self._known_folded(fold(surface))

    def _known_folded(self, folded: str) -> Known | None:
        """``known`` for a surface already folded: merging folds each candidate once for all its lookups."""
        return self.gazetteer.by_surface.get(folded) or self.surnames.get(folded)

    def find(self, texts: Sequence[tuple[int, str, bool]]) -> ArticleEntities:
        """The entities of one article from its ``(story index, text, is_heading)`` pieces, in order."""
        found: list[_Candidate] = []
        headings: list[tuple[int, str]] = []
        first_prose = True
        for story, text, heading in texts:
            if heading and is_title_case(text):
                headings.append((story, text))
                continue
            if not heading and first_prose:
                first_prose = False
                filed = dateline(text, self.not_places)
                if filed is not None:
                    found.extend(_dateline_candidates(filed, story))
                    text = text[filed.end :]
                elif by := filed_by(text, self.organisations):
                    # "UNICEF, Dec. 5 —": who, in capitals, where a dateline's place would be (not a sentence's opening)
                    name = self.organisations.get(by, by)
                    found.append(_Candidate(name, story, False, cues={"named"}, structure=ORGANISATION))
            found.extend(candidates(text, story))
        entities = self._merge(found)
        surfaces = [s for e in entities for s in (e.name, *e.surfaces)]
        surfaces += [s for k in self.gazetteer.entries for s in (k.name, *k.aliases)]
        for story, text in headings:
            for candidate in known_in(text, story, surfaces):
                entity = self._lookup(entities, candidate.surface)
                if entity is None and (known := self.known(candidate.surface)) is not None:
                    entity = Entity(known.name, known.kind, default_role=known.role, slug=self.slug(known.name))
                    entities.append(entity)
                if entity is not None:
                    entity.stories.add(story)
                    entity.surfaces.append(candidate.surface)
        return ArticleEntities(tuple(entities))

    @staticmethod
    def _lookup(entities: Sequence[Entity], surface: str) -> Entity | None:
        key = fold(surface)
        return next((e for e in entities if key == fold(e.name) or key in map(fold, e.surfaces)), None)

    def _merge(self, found: list[_Candidate]) -> list[Entity]:
        """Group candidates into entities: gazetteer entries, full names, then lone surnames."""
        groups: dict[str, list[_Candidate]] = {}
        names: dict[str, str] = {}
        known: dict[str, Known] = {}
        for candidate in found:
            folded = fold(candidate.surface)
            entry = self._known_folded(folded)
            key = fold(entry.name) if entry else folded
            if entry:
                known[key] = entry
            groups.setdefault(key, []).append(candidate)
            names.setdefault(key, entry.name if entry else candidate.surface)
        people_by_part: dict[str, list[str]] = {}
        for key in groups:
            if " " in key and _classify(groups[key], known.get(key), names[key]) == PERSON:
                parts = key.split()
                for part in {parts[0], parts[-1]}:
                    people_by_part.setdefault(part, []).append(key)
        for key in [k for k in groups if " " not in k and k not in known]:
            fulls = people_by_part.get(key, [])
            if len(fulls) == 1:
                groups[fulls[0]].extend(groups.pop(key))
        entities: list[Entity] = []
        for key, members in groups.items():
            entry = known.get(key)
            kind = _classify(members, entry, names[key])
            if kind is None or not _credible(members, entry, names[key]):
                continue
            entity = Entity(names[key], kind, default_role=entry.role if entry else "", slug=self.slug(names[key]))
            for member in members:
                entity.surfaces.append(member.surface)
                entity.stories.add(member.story)
                if member.role and kind == PERSON:
                    entity.roles.setdefault(member.story, member.role)
            entities.append(entity)
        return entities

    def mentions(self, entities: ArticleEntities, story: int) -> tuple[Mention, ...]:
        chosen = [e for e in entities.entities if story in e.stories]
        chosen.sort(key=lambda e: (KIND_ORDER[e.kind], e.name.lower()))
        return tuple(e.mention(story) for e in chosen)


def _classify(members: Sequence[_Candidate], entry: Known | None, name: str) -> str | None:
    """The kind a name's cues vote for, strongest evidence first; ``None`` when nothing tells."""
    if entry is not None:
        return entry.kind
    cues: set[str] = set()
    structures = set()
    for member in members:
        cues |= member.cues
        structures.add(member.structure)
    if ORGANISATION in structures or (ACRONYM in structures and cues):
        return ORGANISATION
    if "role" in cues:
        return PERSON
    if name in PLACES or PLACE in structures:
        return PLACE
    if cues & PERSON_CUES:
        return PERSON
    if cues & SOURCE_CUES:
        return ORGANISATION if " " not in name or _is_acronym(name) else PERSON
    if "place_prep" in cues:
        return PLACE
    return None


def _credible(members: Sequence[_Candidate], entry: Known | None, name: str) -> bool:
    """A name only ever seen opening a sentence is a real name only if something vouches for it."""
    if entry is not None or name in PLACES or any(not m.initial for m in members):
        return True
    return " " in name and any(m.cues or m.structure for m in members)


@dataclass(frozen=True)
class ArticleEntities:
    """The entities of one article; finds the one a phrase names ("council chair Ines Varga")."""

    entities: tuple[Entity, ...] = ()
    surfaces: tuple[tuple[str, Entity], ...] = field(init=False)

    def __post_init__(self) -> None:
        found: dict[tuple[str, int], tuple[str, Entity]] = {}
        for entity in self.entities:
            for surface in dict.fromkeys((entity.name, *entity.surfaces)):  # folded once, not once per mention
                key = fold(surface)
                found.setdefault((key, id(entity)), (key, entity))
        object.__setattr__(self, "surfaces", tuple(found.values()))

    def in_phrase(self, phrase: str) -> Entity | None:
        """The entity named in ``phrase`` (the longest surface wins; people before others)."""
        folded = f" {fold(phrase)} "
        best: tuple[int, int, Entity] | None = None
        for key, entity in self.surfaces:
            if key in folded:
                position = folded.find(f" {key}")
                if position < 0:
                    continue
                after = folded[position + len(key) + 1 : position + len(key) + 2]
                if after.isalnum():
                    continue
                rank = (len(key), -KIND_ORDER[entity.kind])
                if best is None or rank > best[:2]:
                    best = (rank[0], rank[1], entity)
        return best[2] if best else None
