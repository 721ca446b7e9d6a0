"""Fatalities: how many people one sentence reports killed (ACLED's ``fatalities`` column).

:func:`fatalities` reads one sentence as the coder sees it (normalised by
:func:`eventledger.normalize.text.normalize_for_matching`: Persian digits folded to ASCII, Arabic
ی/ک folded to Persian) and returns the number of people it reports killed, 0 when it reports none.

It follows ACLED's conventions for reported numbers:

* a range or a choice ("10 to 15", "10-15", "between 10 and 15", "two or three") counts its lower
  number, and a qualifier ("at least 12", "more than 20") counts the number given: the most
  conservative reading;
* a vague number counts as ACLED codes it: "tens" (Persian «ده‌ها», literally tens) 10, "dozens"
  and "a dozen" 12, "scores" 20, "hundreds" («صدها») 100, "thousands" («هزاران») 1000;
* deaths reported without a number ("several", "many", "a number of", «چندین», «شماری», or a
  plural verb with no count, "soldiers were killed", «کشته شدند») count as ACLED's usual figure
  for an unknown number, 3 (:data:`UNKNOWN_NUMBER`); a singular verb with no count ("was killed",
  «اعدام شد», «به قتل رسید») counts 1;
* a number of people "killed and wounded" together counts half of it (ACLED splits such a figure);
* the injured, wounded, arrested or missing are not fatalities; "no one was killed", "no
  casualties", «تلفات جانی نداشت» give 0. A bare count of "casualties" is not read as deaths.

Lists are added up: "two policemen and a civilian were killed" is 3 (an item with an article only,
"a civilian", counts 1 when its noun is a person; "the protesters" with no number counts 3).
Several acts of killing in one sentence are added up ("three soldiers were killed and two
civilians died" is 5); a death toll ("the death toll rose to 15") is taken as the total when it is
larger. A count inside an "including …" aside is part of the total before it, not added to it.

Dates, years, clock times, ages ("a 25-year-old"), money, distances, durations and numbered
things ("article 12", «پاسگاه ۱۲», «ماده ۲۸۶») are masked first and never read as counts.

The rules are surface patterns, not a parse: a count is read only next to a verb or noun of
killing (before a passive verb, after an active one; Persian, verb-final, may put a few words
between the count and the verb), so an unusual phrasing can be missed (0) or, rarely, misread.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass

__all__ = ["UNKNOWN_NUMBER", "VAGUE_NUMBERS", "fatalities"]

# ACLED's figure for deaths reported without a number ("several", "an unknown number")
UNKNOWN_NUMBER = 3
# vague numbers as ACLED codes them (English forms; the Persian ones map onto the same figures)
VAGUE_NUMBERS: dict[str, int] = {
    "tens": 10,
    "dozens": 12,
    "dozen": 12,
    "scores": 20,
    "score": 20,
    "hundreds": 100,
    "thousands": 1000,
    "couple": 2,
    "both": 2,
}
# words of killing read in one sentence at most (a longer run is no news sentence: hostile input
# must not make the reading slow)
MAX_ANCHORS = 40
# how far before a verb of killing its count is looked for (characters)
_BACK_WINDOW = 140
_FORWARD_WINDOW = 140


@dataclass(frozen=True)
class _Reading:
    """One act of killing read in a sentence: its span (anchor and count) and how many died."""

    start: int
    end: int
    value: int
    toll: bool = False


def fatalities(text: str, lang: str) -> int:
    """The number of people ``text`` (one normalised sentence) reports killed; 0 when none."""
    if not text:
        return 0
    return _total(_persian(text) if lang == "fa" else _english(text))


def _total(readings: Iterable[_Reading]) -> int:
    acts = 0
    toll = 0
    for r in readings:
        if r.toll:
            toll = max(toll, r.value)
        else:
            acts += r.value
    return max(acts, toll)


def _blank(m: re.Match[str]) -> str:
    return "_" * len(m.group(0))


def _person(m: re.Match[str]) -> str:
    """An age ("a 25-year-old", «۲۵ ساله») stands for a person: "person" padded to its length."""
    n = len(m.group(0))
    return "person".ljust(n, "_") if n >= 6 else "_" * n


def _mask(text: str, patterns: Iterable[re.Pattern[str]], ages: Iterable[re.Pattern[str]] = ()) -> str:
    """``text`` with ages turned into "person" and every match of ``patterns`` blanked to underscores
    (lengths, and so offsets, are kept)."""
    for rx in ages:
        if rx.search(text):
            text = rx.sub(_person, text)
    for rx in patterns:
        if rx.search(text):
            text = rx.sub(_blank, text)
    return text


def _half(value: int) -> int:
    return max(1, value // 2) if value > 0 else 0


# === English ======================================================================================
_EN_UNITS = {
    "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8, "nine": 9,
    "ten": 10, "eleven": 11, "twelve": 12, "thirteen": 13, "fourteen": 14, "fifteen": 15,
    "sixteen": 16, "seventeen": 17, "eighteen": 18, "nineteen": 19,
}  # fmt: skip
_EN_TENS = {
    "twenty": 20, "thirty": 30, "forty": 40, "fifty": 50, "sixty": 60, "seventy": 70, "eighty": 80,
    "ninety": 90,
}  # fmt: skip


def _alt(words: Iterable[str]) -> str:
    return "|".join(sorted(words, key=len, reverse=True))


_EN_UNIT_RE = _alt(_EN_UNITS)
_EN_ONE_TO_NINE = _alt(w for w, v in _EN_UNITS.items() if v < 10)
_EN_WORDNUM = (
    rf"(?:(?:{_alt(_EN_TENS)})(?:[\s-](?:{_EN_ONE_TO_NINE}))?|{_EN_UNIT_RE})(?:\s+hundred)?"
    r"|(?:a|one)\s+hundred"
)
_EN_D = r"\d{1,3}(?:,\d{3})+|\d{1,5}"
_EN_DIGITS = rf"(?<![\w.,/:#$€£-])(?:{_EN_D})(?![\w/:%]|[.,]\d)"
_EN_NUM = rf"(?:{_EN_DIGITS}|\b(?:{_EN_WORDNUM})\b)"
_EN_NUM2 = rf"(?:(?:{_EN_D})(?![\w/:%]|[.,]\d)|\b(?:{_EN_WORDNUM})\b)"
_EN_QUAL = (
    r"(?:(?:at\s+least|at\s+most|more\s+than|less\s+than|fewer\s+than|no\s+(?:fewer|less)\s+than|"
    r"over|nearly|almost|about|around|roughly|approximately|some|up\s+to|as\s+many\s+as|"
    r"an\s+estimated|a\s+total\s+of|another|a\s+further|further|an\s+additional|additional|only|"
    r"just|all|all\s+of\s+the|the|these|those|his|her|their|its|other)\s+)*"
)
_EN_RANGE = rf"(?:between\s+{_EN_NUM}\s+and\s+{_EN_NUM2}|{_EN_NUM}(?:\s*(?:-|–|—|to|or)\s*{_EN_NUM2})?)"
_EN_UNKNOWN = (
    r"several|many|numerous|multiple|some|a\s+few|a\s+number|"
    r"an?\s+(?:unknown|unspecified|undetermined|unconfirmed|undisclosed|unidentified)\s+number"
)
_EN_VAGUE = (
    rf"\b(?:dozens|tens|scores|hundreds|thousands|a\s+dozen|dozen|a\s+score|a\s+couple|both|{_EN_UNKNOWN})\b"
    r"(?:\s+of)?"
)
_EN_COUNT = rf"(?:\b{_EN_QUAL})?(?:{_EN_RANGE}|{_EN_VAGUE})"
_EN_ART = r"\b(?:a|an|one|another|the|his|her|its|their|this|that)\b"
_EN_PRONOUN = r"\b(?:he|she|him)\b"
# words that end a noun phrase: verbs, conjunctions, words of killing and hurting, numbers
_EN_STOP = (
    r"(?:were|was|are|is|be|been|being|have|has|had|and|or|but|nor|plus|who|which|that|while|when|"
    r"after|before|as|by|with|reportedly|allegedly|also|later|then|said|says|according|found|left|"
    r"shot|killed|killing|kills|dead|died|dying|deaths?|fatalities|injured|injuring|wounded|"
    r"wounding|hurt|executed|murdered|slain|arrested|detained|missing|including|among|a|an|"
    rf"{_EN_UNIT_RE}|{_alt(_EN_TENS)}|dozens?|hundreds?|thousands|several|many|tens|scores)"
)
_EN_NPWORD = rf"(?!{_EN_STOP}\b|\d+\b)(?:[a-z_]|\d+(?:st|nd|rd|th)\b)[\w'’-]*"
_EN_ITEM = rf"(?:{_EN_COUNT}|{_EN_ART}|{_EN_PRONOUN})(?:\s+{_EN_NPWORD}){{0,5}}"
_EN_LIST = rf"{_EN_ITEM}(?:\s*,\s*{_EN_ITEM})*\s*,?\s+(?:and|as\s+well\s+as|plus)\s+{_EN_ITEM}|{_EN_ITEM}"
_EN_AUX = (
    r"(?:(?:who|were|was|are|is|have|has|had|been|being|be|got|get|reportedly|allegedly|also|all|"
    r"later|subsequently|eventually|each|found|left|lay|lie|lying|confirmed|reported|believed|"
    r"feared|thought|said|to|have|since)\s+){0,4}"
)
_EN_BEFORE = re.compile(rf"(?P<list>{_EN_LIST})\s*,?\s+{_EN_AUX}$")
_EN_AFTER = re.compile(rf"\s+(?:{_EN_QUAL})?(?P<list>{_EN_LIST})(?![\w'-])")
_EN_SINGULAR_AUX = re.compile(r"\b(?:was|is|has\s+been|had\s+been|got)\s+(?:\w+\s+){0,3}$")
_EN_PLURAL_AUX = re.compile(r"\b(?:were|are|have\s+been)\s+(?:\w+\s+){0,3}$")
# a death that is the object of another act (a protest against it, a demand for justice): its
# victims belong to an earlier event
_EN_OBJECT_OF = re.compile(
    r"\b(?:against|over|condemn\w*|denounc\w*|protest\w*|mourn\w*|justice\s+for|demand\w*|"
    r"anniversary\s+of|commemorat\w*|investigat\w*|probe\s+into|after|following|since|for)\s+"
    r"(?:the\s+|a\s+)?(?:recent\s+|alleged\s+|custodial\s+|brutal\s+|suspicious\s+)*$"
)
_EN_NEGATED = re.compile(
    r"(?:\bnot|n't|\bnever|\bnobody|\bnone|\bno\s+one|\bno-one|\bno)\b(?:\s+[\w']+){0,4}\s*$"
)
_EN_INJURY_AFTER = re.compile(
    r"\s*,?\s+(?:(?:were|was|are|is|have\s+been|had\s+been|got)\s+)?(?:also\s+|reportedly\s+)?"
    r"(?:injured|wounded|hurt|arrested|detained|abducted|kidnapped|missing|rescued|evacuated|"
    r"taken|hospitali[sz]ed|treated)\b"
)

_PERSON_SG = (
    r"man|woman|boy|girl|child|kid|baby|infant|person|civilian|soldier|officer|policeman|"
    r"policewoman|cop|guard|guardsman|ranger|member|fighter|militant|insurgent|rebel|gunman|"
    r"assailant|attacker|bomber|suspect|protester|protestor|demonstrator|rioter|student|teacher|"
    r"journalist|reporter|photographer|worker|labou?rer|farmer|herder|shepherd|driver|passenger|"
    r"pilot|prisoner|inmate|detainee|activist|cleric|mullah|imam|priest|commander|leader|official|"
    r"judge|prosecutor|doctor|nurse|paramedic|medic|resident|villager|citizen|youth|teenager|"
    r"teen|pilgrim|trooper|agent|conscript|recruit|volunteer|basij\w*|kolbar|porter|smuggler|"
    r"miner|mother|father|son|daughter|brother|sister|husband|wife|relative|cousin|uncle|aunt|"
    r"friend|bystander|passer-?by|employee|engineer|lawyer|mayor|governor|chief|colonel|general|"
    r"major|captain|lieutenant|sergeant|corporal|private|refugee|migrant|national|tourist|"
    r"athlete|wrestler|poet|writer|artist|singer|rapper|politician|lawmaker|mp|candidate|"
    r"shopkeeper|merchant|trader|vendor|fisherman|bodyguard|"
    r"staffer|aide|spokesman|spokeswoman|victim|elder|pupil|worshipper|cameraman|adolescent|minor|"
    r"juvenile|individual|female|male|girlfriend|boyfriend|fiancée?|nephew|niece|grandson|"
    r"granddaughter|grandfather|grandmother|man's|boy's|head|owner|keeper|gatekeeper|watchman|"
    r"informant|collaborator|trafficker|dealer|thief|robber|bandit|kidnapper|militiaman|"
    r"guerrilla|jihadist|terrorist|combatant|paramilitary|policeman|gendarme|marine|sailor|airman|"
    r"sniper|operative|spy|diplomat|envoy|minister|councillor|councilor|chairman|chairwoman|"
    r"secretary|activist|unionist|organi[sz]er|campaigner|blogger|editor|broadcaster|anchor|"
    r"professor|lecturer|scholar|cleric|sheikh|rabbi|pastor|bishop|nun|missionary|"
    r"aid\s+worker|humanitarian|volunteer|contractor|guide|hunter|rancher|peasant|fisher"
)
_PERSON_RE = re.compile(rf"\b(?:{_PERSON_SG})\b")
_PERSON_PL = (
    rf"(?:{_PERSON_SG})s|(?:police|fisher|gun|camera|spokes|militia|chair|sales)?men|women|children|"
    r"kids|people|police|personnel|staff|troops|forces|crew|youths|families|residents|civilians|"
    r"villagers|thieves|militia|militias|persons|individuals|minors|adolescents|females|males"
)
_PERSONS_RE = re.compile(rf"\b(?:{_PERSON_PL})\b")
# a singular person named by title, without article: "killed commander Yusuf", "killed journalist X"
_EN_AFTER_BARE = re.compile(rf"\s+(?:{_EN_NPWORD}\s+){{0,3}}(?:{_PERSON_SG})\b(?!['’]?s\b)")
# the killing is an attribute of people ("families of killed demonstrators", "the dead man")
_EN_ATTRIBUTIVE = re.compile(
    r"\s+(?!(?:by|in|at|on|of|for|from|to|with|during|after|near|as|and|or|the|a|an|his|her|their|its)\b)"
    rf"(?:[a-z-]+\s+)?(?:{_PERSON_SG}|{_PERSON_PL})\b"
)
_EN_DETERMINER_BEFORE = re.compile(r"\b(?:of|the|for|to|with|and|their|his|her|its|those|these|our|your)\s+$")

# a vague or numeric word → value
_EN_NUMBER_TOKEN = re.compile(rf"{_EN_D}|\b(?:{_EN_WORDNUM})\b")
_EN_VAGUE_TOKEN = re.compile(
    rf"\b(?:dozens|tens|scores|hundreds|thousands|dozen|score|couple|both|{_EN_UNKNOWN})\b"
)

_EN_MONTH = (
    r"(?:jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?|"
    r"sep(?:t(?:ember)?)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)\.?"
)
_EN_UNITS_AFTER = (
    r"(?:years?|yrs?|months?|weeks?|days?|nights?|hours?|hrs?|minutes?|mins?|seconds?|decades?|"
    r"times|km|kms|kilomet(?:er|re)s?|miles?|met(?:er|re)s?|feet|foot|kg|kilos?|kilograms?|tons?|"
    r"tonnes?|rounds?|shots?|bullets?|rockets?|missiles?|shells?|drones?|bombs?|grenades?|mines?|"
    r"houses?|homes?|buildings?|vehicles?|cars?|trucks?|buses|shops?|villages?|towns?|cities|"
    r"provinces?|countries|attacks?|incidents?|events?|motorcycles?|motorbikes?|boats?|percent|per\s+cent|dollars?|euros?|pounds?|"
    r"rials?|tomans?|million|billion|trillion|lashes|votes?|seats?|pages?)"
)
# ages: "a 25-year-old", "aged 25", "25 years old"
_EN_AGES = tuple(
    re.compile(p)
    for p in (
        rf"\b(?:\d{{1,3}}|{_EN_WORDNUM})[\s-]+(?:years?|months?)[\s-]+old\b",
        r"\b(?:aged|age|ages)\s+(?:of\s+)?\d{1,3}(?:\s*(?:-|to|and)\s*\d{1,3})?\b",
    )
)
_EN_MASKS = tuple(
    re.compile(p)
    for p in (
        # asides in brackets: "two militants (suspected TTP) were killed", "Ali (25)"
        r"\([^()]{0,80}\)",
        # dates and years
        rf"\b\d{{1,2}}(?:st|nd|rd|th)?\s+(?:of\s+)?{_EN_MONTH}(?![a-z])(?:,?\s+\d{{4}})?",
        rf"\b{_EN_MONTH}\s+\d{{1,2}}(?:st|nd|rd|th)?\b(?:,?\s+\d{{4}})?",
        r"\b\d{4}-\d{1,2}-\d{1,2}\b|\b\d{1,2}[/.]\d{1,2}(?:[/.]\d{2,4})?\b",
        r"(?<![\d,])\b(?:1[89]|20)\d\d(?:s|'s)?\b(?![,.]\d)",
        # clock times
        r"\b\d{1,2}[:.]\d\d(?:\s*[ap]\.?m\.?)?|\b\d{1,2}\s*(?:[ap]\.?m\.?)(?![a-z])|\b\d{1,2}\s+o'clock",
        # money, distances, durations, things counted that are not people
        r"[$€£]\s*\d[\d,.]*(?:\s*(?:million|billion|bn|m)\b)?",
        rf"\b(?:{_EN_D}|{_EN_WORDNUM}|a|an)(?:[.,]\d+)?[\s-]*{_EN_UNITS_AFTER}\b"
        rf"(?![\s-]+(?:{_PERSON_SG}|{_PERSON_PL})\b)",
        r"\d+(?:\.\d+)?\s*%",
        # numbered things: "article 12", "No. 5", "flight 752", "#123"
        r"\b(?:no\.|nos\.|number|article|route|road|highway|flight|unit|district|zone|section|block|"
        r"gate|room|building|bus|id|case|station|exit|camp|sector|brigade|division|battalion|regiment|"
        r"chapter|paragraph|item|resolution|clause|line|platform|level|floor|phase|region|area|ward|"
        r"cell|file|code|page|volume|episode|season|round|stage|team|group|lot|plot|plate)\s*#?\d+\b",
        r"#\s*\d+",
        # an "including …" aside repeats part of the count before it
        r",\s*(?:including|among\s+them|among\s+whom|of\s+whom|most\s+of\s+them)\b[^,;.]*|"
        r"\bincluding\b[^,;.]*?(?=\s+(?:were|was|are|is|have|has|had)\b|[,;.]|$)",
    )
)
# words of killing. Each alternative has a kind: "half" (killed and wounded together), "nominal"
# ("the killing of"), "lives" ("claimed five lives"), "toll", "bodies", or a plain verb/adjective.
_EN_ANCHORS: tuple[tuple[str, str], ...] = (
    ("toll", r"(?:death|casualty|fatality)\s+tolls?\b"),
    (
        "half",
        r"(?:killed|dead)\s+(?:and|or)\s+(?:injured|wounded|hurt)|(?:injured|wounded|hurt)\s+(?:and|or)\s+"
        r"killed|killing\s+(?:and|or)\s+(?:injuring|wounding)|(?:injuring|wounding)\s+(?:and|or)\s+killing",
    ),
    ("nominal", r"(?:deaths?|killings?|murders?|executions?|assassinations?|lynchings?)\s+of"),
    ("active", r"claim(?:ed|ing)\s+the\s+lives?\s+of"),
    ("lives", r"(?:claimed|claiming|cost|costing|took|taking)(?=\s+(?:the\s+)?\S+(?:\s+\S+)?\s+lives\b)"),
    ("bodies_of", r"(?:bodies|corpses|remains)\s+of"),
    ("body_of", r"(?:body|corpse)\s+of"),
    ("plural_noun", r"deaths|fatalities"),
    ("succumbed", r"succumbed\s+to\s+(?:his|her|their)\s+(?:injuries|wounds)"),
    (
        "bodies",
        r"(?:bodies|corpses)(?=\s+(?:were\s+|have\s+been\s+|had\s+been\s+)?(?:found|recovered|discovered|retrieved|pulled|identified))",
    ),
    (
        "verb",
        r"shot\s+and\s+killed|shot\s+dead|shooting\s+dead|(?:stabbed|beaten|burned|burnt|crushed|tortured|"
        r"hacked|bludgeoned|stoned)\s+to\s+death|lost\s+(?:their|his|her)\s+li(?:ves|fe)|killed|killing|kills|"
        r"slain|dead|died|executed|executing|hanged|murdered|murdering|massacred|massacring|slaughtered|"
        r"slaughtering|assassinated|beheaded|decapitated|perished|lynched",
    ),
)
_EN_ANCHOR_RE = re.compile(
    "|".join(rf"(?P<{kind}{i}>\b(?:{p}))" for i, (kind, p) in enumerate(_EN_ANCHORS)) + r"(?![\w-])"
)
# verbs that can take their victims as objects ("killed three", "executing a prisoner")
_EN_TRANSITIVE = re.compile(
    r"shot\s+and\s+killed|shot\s+dead|shooting\s+dead|killed|killing|kills|executed|executing|hanged|"
    r"murdered|murdering|massacred|massacring|slaughtered|slaughtering|assassinated|beheaded|lynched|"
    r"claim(?:ed|ing)\s+the\s+lives?\s+of"
)
# figurative or non-lethal uses of the words of killing
_EN_NOT_DEATH = re.compile(
    r"\bdead\s*(?:line|lock|end|ly|sea|heat|weight)|\b(?:killed|kills|killing)\s+(?:the|a|an|his|her|their|its)\s+"
    r"(?:bill|deal|motion|plan|proposal|project|idea|story|mood|engine|lights?|time)\b|\bdied\s+down\b|"
    r"\b(?:died|dead)\s+(?:of|from)\s+(?:natural\s+causes|old\s+age|covid|cancer|illness)\b"
)
_EN_ZERO = re.compile(
    r"\b(?:no\s+one|no-one|nobody|none)\b[^.;]{0,40}?\b(?:killed|died|dead|hurt|harmed|lost)\b|"
    r"\bno\s+(?:immediate\s+)?(?:reported\s+)?(?:deaths|fatalities|casualties|loss\s+of\s+li(?:fe|ves)|"
    r"(?:reports?|word)\s+of\s+(?:deaths|casualties|fatalities))\b|"
    r"\bwithout\s+(?:any\s+)?(?:casualties|loss\s+of\s+life|fatalities|deaths)\b"
)


_EN_TOLL = re.compile(
    rf"[^.;]{{0,50}}?\b(?:at|of|to|is|was|reached|hit|stands|stood|now)\s+(?P<n>{_EN_COUNT})"
)
_EN_LIVES = re.compile(rf"\s+(?:the\s+)?(?P<n>{_EN_COUNT})(?:\s+{_EN_NPWORD})?\s+lives\b")


def _en_value(count: str) -> int | None:
    """The value of a count phrase: the lower of a range, a vague word as ACLED codes it."""
    values = [v for m in _EN_NUMBER_TOKEN.finditer(count) if (v := _en_number(m.group(0))) is not None]
    if values:
        return min(values[:2])
    m = _EN_VAGUE_TOKEN.search(count)
    if m is None:
        return None
    return VAGUE_NUMBERS.get(m.group(0), UNKNOWN_NUMBER)


def _en_number(token: str) -> int | None:
    if token[0].isdigit():
        return int(token.replace(",", ""))
    words = re.split(r"[\s-]+", token)
    total = 0
    for w in words:
        if w in _EN_UNITS:
            total += _EN_UNITS[w]
        elif w in _EN_TENS:
            total += _EN_TENS[w]
        elif w == "hundred":
            total = max(total, 1) * 100
        elif w == "a":
            total = 1
    return total or None


_EN_COUNT_START = re.compile(rf"\s*(?:{_EN_COUNT})")
_EN_ART_START = re.compile(rf"\s*(?:{_EN_ART}|{_EN_PRONOUN})")
_EN_SPLIT = re.compile(
    r"\s*,(?!\d)\s*(?:and\s+|as\s+well\s+as\s+|plus\s+)?|\s+(?:and|as\s+well\s+as|plus)\s+"
)
_EN_BETWEEN = re.compile(r"\bbetween\s+(\S+)\s+and\s+")


def _en_item_value(item: str, lenient: bool = False) -> int | None:
    """The number of people one list item stands for (None: not a count of people).

    ``lenient``: the item is the object of a verb of killing, so a noun after an article is taken for
    a person even when it is not a known word for one ("killed a Fulani pastoralist").
    """
    m = _EN_COUNT_START.match(item)
    if m and m.group(0).strip():
        value = _en_value(m.group(0))
        if value is not None:
            return value
    m = _EN_ART_START.match(item)
    if m is None:
        return None
    head, rest = m.group(0).strip(), item[m.end() :]
    if head in ("he", "she", "him"):
        return 1
    if _PERSONS_RE.search(rest):
        return None if head in ("a", "an", "one", "another") else UNKNOWN_NUMBER
    if _PERSON_RE.search(rest):
        return 1
    words = rest.split()
    if lenient and words and head not in ("this", "that"):
        return UNKNOWN_NUMBER if re.search(r"[^s]s$", words[-1]) and head not in ("a", "an") else 1
    return None


def _en_list_value(text: str, lenient: bool = False) -> int | None:
    """The sum of the items of a list ("two policemen and a civilian" → 3); None if one is no count."""
    total = 0
    for item in _EN_SPLIT.split(_EN_BETWEEN.sub(r"\1 to ", text.strip())):
        value = _en_item_value(item, lenient)
        if value is None:
            return None
        total += value
    return total


def _en_after(low: str, end: int, lenient: bool = True) -> tuple[int, int] | None:
    """The victims named right after an active verb of killing: (value, end of the list)."""
    m = _EN_AFTER.match(low, end, min(len(low), end + _FORWARD_WINDOW))
    if m is None:
        bare = _EN_AFTER_BARE.match(low, end, min(len(low), end + _FORWARD_WINDOW))
        return (1, bare.end()) if bare and lenient else None
    text = m.group("list")
    stop = m.end()
    if _EN_INJURY_AFTER.match(low, stop):
        # "killed three people and two others were wounded": the last item is not a victim
        parts = _EN_SPLIT.split(text.strip())
        if len(parts) < 2:
            return None
        text = " and ".join(parts[:-1])
    value = _en_list_value(text, lenient)
    return (value, stop) if value is not None else None


def _en_before(low: str, start: int, floor: int) -> tuple[int, int] | None:
    """The victims named right before a passive verb of killing: (value, start of the list)."""
    pos = max(floor, start - _BACK_WINDOW)
    if pos > 0 and low[pos - 1].isalnum():  # never start inside a word
        while pos < start and low[pos].isalnum():
            pos += 1
    while pos < start and (m := _EN_BEFORE.search(low, pos, start)) is not None:
        value = _en_list_value(m.group("list"))
        if value is not None:
            return value, m.start("list")
        # "stormed the building and two soldiers were killed": try the list nearer the verb
        nxt = low.find(" ", m.start("list") + 1, start)
        if nxt < 0:
            return None
        pos = nxt + 1
    return None


def _en_counted(low: str, kind: str, start: int, end: int, floor: int) -> _Reading | None:
    """Words of killing that are read only with a count: a toll, lives claimed, bodies found."""
    if kind == "toll":
        t = _EN_TOLL.match(low, end)
        value = _en_value(t.group("n")) if t else None
        return _Reading(start, t.end(), value, toll=True) if t and value else None
    if kind == "lives":
        t = _EN_LIVES.match(low, end)
        value = _en_value(t.group("n")) if t else None
        return _Reading(start, t.end(), value) if t and value else None
    if kind in ("body_of", "bodies_of", "active"):
        after = _en_after(low, end, lenient=kind == "active")
        return _Reading(start, after[1], after[0]) if after else None
    before = _en_before(low, start, floor)  # "bodies"
    return _Reading(before[1], end, before[0]) if before else None


def _en_anchor(low: str, m: re.Match[str], floor: int) -> _Reading | None:
    """What one word of killing reports: its victims after it, before it, or implied by its verb."""
    kind = (m.lastgroup or "verb").rstrip("0123456789")
    start, end = m.span()
    word = m.group(0)
    if _EN_NEGATED.search(low, max(0, start - 40), start):
        return None
    if kind in ("toll", "lives", "body_of", "bodies_of", "active", "bodies"):
        return _en_counted(low, kind, start, end, floor)
    if kind == "nominal" and _EN_OBJECT_OF.search(low, max(0, start - 40), start):
        return None  # "a protest against the killing of a journalist"
    if kind in ("nominal", "half") or _EN_TRANSITIVE.fullmatch(word):
        after = _en_after(low, end)
        if after is not None:
            return _Reading(start, after[1], _half(after[0]) if kind == "half" else after[0])
    if kind == "nominal":
        # "the death of a protester" with no count: singular one, plural an unknown number
        return _Reading(start, end, UNKNOWN_NUMBER if re.match(r"\w+s\s", word) else 1)
    if kind == "verb" and (a := _EN_ATTRIBUTIVE.match(low, end)):
        if _EN_DETERMINER_BEFORE.search(low, max(0, start - 10), start) or not _EN_TRANSITIVE.fullmatch(word):
            return None  # "relatives of killed protesters", "the dead man"
        return _Reading(start, a.end(), UNKNOWN_NUMBER)  # "militants killed villagers": no number
    before = _en_before(low, start, floor)
    if before is not None:
        return _Reading(before[1], end, _half(before[0]) if kind == "half" else before[0])
    return _en_implied(low, kind, word, start, end, floor)


def _en_implied(low: str, kind: str, word: str, start: int, end: int, floor: int) -> _Reading | None:
    """Deaths reported with no count: one for a singular verb, ACLED's unknown number for a plural."""
    if kind == "succumbed":
        return _Reading(start, end, UNKNOWN_NUMBER if "their" in word else 1)
    window = low[max(floor, start - 60) : start]
    if kind == "half":
        return _Reading(start, end, _half(UNKNOWN_NUMBER)) if _EN_PLURAL_AUX.search(window) else None
    if _EN_SINGULAR_AUX.search(window):
        return _Reading(start, end, 1)
    if _EN_PLURAL_AUX.search(window) or kind == "plural_noun":
        return _Reading(start, end, UNKNOWN_NUMBER)
    return None


def _english(text: str) -> list[_Reading]:
    low = text.lower()
    if len(low) != len(text):
        low = "".join(ch.lower()[:1] or ch for ch in text)
    if not _EN_ANCHOR_RE.search(low):
        return []
    low = _mask(low, (_EN_NOT_DEATH, *_EN_MASKS, _EN_ZERO), _EN_AGES)
    return _readings(low, _EN_ANCHOR_RE, _en_anchor)


def _readings(
    text: str, anchors: re.Pattern[str], read: Callable[[str, re.Match[str], int], _Reading | None]
) -> list[_Reading]:
    """What ``read`` makes of each anchor (at most :data:`MAX_ANCHORS`), left to right; an anchor
    inside what an earlier reading took is skipped."""
    readings: list[_Reading] = []
    floor = 0
    for n, m in enumerate(anchors.finditer(text)):
        if n >= MAX_ANCHORS:
            break
        if m.start() < floor:
            continue
        r = read(text, m, floor)
        if r is not None:
            readings.append(r)
            floor = max(floor, r.end)
        else:
            floor = max(floor, m.end())
    return readings


# === Persian ======================================================================================
_S = r"[\s\u200c]*"  # a space, a ZWNJ or nothing
_S1 = r"[\s\u200c]+"
_FA_WORDS = {
    "یک": 1, "یکی": 1, "دو": 2, "سه": 3, "چهار": 4, "پنج": 5, "شش": 6, "شیش": 6, "هفت": 7,
    "هشت": 8, "ده": 10, "یازده": 11, "دوازده": 12, "سیزده": 13, "چهارده": 14, "پانزده": 15,
    "پونزده": 15, "شانزده": 16, "هفده": 17, "هیفده": 17, "هجده": 18, "هیجده": 18, "نوزده": 19,
    "بیست": 20, "سی": 30, "چهل": 40, "پنجاه": 50, "شصت": 60, "هفتاد": 70, "هشتاد": 80, "نود": 90,
    "صد": 100, "یکصد": 100, "دویست": 200, "سیصد": 300, "چهارصد": 400, "پانصد": 500, "ششصد": 600,
    "هفتصد": 700, "هشتصد": 800, "نهصد": 900, "هزار": 1000,
}  # fmt: skip
# «نه» (nine) is also "no, not": read as a number only before a classifier
_FA_WORD = rf"(?:{_alt(_FA_WORDS)}|نه(?={_S1}(?:نفر|تن)))"
_FA_WORDNUM = rf"{_FA_WORD}(?:{_S1}و{_S1}{_FA_WORD})*"
_FA_D = r"\d{1,3}(?:,\d{3})+|\d{1,5}"
_FA_DIGITS = rf"(?<![\d.,/:])(?:{_FA_D})(?![\d/:]|[.,]\d)"
_FA_NUM = rf"(?:{_FA_DIGITS}|(?<![\w\u200c])(?:{_FA_WORDNUM})(?![\w\u200c]))"
_FA_QUAL = (
    rf"(?:(?:دست{_S}کم|حداقل|بیش{_S}از|بیشتر{_S}از|بالغ{_S}بر|حدود|حدودا|نزدیک{_S}به|قریب{_S}به|"
    rf"متجاوز{_S}از|افزون{_S}بر|کمتر{_S}از|بالای|تقریبا|فقط|تنها|همه|هر|دیگر){_S1})*"
)
_FA_UNKNOWN = (
    rf"چندین|چند|شماری|تعدادی|تعداد{_S}زیادی|شمار{_S}زیادی|عده{_S}ای|جمعی|برخی|بسیاری|انبوهی|"
    rf"(?:تعداد|شمار){_S}(?:نامعلومی|نامشخصی)"
)
_FA_VAGUE = rf"(?<![\w\u200c])(?:ده{_S}ها|صد{_S}ها|هزاران|{_FA_UNKNOWN})(?![\w\u200c])"
_FA_COUNT = rf"(?<![\w\u200c]){_FA_QUAL}(?:{_FA_NUM}(?:{_S}(?:تا|الی|-|–|یا){_S}{_FA_NUM})?|{_FA_VAGUE})"
_FA_COUNT_RE = re.compile(_FA_COUNT)
_FA_VAGUE_VALUES = (
    (re.compile(rf"^ده{_S}ها"), 10),
    (re.compile(rf"^صد{_S}ها"), 100),
    (re.compile(r"^هزاران"), 1000),
)
_FA_TOKEN = re.compile(rf"{_FA_D}|(?<![\w\u200c]){_FA_WORDNUM}(?![\w\u200c])")
_FA_MONTHS = (
    "فروردین|اردیبهشت|خرداد|تیر|تیرماه|مرداد|شهریور|مهر|مهرماه|آبان|آذر|دی|دیماه|بهمن|بهمن‌ماه|اسفند|"
    "ژانویه|فوریه|مارس|آوریل|مه|می|ژوئن|ژوئیه|ژوییه|اوت|آگوست|سپتامبر|اکتبر|نوامبر|دسامبر|"
    "محرم|صفر|ربیع|رمضان|شوال"
)
_FA_UNITS = (
    "ساله|سال|سالگی|ماه|روز|هفته|ساعت|دقیقه|ثانیه|شب|شبانه‌روز|کیلومتر|کیلومتری|متر|متری|درصد|تومان|"
    "ریال|دلار|یورو|میلیون|میلیارد|بار|مرتبه|دستگاه|خودرو|گلوله|راکت|موشک|پهپاد|بمب|خانه|منزل|"
    "واحد|حمله|مورد|کیلو|کیلوگرم|گرم|نقطه|ضربه|فقره|قبضه|عدد|سانتی‌متر|اصله"
)
_FA_ID_NOUNS = (
    "ماده|بند|تبصره|شماره|کد|پلاک|پاسگاه|منطقه|ناحیه|فاز|بلوک|خیابان|کوچه|نمره|اصل|پرونده|ردیف|"
    "ساعت|سال|مرحله|دوره|قطعه|تیپ|لشکر|گردان|هنگ|پایگاه|ایستگاه|خروجی|جاده|بزرگراه|محور|پرواز|"
    "اتوبوس|اتاق|سلول|شعبه|سوره|آیه|صفحه|جلد|قسمت|کیلومتر|سالن|طبقه|شهرک|فاز|کانال|خط"
)
_FA_MASKS = tuple(
    re.compile(p)
    for p in (
        # weekdays: «پنج‌شنبه», «سه شنبه»
        rf"(?<![\w\u200c])(?:یک|دو|سه|چهار|پنج){_S}شنبه",
        # dates: «۲۸ بهمن ۱۴۰۱», «۵ مهر», «بهمن ۱۴۰۱»
        rf"(?<![\w\u200c])(?:\d{{1,2}}(?:ام|م)?|{_FA_WORDNUM}){_S}(?:{_FA_MONTHS})(?![\w])(?:{_S}(?:ماه)?{_S}\d{{2,4}})?",
        rf"(?<![\w\u200c])(?:{_FA_MONTHS}){_S}(?:ماه{_S})?(?:سال{_S})?\d{{2,4}}",
        r"(?<![\d,])(?:1[34]|19|20)\d\d(?![\d,])",
        r"\d{1,4}[/.-]\d{1,2}[/.-]\d{1,4}|\d{1,2}:\d\d",
        # ages, durations, distances, money, things that are not people: «۲۵ ساله», «۳ روز»
        rf"(?<![\w\u200c])(?:\d[\d,.]*|{_FA_WORDNUM}|چند|چندین){_S}(?:{_FA_UNITS})(?:\u200c?(?:ها|های|ای|ی|ه|گی|ه‌ای))?(?![\w\u200c])",
        # numbered things: «ماده ۲۸۶», «پاسگاه ۱۲», «شماره ۵»
        rf"(?<![\w\u200c])(?:{_FA_ID_NOUNS})(?:\u200c?(?:ی|های|ها))?{_S1}(?:شماره{_S1})?\d+",
        r"#\s*\d+|\(\s*\d{1,3}\s*\)",
    )
)
# verb-final reports of killing: the count stands before, perhaps a few words away
_FA_PAST = rf"(?:ند|ه{_S}(?:اند|است|بودند|بود|شده{_S}اند))?"
_FA_BEFORE_ANCHORS = (
    rf"کشته{_S}(?:شد{_FA_PAST}|شده{_S}(?:اند|است|بودند|بود)|شده(?![\w\u200c])|گردید(?:ند)?|می{_S}شوند|می{_S}شود)",
    rf"جان{_S}(?:خود|خویش|خودشان|شان|ش)?{_S}(?:را{_S})?از{_S}دست{_S}(?:داد|دادند|داده{_S}(?:اند|است)?)",
    rf"جان{_S}(?:باخت|باختند|باخته{_S}(?:اند|است)?|سپرد|سپردند|سپرده{_S}(?:اند|است)?)",
    rf"(?:به{_S})?شهادت{_S}(?:رسید|رسیدند|رسیده{_S}(?:اند|است)?)",
    rf"شهید{_S}(?:شد|شدند|شده{_S}(?:اند|است)|گردید|گردیدند)",
    rf"به{_S}قتل{_S}(?:رسید|رسیدند|رسیده{_S}(?:اند|است)?)",
    rf"(?:اعدام|تیرباران|حلق{_S}آویز|سنگسار){_S}(?:شد|شدند|شده{_S}(?:اند|است)|گردید|گردیدند)",
    rf"درگذشت(?:ند|ه{_S}(?:اند|است))?|فوت{_S}(?:کرد|کردند|شد|شدند|کرده{_S}(?:اند|است))",
    rf"را{_S1}(?:کشت|کشتند|کشته{_S}اند|به{_S}قتل{_S}رساند(?:ند)?|اعدام{_S}کرد(?:ند)?|"
    rf"به{_S}شهادت{_S}رساند(?:ند)?|تیرباران{_S}کرد(?:ند)?|از{_S}پا{_S}درآورد(?:ند)?)",
)
# a bare «کشته» after its count: «دست‌کم ۱۲ کشته», «۳ کشته و ۵ زخمی»
_FA_BARE = rf"کشته(?![\w\u200c]|{_S}(?:شد|شده|شدن|گردید|می|ها|شدگان))"
# nouns of killing: the count follows («کشته شدن دو مامور», «اعدام سه زندانی»)
_FA_AFTER_ANCHORS = rf"کشته{_S}شدن|کشتن|قتل|اعدام|جان{_S}باختن|شهادت|شهید{_S}شدن|تیرباران"
_FA_TOLL = (
    rf"(?:شمار|تعداد|آمار)(?:{_S1}(?:نهایی|رسمی))?{_S1}(?:کشته{_S}(?:شدگان|ها)|جان{_S}باختگان|"
    rf"قربانیان|تلفات|شهدا|قربانی)"
)
_FA_ANCHOR_RE = re.compile(
    rf"(?<![\w\u200c])(?:(?P<toll>{_FA_TOLL})|(?P<before>{'|'.join(_FA_BEFORE_ANCHORS)})|(?P<bare>{_FA_BARE})"
    rf"|(?P<after>{_FA_AFTER_ANCHORS}))(?![\w])"
)
_FA_ZERO = re.compile(
    rf"(?:کشته|جان){_S}(?:ن(?:شد|شده|شدند|باخت|باختند)|از{_S}دست{_S}نداد)|آسیبی{_S}ندید|"
    rf"(?:تلفات|کشته)(?:{_S}(?:جانی|ای|ی))?{_S}(?:نداشت|نداشته|در{_S}(?:بر|پی){_S}نداشت|به{_S}همراه{_S}نداشت|"
    rf"گزارش{_S}نشد)|بدون{_S}(?:هیچ{_S})?(?:تلفات|کشته)|جان{_S}سالم{_S}به{_S}در{_S}برد"
)
# what ends the stretch before a verb in which its count is looked for
_FA_BREAK = re.compile(
    r"[.!?؟؛:\n]|(?<![\w\u200c])(?:که|اما|ولی|همچنین|زخمی|مجروح|مصدوم|آسیب|جراحت|بازداشت|دستگیر|"
    r"ربوده|ناپدید|بستری|زخم)(?![\w])"
)
_FA_PARTITIVE = re.compile(rf"(?:از|میان|بین|با){_S1}$")
_FA_CONJ = re.compile(rf"(?:و|،|,){_S}$")


def _fa_value(count: str) -> int | None:
    """The value of a Persian count phrase (the lower of a range; vague words as ACLED codes them)."""
    values = [_fa_number(m.group(0)) for m in _FA_TOKEN.finditer(count)]
    values = [v for v in values if v]
    if values:
        return min(values[:2])
    stripped = re.sub(rf"^{_FA_QUAL}", "", count)
    for rx, value in _FA_VAGUE_VALUES:
        if rx.match(stripped):
            return value
    return UNKNOWN_NUMBER if re.search(_FA_VAGUE, count) else None


def _fa_number(token: str) -> int:
    if token[0].isdigit():
        return int(token.replace(",", ""))
    total = 0
    last = None
    for w in re.split(rf"{_S1}و{_S1}", token):
        v = _FA_WORDS.get(w.strip("\u200c "), 9 if w.strip() == "نه" else 0)
        if last is not None and v >= last:
            break  # «دو و سه» is no compound number
        total += v
        last = v
    return total


def _fa_counts(text: str, lo: int, hi: int) -> list[tuple[int, int, int]]:
    """Counts of people in ``text[lo:hi]``: (start, end, value), a partitive total («از ۵») left out."""
    out = []
    for m in _FA_COUNT_RE.finditer(text, lo, hi):
        if not m.group(0).strip() or _FA_PARTITIVE.search(text, max(lo, m.start() - 10), m.start()):
            continue
        value = _fa_value(m.group(0))
        if value:
            out.append((m.start(), m.end(), value))
    return out


def _fa_window_start(text: str, start: int, floor: int) -> int:
    """Where the stretch before a Persian verb of killing begins (a break, or a list before a comma)."""
    lo = max(floor, start - _BACK_WINDOW)
    cut = lo
    for b in _FA_BREAK.finditer(text, lo, start):
        cut = b.end()
    # a comma ends the stretch too, unless it separates items of a list («دو مامور، یک سرباز و …»)
    commas = [i for i in range(cut, start) if text[i] in "،,"]
    for i in reversed(commas):
        tail = text[i + 1 : start]
        head = text[cut:i]
        if _FA_COUNT_RE.match(tail.lstrip(" \u200c")) and _FA_COUNT_RE.match(head.lstrip(" \u200c")):
            continue
        return i + 1
    return cut


def _fa_before(text: str, start: int, floor: int) -> tuple[int, int] | None:
    """The count of the people a verb-final report of killing is about: (value, its start)."""
    lo = _fa_window_start(text, start, floor)
    counts = _fa_counts(text, lo, start)
    if not counts:
        return None
    # the first count is the subject; later ones join it only as items of a list («… و یک غیرنظامی»)
    total = counts[0][2]
    prev_end = counts[0][1]
    for s, e, v in counts[1:]:
        gap = text[prev_end:s]
        if _FA_CONJ.search(gap) and len(gap.split()) <= 6:
            total += v
            prev_end = e
    return total, counts[0][0]


def _persian(text: str) -> list[_Reading]:
    if not _FA_ANCHOR_RE.search(text):
        return []
    text = _mask(text, (*_FA_MASKS, _FA_ZERO))
    return _readings(text, _FA_ANCHOR_RE, _fa_anchor)


def _fa_anchor(text: str, m: re.Match[str], floor: int) -> _Reading | None:
    start, end = m.span()
    if m.group("toll"):
        counts = _fa_counts(text, end, min(len(text), end + 50))
        return _Reading(start, counts[0][1], counts[0][2], toll=True) if counts else None
    if m.group("after"):
        if re.search(rf"(?:حکم|محکوم{_S}به){_S}$", text[max(0, start - 12) : start]):
            return None  # «حکم اعدام سه زندانی»: a sentence, not an execution
        counts = _fa_counts(text, end, min(len(text), end + 30))
        # the count must follow the noun of killing right away (an adjective or «از» may not part them)
        if counts and not text[end : counts[0][0]].strip(" \u200c"):
            value, stop = counts[0][2], counts[0][1]
            for s, e, v in counts[1:]:
                gap = text[stop:s]
                if _FA_CONJ.search(gap) and len(gap.split()) <= 6:
                    value += v
                    stop = e
            return _Reading(start, stop, value)
        return None
    if m.group("bare"):
        counts = _fa_counts(text, max(floor, start - 40), start)
        if counts and len(text[counts[-1][1] : start].split()) <= 1:
            return _Reading(counts[-1][0], end, counts[-1][2])
        return None
    before = _fa_before(text, start, floor)
    if before is not None:
        return _Reading(before[1], end, before[0])
    verb = m.group(0).rstrip(" \u200c")
    plural = verb.endswith("ند") and not verb.endswith("رساند")
    return _Reading(start, end, UNKNOWN_NUMBER if plural else 1)
