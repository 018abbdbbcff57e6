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
from .gazetteer import Gazetteer, Known
from .text import FUNCTION_WORDS, SPEECH_VERBS, fold, sentence_spans, wordset
from .world import PLACES

_TOKEN = re.compile(r"(?:[A-Z]\.){2,}|[^\W\d_][\w’'\-]*")
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
    Exchange Observatory Academy""")
PLACE_PREFIXES = wordset(
    "Port Lake Mount Mt Fort Saint San Santa New North South East West Upper Lower Greater Cape Isle"
)
PLACE_SUFFIXES = wordset("""City Town Village Valley Island Islands River Bay Glacier Mountains Mountain Hills County Province Region
    District Oblast Street Square Avenue Bridge Harbour Harbor Peninsula Coast Sea Ocean Lake Gulf Strait Desert
    Forest Park Heights Springs Falls""")
NOT_ACRONYMS = frozenset(("I", "A", "OK", "TV", "AM", "PM"))
PLACE_ACRONYMS = frozenset(("US", "U.S.", "UK", "U.K.", "USA", "U.S.A.", "UAE"))

_SPEECH = "|".join(sorted(SPEECH_VERBS))
_SPEECH_AFTER = re.compile(
    rf"\s+(?:(?:has|had|also|then|later|again|previously|reportedly|repeatedly|once)\s+)?(?:{_SPEECH})\b"
)
_SAID_BEFORE = re.compile(r"\b(?:said|says|added|wrote|asked|urged|warned|insisted)\s+$")
_TOLD_BEFORE = re.compile(r"\btold\s+(?:the\s+)?$")
_ACCORDING_BEFORE = re.compile(r"\b[Aa]ccording\s+to\s+(?:the\s+)?$")
_PLACE_BEFORE = re.compile(
    r"\b(?:in|at|from|near|across|outside|inside|around|throughout|towards?|via|into|visited|visiting)\s+(?:the\s+)?$"
)
_OF_BEFORE = re.compile(r"\b(?:of|in|at|from|for|by)\s+(?:the\s+)?$")
_APPOSITIVE = re.compile(r",\s+(?P<role>(?:(?:a|an|the)\s+)?[^,.;:()“”\"]{2,80}?)(?=\s*[,.;:)]|\s*$)")

PERSON, ORGANISATION, PLACE, ACRONYM = "person", "organisation", "place", "acronym"
KIND_ORDER = {PERSON: 0, ORGANISATION: 1, PLACE: 2}
PERSON_CUES = frozenset(("speech", "said_by"))
SOURCE_CUES = frozenset(("told", "according"))


@dataclass(frozen=True)
class _Token:
    text: str
    start: int
    end: int
    possessive: bool
    initial: bool
    raw_end: int  # the end of the word as written, possessive ending included

    @property
    def cap(self) -> bool:
        return self.text[:1].isupper()


@dataclass
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

    @property
    def slug(self) -> str:
        return make_slug(self.name)

    def role_in(self, story: int) -> str:
        if story in self.roles:
            return self.roles[story]
        return next(iter(self.roles.values()), self.default_role)

    def mention(self, story: int) -> Mention:
        aliases = tuple(s for s in dict.fromkeys(self.surfaces) if fold(s) != fold(self.name))
        return Mention(self.name, self.kind, self.slug, self.role_in(story), aliases)


def tokens(text: str) -> list[_Token]:
    """Words with offsets; ``initial`` marks a sentence's (or a quotation's) first word."""
    starts = {start for start, _ in sentence_spans(text)}
    found = []
    for match in _TOKEN.finditer(text):
        word, start = match.group(0), match.start()
        possessive = word.endswith(("’s", "'s"))
        word = word[:-2] if possessive else word.rstrip("’'-")
        if not word:
            continue
        before = text[max(0, start - 2) : start]
        initial = start in starts or not text[:start].strip() or before.endswith(("“", '"', ": ", "‘", "("))
        found.append(_Token(word, start, start + len(word), possessive, initial, match.end()))
    return found


def _runs(text: str, words: Sequence[_Token]) -> list[list[_Token]]:
    """Maximal runs of capitalised words joined by single spaces (or an honorific's full stop)."""
    runs: list[list[_Token]] = []
    current: list[_Token] = []
    for i, token in enumerate(words):
        if current:
            previous = current[-1]
            gap = text[previous.end : token.start]
            joined = not previous.possessive and (
                gap == " "
                or (gap in (". ", ".") and previous.text in HONORIFICS)
                or (gap.isspace() and "\n" not in gap)
            )
            nxt = words[i + 1] if i + 1 < len(words) else None
            if joined and (token.cap or _inner_particle(text, token, nxt)):
                current.append(token)
                continue
            runs.append(current)
            current = []
        if token.cap:
            current = [token]
    if current:
        runs.append(current)
    return [_trim_particles(run) for run in runs if run]


def _inner_particle(text: str, token: _Token, nxt: _Token | None) -> bool:
    return token.text in PARTICLES and nxt is not None and nxt.cap and text[token.end : nxt.start] == " "


def _trim_particles(run: list[_Token]) -> list[_Token]:
    while run and not run[-1].cap:
        run = run[:-1]
    return run


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
    return any(t.text in ORG_WORDS for t in run)


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
    if any(t in PLACE_ACRONYMS for t in texts):
        return PLACE
    if _org_words(run):
        return ORGANISATION
    if len(texts) == 1 and _is_acronym(texts[0]):
        return ACRONYM
    if len(texts) > 1 and (texts[0] in PLACE_PREFIXES or texts[-1] in PLACE_SUFFIXES):
        return PLACE
    return ""


def _role_before(text: str, words: Sequence[_Token], first: int) -> tuple[str, int]:
    """A lower-case role phrase right before token ``first`` ("Russian presidential aide"), and where it starts."""
    i = first - 1
    start = words[first].start
    if i < 0:
        return "", start
    gap = text[words[i].end : words[first].start]
    if gap not in (" ", ", "):
        return "", start
    if words[i].text.lower() not in ROLE_HEADS or words[i].cap:
        return "", start
    begin = i
    j = i - 1
    while j >= 0 and i - j < 4 and text[words[j].end : words[j + 1].start] == " ":
        word = words[j]
        lower = word.text.lower()
        if word.cap:
            if (word.possessive or word.initial or not (j > 0 and words[j - 1].cap)) and lower not in FUNCTION_WORDS:
                begin = j
            break
        if lower in FUNCTION_WORDS or lower in SPEECH_VERBS or word.possessive:
            break
        begin = j
        j -= 1
    return text[words[begin].start : words[i].end], words[begin].start


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
    index = {id(t): i for i, t in enumerate(words)}
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
            pending_role = text[_role_start(text, words, index[id(run[0])]) : run[-1].end]
            pending_end = run[-1].end
            continue
        first = index[id(name[0])]
        start, end = name[0].start, name[-1].end
        candidate = _Candidate(text[start:end], story, name[0].initial and not title, structure=structure)
        if title:
            candidate.role = text[_role_start(text, words, index[id(title[0])]) : title[-1].end]
        elif pending_end >= 0 and text[pending_end:start] == ", ":
            candidate.role = pending_role
        if not candidate.role and not structure:
            candidate.role, role_start = _role_before(text, words, first)
        else:
            role_start = title[0].start if title else start
        if not candidate.role and not structure:
            candidate.role = _appositive(text, end if not name[-1].possessive else len(text))
        _add_cues(candidate, text, role_start if candidate.role else start, end, name[-1].possessive)
        found.append(candidate)
        pending_end = -1
    return found


def _role_start(text: str, words: Sequence[_Token], first: int) -> int:
    """A possessive or adjective right before a title run belongs to the role ("Ukraine’s Defense Minister")."""
    if first > 0:
        before = words[first - 1]
        if text[before.raw_end : words[first].start] == " " and before.cap and before.possessive:
            return before.start
    return words[first].start


def _add_cues(candidate: _Candidate, text: str, start: int, end: int, possessive: bool) -> None:
    before = text[max(0, start - 40) : start]
    if candidate.role:
        candidate.cues.add("role")
    if not possessive and _SPEECH_AFTER.match(text, end) and not _OF_BEFORE.search(before):
        candidate.cues.add("speech")
    if _SAID_BEFORE.search(before):
        candidate.cues.add("said_by")
    if _TOLD_BEFORE.search(before):
        candidate.cues.add("told")
    if _ACCORDING_BEFORE.search(before):
        candidate.cues.add("according")
    if _PLACE_BEFORE.search(before) or text.startswith("-based", end):
        candidate.cues.add("place_prep")
    if candidate.structure == ACRONYM and (before.endswith(("the ", "The ")) or possessive):
        candidate.cues.add("named")


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

    @classmethod
    def with_gazetteer(cls, gazetteer: Gazetteer) -> EntityFinder:
        counts: dict[str, list[Known]] = {}
        for entry in gazetteer.entries:
            if entry.kind == PERSON and " " in entry.name:
                counts.setdefault(fold(entry.name.split()[-1]), []).append(entry)
        surnames = {k: v[0] for k, v in counts.items() if len(v) == 1 and gazetteer.get(k) is None}
        return cls(gazetteer, surnames)

    def known(self, surface: str) -> Known | None:
        return self.gazetteer.get(surface) or self.surnames.get(fold(surface))

    def find(self, texts: Sequence[tuple[int, str, bool]]) -> ArticleEntities:
        """The entities of one article from its ``(story index, text, is_heading)`` pieces, in order."""
        found: list[_Candidate] = []
        headings: list[tuple[int, str]] = []
        for story, text, heading in texts:
            if heading and is_title_case(text):
                headings.append((story, text))
            else:
                found.extend(candidates(text, story))
        entities = self._merge(found)
        surfaces = [s for e in entities for s in (e.name, *e.surfaces)]
        surfaces += [s for k in self.gazetteer.entries for s in (k.name, *k.aliases)]
        for story, text in headings:
            for candidate in known_in(text, story, surfaces):
                entity = self._lookup(entities, candidate.surface)
                if entity is None and (known := self.known(candidate.surface)) is not None:
                    entity = Entity(known.name, known.kind, default_role=known.role)
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
            entry = self.known(candidate.surface)
            key = fold(entry.name) if entry else fold(candidate.surface)
            if entry:
                known[key] = entry
            groups.setdefault(key, []).append(candidate)
            names.setdefault(key, entry.name if entry else candidate.surface)
        singles = [k for k in groups if " " not in k and k not in known]
        for key in singles:
            fulls = [
                k
                for k in groups
                if " " in k
                and (k.endswith(" " + key) or k.startswith(key + " "))
                and _classify(groups[k], known.get(k), names[k]) == PERSON
            ]
            if len(fulls) == 1:
                groups[fulls[0]].extend(groups.pop(key))
        entities: list[Entity] = []
        for key, members in groups.items():
            entry = known.get(key)
            kind = _classify(members, entry, names[key])
            if kind is None or not _credible(members, entry, names[key]):
                continue
            entity = Entity(names[key], kind, default_role=entry.role if entry else "")
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

    def in_phrase(self, phrase: str) -> Entity | None:
        """The entity named in ``phrase`` (the longest surface wins; people before others)."""
        folded = f" {fold(phrase)} "
        best: tuple[int, int, Entity] | None = None
        for entity in self.entities:
            for surface in {entity.name, *entity.surfaces}:
                key = fold(surface)
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
