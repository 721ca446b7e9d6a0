"""Codebooks: versioned YAML files of categories, subtypes, patterns, actors, targets and cues.

A codebook is data, not code. :func:`load_codebook` reads and validates one (the shipped
``political-action`` by name, or any file path) and compiles its patterns once; errors name the
file and the key that is wrong. Every compiled expression runs on :func:`matching_text` (the
normalised text, lower-cased unless Persian): case never matters in a pattern.
"""

from __future__ import annotations

import bisect
import functools
import hashlib
import re
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from eventledger.errors import CodebookError
from eventledger.shipped import shipped_names, shipped_or_path, shipped_path

try:  # CPython's regular-expression parser, used only to derive pre-filter literals
    import re._constants as _sre  # type: ignore[import-not-found]
    import re._parser as _sre_parse  # type: ignore[import-not-found]
except ImportError:  # pragma: no cover - Python < 3.11
    import sre_constants as _sre
    import sre_parse as _sre_parse
from eventledger.normalize.text import fold_letter_variants, normalize_text

DEFAULT_CODEBOOK = "political-action"
# kinds of cue a codebook may define (see the shipped codebook for what each does)
CUE_KINDS = (
    "intent",
    "intent_after",
    "generic",
    "summary",
    "negation",
    "negation_after",
    "negation_before",
    "claim",
    "reporting",
    "unnamed_places",
    "nationwide",
    "future",
    "history",
    "history_after",
    "reference_before",
    "reference_after",
    "detail_before",
    "detail_after",
    "not_place",
    "dateline",
    "figurative",
    "retrospective",
    "home_source",
    "demand",
    "went_off",
)
# cues matched at a fixed position (start or end of a window): no word boundaries added
ANCHORED_CUES = frozenset(
    {
        "intent_after",
        "negation_after",
        "history_after",
        "reference_before",
        "reference_after",
        "detail_before",
        "detail_after",
        "reporting",
        "unnamed_places",
        "dateline",
    }
)
# what a mention's ``quantity`` counts: the items of the act (posters, leaflets: the default), or the
# people it killed (ACLED's fatalities, read by :func:`eventledger.extract.fatalities.fatalities`)
QUANTITY_KINDS = ("items", "fatalities")
# ACLED interaction codes of actors and targets (``inter:``)
INTER_CODES = {
    1: "state forces",
    2: "rebel groups",
    3: "political militias",
    4: "identity militias",
    5: "rioters",
    6: "protesters",
    7: "civilians",
    8: "external/other forces",
}
_ID_RE = re.compile(r"^[a-z][a-z0-9_-]*$")

# Macros usable in patterns:
#   {W}  one word (or one quotation in «» / "") and the space after it; {W}{0,4} is a short gap;
#   {PL} an optional Persian plural/indefinite suffix, glued, after a space or after a ZWNJ.
_WORD = {
    "en": r"(?:(?:\"[^\"]{0,80}\"|“[^”]{0,80}”|[^\s.!?;]+)\s+)",
    "fa": r"(?:(?:«[^»]{0,80}»|\"[^\"]{0,80}\"|[^\s.!?؟;؛]+)[\s\u200c]+)",
}
_PLURAL_FA = r"(?:[\s\u200c]?(?:هایی|های|ها|ای|ی))?"


_LEFT_GLUE = re.compile(r"[\w\u200c]")


def _glued(text: str, start: int) -> bool:
    """Whether a match at ``start`` begins inside a word (a Persian pattern's left boundary)."""
    return start > 0 and _LEFT_GLUE.match(text, start - 1) is not None


# The right edge of a Persian trigger: the word ends there, or goes on only with an inflection or a
# suffix that keeps its meaning (plural, ezafe, indefinite, verb person, agent nouns), glued or after
# a ZWNJ. «هک» then matches «هک»، «هک‌ها» but not «هکتار»; «بمب» matches «بمب‌گذاری» but not «بمباران»
# (an air raid) nor «بمبئی» (a city).
_SUFFIX_FA = (
    "هایی", "های", "ها", "ای", "یی", "ی", "ان", "ات", "اتی", "ند", "ه", "ش", "شان", "یون", "گذار",
    "گذاری", "گذاران", "گر", "گری", "گران", "کنندگان", "کننده",
)  # fmt: skip
RIGHT_EDGE_FA = (
    r"(?=(?:\u200c?(?:" + "|".join(sorted(_SUFFIX_FA, key=len, reverse=True)) + r"))?(?![\w\u200c]))"
)


def _lower_literals(pattern: str) -> str:
    """Lower-case the literal letters of a regular expression, leaving escapes (\\S, \\W…) alone."""
    out: list[str] = []
    i = 0
    while i < len(pattern):
        if pattern[i] == "\\":
            out.append(pattern[i : i + 2])
            i += 2
        else:
            out.append(pattern[i].lower())
            i += 1
    return "".join(out)


def matching_text(text: str, lang: str) -> str:
    """The form of a normalised text that codebook expressions run on: lower-cased except Persian.

    Lower-casing keeps every offset (a character whose lower case is longer keeps its first
    character), so spans found in it are spans of the text.
    """
    if lang == "fa":
        return fold_letter_variants(text)  # in the patterns too (_expand)
    low = text.lower()
    if len(low) != len(text):
        low = "".join(ch.lower()[:1] or ch for ch in text)
    return low


@dataclass(frozen=True)
class Scanner:
    """Fast search for the triggers of one subtype in one language.

    Python's ``re`` is several times faster without ``IGNORECASE`` and without a look-behind at the
    start of a pattern (it can then skip ahead on the first character). Every codebook expression
    therefore runs on :func:`matching_text` without ``IGNORECASE``; Persian trigger patterns run
    without their left boundary, which is checked on each match instead.
    """

    fast: re.Pattern[str]
    check_left: bool
    # literal strings one of which every match contains; None when that cannot be worked out
    anchors: tuple[str, ...] | None = None
    # per expression, every set of literals one of which each of its matches contains ("set fire
    # to" needs "set" and "fire" and "to"): a text that satisfies no expression's sets has no
    # match, and the search is not run. None when some expression has no such set.
    required: tuple[tuple[tuple[str, ...], ...], ...] | None = None

    def possible(self, text: str) -> bool:
        """Whether ``text`` may hold a trigger (False: it holds none)."""
        # plain loops: this runs for every subtype on every field, and generators cost more than the tests
        if self.anchors is not None:
            for a in self.anchors:
                if a in text:
                    break
            else:
                return False
        if self.required is None:
            return True
        for sets in self.required:
            for one_of in sets:
                for a in one_of:
                    if a in text:
                        break
                else:
                    break  # this set has no literal in the text: the expression cannot match
            else:
                return True
        return False

    def spans(self, text: str, ends: Sequence[int] = ()) -> Iterator[tuple[int, int]]:
        """Spans of triggers in ``text`` (a :func:`matching_text`). ``ends``: where its sentences end (sorted);
        a match that runs past the end of the sentence it starts in is searched again inside that sentence
        (an act's words are in one sentence: "… condemning the terrorist attack in Chabahar.⏎In the terrorist
        attack on the police station … two policemen were martyred" holds one match, in the second), and the
        search goes on from the sentence's end."""
        if not self.possible(text):
            return
        pos = 0
        rx = self.fast
        while (m := rx.search(text, pos)) is not None:
            start, end = m.span()
            if self.check_left and _glued(text, start):
                pos = start + 1
                continue
            i = bisect.bisect_right(ends, start)
            if i < len(ends) and ends[i] < end:
                inner = rx.search(text, start, ends[i])
                while inner is not None and self.check_left and _glued(text, inner.start()):
                    inner = rx.search(text, inner.start() + 1, ends[i])
                if inner is None:
                    pos = ends[i]
                    continue
                start, end = inner.span()
            yield start, end
            pos = end if end > start else start + 1


def _literal_sets(items: Any) -> list[set[str]]:
    """Every set of literals one of which any match of a parsed sequence must contain: each literal
    run, each set of a group or of a repeat that must match, the union of a branch's anchors."""
    out: list[set[str]] = []
    run: list[str] = []
    for op, av in items:
        if op is _sre.LITERAL:
            run.append(chr(av))
            continue
        if run:
            out.append({"".join(run)})
            run.clear()
        if op is _sre.SUBPATTERN:
            out.extend(_literal_sets(av[-1]))
        elif op is _sre.BRANCH:
            branches = [_sequence_anchors(b) for b in av[1]]
            if all(b is not None for b in branches):
                out.append(set().union(*branches))  # type: ignore[arg-type]
        elif op in (_sre.MAX_REPEAT, _sre.MIN_REPEAT) and av[0] >= 1:
            out.extend(_literal_sets(av[2]))
    if run:
        out.append({"".join(run)})
    return out


def _best(literal_sets: list[set[str]]) -> set[str] | None:
    """The literal set that filters best: the longest shortest literal, then the fewest literals."""
    return max(literal_sets, key=lambda c: (min(len(x) for x in c), -len(c)), default=None)


def _sequence_anchors(items: Any) -> set[str] | None:
    """The best of a parsed sequence's literal sets (:func:`_literal_sets`)."""
    return _best(_literal_sets(items))


@functools.lru_cache(maxsize=8192)  # bounded: a long-lived web process may load many codebooks
def _parsed(pattern: str) -> tuple[frozenset[str] | None, tuple[tuple[str, ...], ...]]:
    """Parse one expression (raises :class:`re.error` when it is invalid) once, for its check and
    both pre-filters: the literals one of which its every match contains (None: no useful one)
    and its required literal sets (see :class:`Scanner`), rarest-looking first."""
    literal_sets = _literal_sets(_sre_parse.parse(pattern))
    a = _best(literal_sets)
    anchors = None if not a or min(len(x) for x in a) < 2 else frozenset(a)
    sets = {tuple(sorted(s)) for s in literal_sets if min(len(x) for x in s) >= 2}
    required = tuple(sorted(sets, key=lambda s: (len(s), -min(len(x) for x in s), s)))
    return anchors, required


def _parsed_anchors(pattern: str) -> frozenset[str] | None:
    """The literals one of which every match of ``pattern`` contains (see :func:`_parsed`)."""
    return _parsed(pattern)[0]


def pattern_required(patterns: list[str]) -> tuple[tuple[tuple[str, ...], ...], ...] | None:
    """:attr:`Scanner.required` for ``patterns`` (None: some expression has no required set)."""
    out = []
    for p in patterns:
        try:
            sets = _parsed(p)[1]
        except Exception:  # the parser is CPython's own; without it, no pre-filter
            return None
        if not sets:
            return None
        out.append(sets)
    return tuple(out)


def pattern_anchors(patterns: list[str]) -> tuple[str, ...] | None:
    """Literals one of which every match of any of ``patterns`` contains (a cheap pre-filter)."""
    found: set[str] = set()
    for p in patterns:
        try:
            a = _parsed_anchors(p)
        except Exception:  # the parser is CPython's own; without it, no pre-filter
            return None
        if a is None:
            return None
        found |= a
    return tuple(sorted(found))


def _scanner(patterns: list[str], lang: str) -> Scanner:
    if lang == "fa":
        parts = [_expand(p, lang, bounded=False) for p in patterns]
        return Scanner(
            re.compile("|".join(f"(?:{x}){RIGHT_EDGE_FA}" for x in parts)),
            check_left=True,
            anchors=pattern_anchors(parts),
            required=pattern_required(parts),
        )
    parts = [_lower_literals(_expand(p, lang)) for p in patterns]
    return Scanner(
        re.compile("|".join(parts)),
        check_left=False,
        anchors=pattern_anchors(parts),
        required=pattern_required(parts),
    )


@dataclass(frozen=True)
class Subtype:
    id: str
    category: str
    label: dict[str, str]
    patterns: dict[str, tuple[Rx, ...]]
    scan: dict[str, Scanner]
    exclude: dict[str, Rx | None]
    suppressed_by: frozenset[str] = frozenset()
    # a report whose title or first sentence matches is out of this subtype's scope (ordinary crime
    # for ACLED's arrests: «دستگیری ۱۶۷ عضو شرکت هرمی» makes every arrest of the report a crime story)
    exclude_report: dict[str, Rx | None] = field(default_factory=dict)
    # another subtype this one becomes where its sentence or the next one says so (ACLED: an attack
    # whose victim was a gang member or a soldier is an armed clash): {subtype: {lang: Rx}}
    recode_as: dict[str, dict[str, Rx | None]] = field(default_factory=dict)
    # where its sentence says both acts («حملات موشکی و پهپادی»: missiles and drones), a subtype of
    # ``suppressed_by`` does not suppress this one: {subtype: {lang: Rx}}
    both_when: dict[str, dict[str, Rx | None]] = field(default_factory=dict)
    absorbed_by: frozenset[str] = frozenset()
    requires_actor: bool = False
    # an act whose words are everyday ones (a banner put up, a loudspeaker) is coded only where its sentence carries a
    # political message (one of these patterns: a slogan quoted, whom it is against or for, a leader's or a prisoner's
    # image) or a known actor is named in the report or owns the outlet ("no_message" otherwise)
    requires_message: dict[str, Rx | None] = field(default_factory=dict)
    # an act that is itself a sound (a broadcast): never told "as a detail" by a sound heard
    # («صدای سرود … با بلندگو پخش شد» is the act, not the sound of another)
    sound_is_the_act: bool = False
    # found in one of the two sentences after a trigger whose own sentence does not say it went off
    # (cue ``went_off``): the act was foiled («… بمب‌گذاری کردند. این بمب‌ها قبل از انفجار خنثی شد»)
    foiled_next: dict[str, Rx | None] = field(default_factory=dict)
    abroad_as: str | None = None
    default_place: str | None = None
    # ACLED's names of this subtype (disorder_type, event_type, sub_event_type) when the codebook
    # gives them: the ACLED CSV export writes them as they are
    acled: dict[str, str] | None = None


@dataclass(frozen=True)
class Category:
    id: str
    label: dict[str, str]
    subtypes: tuple[str, ...]


@dataclass(frozen=True)
class Actor:
    id: str
    name: dict[str, str]
    pattern: dict[str, Rx | None]
    # ACLED interaction code (1-8, see INTER_CODES); None when the codebook gives none
    inter: int | None = None


@dataclass(frozen=True)
class Target:
    id: str
    pattern: dict[str, Rx | None]
    inter: int | None = None  # ACLED interaction code, as on Actor


@dataclass(frozen=True)
class Codebook:
    id: str
    version: str
    languages: tuple[str, ...]
    categories: tuple[Category, ...]
    subtypes: dict[str, Subtype]
    actors: tuple[Actor, ...]
    targets: tuple[Target, ...]
    cues: dict[str, dict[str, Rx | None]]
    opinion_title: dict[str, re.Pattern[str] | None]
    home_country: str | None
    default_place: str | None
    review_below: float
    digest: str
    source: str
    title: dict[str, str] = field(default_factory=dict)
    # the home country's own languages: a report in another one that names nothing of the home
    # country is about abroad (see the coder's ``abroad_as``)
    home_languages: tuple[str, ...] = ()
    # what a mention's quantity counts (one of QUANTITY_KINDS): "items" or "fatalities"
    quantity_kind: str = "items"
    # an act told only as a detail (a sound heard: «صدای انفجار … به گوش رسید») with no act told for
    # itself at that place: "keep" (a mention, flagged ``detail``) or "drop" (a dropped candidate)
    lone_details: str = "keep"
    # the act-or-not gate the codebook ships with: a folder of data/models (eventledger.learn.gate),
    # used by ingest and recode unless told otherwise; None: the rules alone
    gate: str | None = None
    # the categories whose candidates the gate judges, by language ("*": every language the gate reads;
    # None: all categories in every language); the others are left to the rules
    gate_categories: Mapping[str, tuple[str, ...]] | None = None
    # the languages whose reports the gate's document head (``topic-<lang>``) reads first: in a report
    # it scores off the codebook's topic (sport, business, technology, entertainment), a candidate
    # whose sentence names none of the codebook's actors is dropped ("off_topic")
    gate_off_topic: tuple[str, ...] = ()

    def gate_judges(self, category: str, lang: str) -> bool:
        """Whether the codebook's gate judges candidates of ``category`` in ``lang`` (``gate.categories``)."""
        if self.gate_categories is None:
            return True
        judged = self.gate_categories.get(lang, self.gate_categories.get("*"))
        return judged is not None and category in judged

    @property
    def ref(self) -> str:
        """``id@version``, recorded on every mention."""
        return f"{self.id}@{self.version}"

    def category_of(self, subtype: str) -> str:
        return self.subtypes[subtype].category

    def category_ids(self) -> list[str]:
        return [c.id for c in self.categories]

    def label(self, key: str, lang: str = "en") -> str:
        """Label of a category or subtype id in ``lang`` (falls back to English, then the id)."""
        for c in self.categories:
            if c.id == key:
                return c.label.get(lang) or c.label.get("en") or key
        st = self.subtypes.get(key)
        if st:
            return st.label.get(lang) or st.label.get("en") or key
        return key


# --- compilation --------------------------------------------------------------------------------
def _expand(pattern: str, lang: str, bounded: bool = True) -> str:
    pattern = normalize_text(pattern)
    if lang == "fa":
        pattern = fold_letter_variants(pattern)
        # A space or ZWNJ in a Persian pattern matches "space, ZWNJ or nothing"; \s+ also matches ZWNJ.
        pattern = pattern.replace(r"\s+", r"[\s\u200c]+")
        pattern = re.sub(r"(?<!\\)[ \u200c]", r"[\\s\\u200c]*", pattern)
        pattern = pattern.replace("{W}", _WORD["fa"]).replace("{PL}", _PLURAL_FA)
        # whole words on both sides: «دیگ» (a boiler) is not inside «دیگر» (other)
        return rf"(?<![\w\u200c])(?:{pattern}){RIGHT_EDGE_FA}" if bounded else pattern
    pattern = pattern.replace("{W}", _WORD["en"])
    return rf"\b(?:{pattern})\b" if bounded else pattern


@dataclass(frozen=True)
class Rx:
    """A compiled codebook expression with a literal pre-filter (see :func:`pattern_anchors`)."""

    pattern: re.Pattern[str]
    anchors: tuple[str, ...] | None

    def _possible(self, text: str) -> bool:
        if self.anchors is None:
            return True
        for a in self.anchors:  # noqa: SIM110 - a plain loop: no generator per call (see Scanner.possible)
            if a in text:
                return True
        return False

    def search(self, text: str) -> re.Match[str] | None:
        return self.pattern.search(text) if self._possible(text) else None

    def finditer(self, text: str) -> Iterator[re.Match[str]]:
        if self._possible(text):
            yield from self.pattern.finditer(text)


def _compile(patterns: list[str], lang: str, where: str, bounded: bool = True) -> Rx | None:
    if not patterns:
        return None
    parts = []
    for p in patterns:
        if not isinstance(p, str) or not p.strip():
            raise CodebookError(f"{where}: patterns must be non-empty strings, got {p!r}")
        expanded = _expand(p, lang, bounded)
        try:  # parsed (not compiled) one by one: an error names its pattern; compiled once joined
            _parsed_anchors(expanded)
        except re.error as exc:
            raise CodebookError(f"{where}: invalid pattern {p!r}: {exc}") from exc
        parts.append(expanded)
    if lang != "fa":
        parts = [_lower_literals(x) for x in parts]
        joined = "|".join(parts)
    elif not bounded:
        joined = "|".join(parts)
    else:
        # the word edges once around the alternation, not once per alternative: the left edge is
        # then tested once per position (Persian cue lists are long; this makes them several times
        # faster)
        inner = "|".join(f"(?:{_expand(p, lang, bounded=False)})" for p in patterns)
        joined = rf"(?<![\w\u200c])(?:{inner}){RIGHT_EDGE_FA}"
    try:
        compiled = re.compile(joined)
    except re.error as exc:  # each one parsed, together they do not compile (a group reference)
        raise CodebookError(f"{where}: invalid patterns {patterns!r}: {exc}") from exc
    return Rx(compiled, pattern_anchors(parts))


def _compile_each(patterns: list[str], lang: str, where: str) -> tuple[Rx, ...]:
    out = []
    for i, p in enumerate(patterns):
        compiled = _compile([p], lang, f"{where}[{i}]")
        if compiled is not None:
            out.append(compiled)
    return tuple(out)


def _lang_map(node: Any, where: str, languages: tuple[str, ...]) -> dict[str, list[str]]:
    if node is None:
        return {}
    if not isinstance(node, dict):
        raise CodebookError(f"{where}: expected a mapping of language → list of patterns")
    out: dict[str, list[str]] = {}
    for lang, items in node.items():
        if lang not in languages:
            raise CodebookError(
                f"{where}: language {lang!r} is not in the codebook's languages {list(languages)}"
            )
        if not isinstance(items, list):
            raise CodebookError(f"{where}.{lang}: expected a list of patterns")
        out[lang] = items
    return out


def _require(node: dict[str, Any], key: str, where: str) -> Any:
    if key not in node:
        raise CodebookError(f"{where}: missing key {key!r}")
    return node[key]


def _check_id(value: Any, where: str) -> str:
    if not isinstance(value, str) or not _ID_RE.match(value):
        raise CodebookError(f"{where}: id {value!r} must be lower-case letters, digits, '-' or '_'")
    return value


def _subtype_patterns(
    node: dict[str, Any], key: str, where: str, languages: tuple[str, ...]
) -> dict[str, dict[str, Rx | None]]:
    """A mapping of other subtypes' ids to patterns per language (``recode_as``, ``both_when``)."""
    sub = node.get(key) or {}
    if not isinstance(sub, dict):
        raise CodebookError(f"{where}.{key}: a mapping of subtype ids to patterns per language is needed")
    return {
        _check_id(target, f"{where}.{key}"): {
            lang: _compile(p, lang, f"{where}.{key}.{target}.{lang}")
            for lang, p in _lang_map(pats, f"{where}.{key}.{target}", languages).items()
        }
        for target, pats in sub.items()
    }


def _patterns_by_lang(
    node: dict[str, Any], key: str, where: str, languages: tuple[str, ...]
) -> dict[str, Rx | None]:
    """A subtype's optional ``key: {lang: [patterns]}``, compiled per language (``exclude``, ``foiled_next``, …)."""
    return {
        lang: _compile(p, lang, f"{where}.{key}.{lang}")
        for lang, p in _lang_map(node.get(key), f"{where}.{key}", languages).items()
    }


def _parse_subtype(node: dict[str, Any], cat_id: str, where: str, languages: tuple[str, ...]) -> Subtype:
    sid = _check_id(_require(node, "id", where), f"{where}.id")
    where = f"{where}({sid})"
    pats = _lang_map(_require(node, "patterns", where), f"{where}.patterns", languages)
    if not any(pats.values()):
        raise CodebookError(f"{where}.patterns: at least one pattern is needed")
    recode_as = _subtype_patterns(node, "recode_as", where, languages)
    both_when = _subtype_patterns(node, "both_when", where, languages)
    unknown = set(both_when) - set(node.get("suppressed_by") or ())
    if unknown:
        raise CodebookError(f"{where}.both_when: {sorted(unknown)} not in suppressed_by")
    return Subtype(
        id=sid,
        category=cat_id,
        label=dict(node.get("label") or {"en": sid}),
        patterns={lang: _compile_each(p, lang, f"{where}.patterns.{lang}") for lang, p in pats.items()},
        scan={lang: _scanner(p, lang) for lang, p in pats.items() if p},
        exclude=_patterns_by_lang(node, "exclude", where, languages),
        exclude_report=_patterns_by_lang(node, "exclude_report", where, languages),
        recode_as=recode_as,
        both_when=both_when,
        foiled_next=_patterns_by_lang(node, "foiled_next", where, languages),
        suppressed_by=frozenset(node.get("suppressed_by") or ()),
        absorbed_by=frozenset(node.get("absorbed_by") or ()),
        requires_actor=bool(node.get("requires_actor", False)),
        requires_message=_patterns_by_lang(node, "requires_message", where, languages),
        sound_is_the_act=bool(node.get("sound_is_the_act", False)),
        abroad_as=node.get("abroad_as"),
        default_place=node.get("default_place"),
        acled=_acled_names(node.get("acled"), where),
    )


ACLED_NAME_KEYS = ("disorder_type", "event_type", "sub_event_type")


def _acled_names(node: Any, where: str) -> dict[str, str] | None:
    if node is None:
        return None
    if (
        not isinstance(node, dict)
        or set(node) - set(ACLED_NAME_KEYS)
        or not all(isinstance(v, str) for v in node.values())
    ):
        raise CodebookError(f"{where}.acled: a mapping of {', '.join(ACLED_NAME_KEYS)} to ACLED's names")
    return {str(k): str(v) for k, v in node.items()}


def _inter(node: dict[str, Any], where: str) -> int | None:
    """An actor's or target's optional ACLED interaction code (an integer 1-8)."""
    value = node.get("inter")
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int) or value not in INTER_CODES:
        codes = "; ".join(f"{k} {v}" for k, v in INTER_CODES.items())
        raise CodebookError(f"{where}.inter: an ACLED interaction code 1-8 ({codes}), not {value!r}")
    return value


def _quantity_kind(data: dict[str, Any], source: str) -> str:
    value = data.get("quantity", "items")
    if value not in QUANTITY_KINDS:
        raise CodebookError(f"{source}: quantity: one of {', '.join(QUANTITY_KINDS)}, not {value!r}")
    return str(value)


_MACRO_NAME = re.compile(r"^[A-Z][A-Z0-9_]*$")
_BUILT_IN_MACROS = frozenset({"W", "PL"})


def _with_macros(data: dict[str, Any], source: str) -> dict[str, Any]:
    """The codebook with its own ``macros`` ({NAME: expression}) written out in every string: a list of
    words several patterns share (the doers of a strike) is written once. Names are upper case; ``{W}``
    and ``{PL}`` stay the built-in ones (see :func:`_expand`)."""
    macros = data.get("macros")
    if macros is None:
        return data
    if not isinstance(macros, dict):
        raise CodebookError(f"{source}: macros: expected a mapping of NAME → expression")
    for name, value in macros.items():
        if not isinstance(name, str) or not _MACRO_NAME.match(name) or name in _BUILT_IN_MACROS:
            raise CodebookError(f"{source}: macros: {name!r} must be an upper-case name other than W and PL")
        if not isinstance(value, str) or not value.strip():
            raise CodebookError(f"{source}: macros.{name}: expected a non-empty expression")
    rx = re.compile(r"\{(" + "|".join(map(re.escape, macros)) + r")\}")

    def written_out(node: Any) -> Any:
        if isinstance(node, str):
            return rx.sub(lambda m: macros[m.group(1)], node)
        if isinstance(node, list):
            return [written_out(x) for x in node]
        if isinstance(node, dict):
            return {k: written_out(v) for k, v in node.items()}
        return node

    return {k: (v if k == "macros" else written_out(v)) for k, v in data.items()}


def parse_codebook(data: Any, source: str, digest: str) -> Codebook:
    """Validate a parsed YAML document and compile it."""
    if not isinstance(data, dict):
        raise CodebookError(f"{source}: a codebook is a mapping at top level")
    data = _with_macros(data, source)
    cid = _check_id(_require(data, "id", source), f"{source}: id")
    version = str(_require(data, "version", source))
    languages = tuple(data.get("languages") or ("en", "fa"))
    categories: list[Category] = []
    subtypes: dict[str, Subtype] = {}
    for i, cat in enumerate(_require(data, "categories", source)):
        where = f"{source}: categories[{i}]"
        cat_id = _check_id(_require(cat, "id", where), f"{where}.id")
        ids = []
        for j, st_node in enumerate(_require(cat, "subtypes", where)):
            st = _parse_subtype(st_node, cat_id, f"{where}.subtypes[{j}]", languages)
            if st.id in subtypes:
                raise CodebookError(f"{where}: subtype id {st.id!r} is used twice")
            subtypes[st.id] = st
            ids.append(st.id)
        categories.append(Category(cat_id, dict(cat.get("label") or {"en": cat_id}), tuple(ids)))
    for st in subtypes.values():
        for ref in (
            *st.suppressed_by,
            *st.absorbed_by,
            *([st.abroad_as] if st.abroad_as else []),
            *st.recode_as,
        ):
            if ref not in subtypes:
                raise CodebookError(f"{source}: subtype {st.id!r} refers to unknown subtype {ref!r}")
    actors = []
    for i, a in enumerate(data.get("actors") or []):
        where = f"{source}: actors[{i}]"
        aid = _check_id(_require(a, "id", where), f"{where}.id")
        aliases = _lang_map(a.get("aliases"), f"{where}.aliases", languages)
        actors.append(
            Actor(
                aid,
                dict(a.get("name") or {"en": aid}),
                {k: _compile(v, k, where) for k, v in aliases.items()},
                _inter(a, where),
            )
        )
    targets = []
    for i, t in enumerate(data.get("targets") or []):
        where = f"{source}: targets[{i}]"
        tid = _check_id(_require(t, "id", where), f"{where}.id")
        pats = _lang_map(t.get("patterns"), f"{where}.patterns", languages)
        targets.append(Target(tid, {k: _compile(v, k, where) for k, v in pats.items()}, _inter(t, where)))
    cues: dict[str, dict[str, Rx | None]] = {}
    unknown = set(data.get("cues") or {}) - set(CUE_KINDS)
    if unknown:
        raise CodebookError(f"{source}: unknown cue kind(s) {sorted(unknown)}; known: {', '.join(CUE_KINDS)}")
    for kind in CUE_KINDS:
        pats = _lang_map((data.get("cues") or {}).get(kind), f"{source}: cues.{kind}", languages)
        bounded = kind not in ANCHORED_CUES
        cues[kind] = {k: _compile(v, k, f"{source}: cues.{kind}.{k}", bounded) for k, v in pats.items()}
    genres = data.get("genres") or {}
    op = _lang_map(genres.get("opinion_title"), f"{source}: genres.opinion_title", languages)
    opinion = {
        k: (
            re.compile(
                r"^\s*(?:" + "|".join(matching_text(normalize_text(x), k) for x in v) + r")\b\s*[:：|\-–—]"
            )
            if v
            else None
        )
        for k, v in op.items()
    }
    review_below = float(data.get("review_below", 0.6))
    home_languages = data.get("home_languages") or []
    if not isinstance(home_languages, list) or any(x not in languages for x in home_languages):
        raise CodebookError(
            f"{source}: home_languages: a list of the codebook's languages {list(languages)}, "
            f"not {home_languages!r}"
        )
    lone_details = data.get("lone_details", "keep")
    if lone_details not in ("keep", "drop"):
        raise CodebookError(f"{source}: lone_details: 'keep' or 'drop', not {lone_details!r}")
    gate, gate_categories, gate_off_topic = _gate(
        data.get("gate"), {c.id for c in categories}, languages, source
    )
    return Codebook(
        id=cid,
        version=version,
        languages=languages,
        categories=tuple(categories),
        subtypes=subtypes,
        actors=tuple(actors),
        targets=tuple(targets),
        cues=cues,
        opinion_title=opinion,
        home_country=data.get("home_country"),
        default_place=data.get("default_place"),
        review_below=review_below,
        digest=digest,
        source=source,
        title=dict(data.get("title") or {}),
        home_languages=tuple(home_languages),
        quantity_kind=_quantity_kind(data, source),
        lone_details=lone_details,
        gate=gate,
        gate_categories=gate_categories,
        gate_off_topic=gate_off_topic,
    )


def _gate(
    value: Any, categories: set[str], languages: Sequence[str], source: str
) -> tuple[str | None, dict[str, tuple[str, ...]] | None, tuple[str, ...]]:
    """``gate: {model: NAME, categories: [...], off_topic: [LANG, ...]}``: the shipped gate folder, the
    categories it judges (None: all of them), in every language (``"*"``) or, with ``categories: {en:
    [...], fa: [...]}``, in each language named (a language not named is left to the rules), and the
    languages whose reports its document head reads for their topic."""
    if value is None:
        return None, None, ()
    if not isinstance(value, dict) or set(value) - {"model", "categories", "off_topic"}:
        raise CodebookError(
            f"{source}: gate: a mapping with `model` and optionally `categories` and `off_topic`, not {value!r}"
        )
    model = value.get("model")
    if not isinstance(model, str) or not re.fullmatch(r"[a-z0-9][a-z0-9-]*", model):
        raise CodebookError(f"{source}: gate.model: the name of a gate folder in data/models, not {model!r}")
    off_topic = value.get("off_topic") or []
    if not isinstance(off_topic, list) or any(lang not in languages for lang in off_topic):
        raise CodebookError(
            f"{source}: gate.off_topic: a list of the codebook's languages {list(languages)}, not {off_topic!r}"
        )
    cats = value.get("categories")
    if cats is None:
        return model, None, tuple(off_topic)
    by_lang = cats if isinstance(cats, dict) else {"*": cats}
    for lang, listed in by_lang.items():
        if not isinstance(lang, str) or not re.fullmatch(r"\*|[a-z]{2,3}", lang):
            raise CodebookError(f"{source}: gate.categories: {lang!r} is not a language code")
        if not isinstance(listed, list) or not listed or any(c not in categories for c in listed):
            raise CodebookError(
                f"{source}: gate.categories: a list of the codebook's categories (or a mapping of languages"
                f" to such lists), not {cats!r}"
            )
    return model, {lang: tuple(listed) for lang, listed in by_lang.items()}, tuple(off_topic)


def codebook_id(ref: str) -> str:
    """The codebook id of a reference recorded on mentions, runs and releases:
    ``political-action`` of ``political-action@1.3.0`` (the default codebook for an empty one)."""
    return ref.partition("@")[0] or DEFAULT_CODEBOOK


def codebook_path(name_or_path: str | Path) -> Path:
    """Resolve a shipped codebook name or a file path."""
    p = shipped_or_path(name_or_path, "codebooks")
    if p.is_file():
        return p
    if p.parent == shipped_path("data", "codebooks") and p != Path(name_or_path):
        names = ", ".join(shipped_names("codebooks"))
        raise CodebookError(f"unknown codebook {str(name_or_path)!r}; shipped codebooks: {names}")
    raise CodebookError(f"codebook file not found: {p}")


# libyaml's safe loader where PyYAML was built with it: the same documents, read about 15 times faster (0.19 s
# → 0.01 s for political-action, 0.34 → 0.02 s for acled: each ingest process loads its codebook once)
_YAML_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


def load_codebook(name_or_path: str | Path = DEFAULT_CODEBOOK) -> Codebook:
    """Load, validate and compile a codebook by shipped name or path."""
    path = codebook_path(name_or_path)
    raw = path.read_bytes()
    try:
        data = yaml.load(raw.decode("utf-8"), Loader=_YAML_LOADER)  # a safe loader (above)
    except (yaml.YAMLError, UnicodeDecodeError) as exc:
        raise CodebookError(f"{path}: not valid YAML: {exc}") from exc
    return parse_codebook(data, str(path), hashlib.sha256(raw).hexdigest()[:12])
