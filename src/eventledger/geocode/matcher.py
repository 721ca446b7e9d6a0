"""Find place names in normalised Persian or English text.

:func:`find_places` runs on the *matching* text (``normalize_for_matching(text).text``) and
returns non-overlapping :class:`PlaceMatch` spans into it.

How it works:

1. The text is cut into letter tokens (Persian words are also cut at ZWNJ, English words at
   hyphens and apostrophes).  Runs of 1..4 tokens joined by a space, ZWNJ, hyphen or apostrophe
   are looked up by :func:`~eventledger.normalize.text.fold` key, longest first, left to right;
   so ``اسلام‌آباد غرب``, ``اسلام آباد غرب`` and "Eslamabad-e Gharb" are the same name.
2. A name fires on its own only if it is a province, a country, a hand-listed major place or a
   place of at least :data:`MIN_POPULATION` people.  Smaller places need a cue right before them
   (``در``, ``شهر``, ``روستای``, "in", "town of", ...) or a cue word after ("X county").  Names in the
   stoplist (Persian months, weekdays, common nouns, first names) need a *strong* cue
   (``شهر``, ``شهرستان``, ``روستای``, ``استان``, "city of", "X province").  A cue carries over a list:
   in ``شهرهای تهران، کرج و رشت`` all three names have the cue ``شهرهای``.
3. English names must be capitalised (acronyms such as "US" in capitals) unless a strong cue
   precedes them; a Persian name glued to a following suffix (``تهرانی``) is a different word and
   does not match.
4. Each name is resolved to one place: a province cue picks the province, a city cue the city;
   a bare province name is the province unless that province's capital has the same name
   ("Tehran" is the city, "Kurdistan" the province); a country name is the country.  Among
   namesakes the one in a province named in the text (``context_admin1`` plus the provinces and
   unambiguous cities found in the text) wins unless a much larger city has that name, and
   otherwise the largest.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field, replace
from functools import lru_cache
from itertools import accumulate, compress, pairwise

from eventledger.errors import ConfigError
from eventledger.geocode.gazetteer import DISTRICT_PREFIX, REGION_PREFIX, Gazetteer
from eventledger.geocode.stoplist import (
    BLOCK_EN,
    BLOCK_FA,
    CUE_EN,
    CUE_FA,
    STOP_EN,
    STOP_FA,
    WATERS_EN,
    WATERS_FA,
    words,
)
from eventledger.normalize.text import fold, fold_letter_variants
from eventledger.records import Place

MIN_POPULATION = 20_000  # smaller places need a cue
DOMINANT_POPULATION = 100_000  # cities this big keep their name against province context
MAX_TOKENS = 4

# cue levels
_NONE, _WEAK, _STRONG = 0, 1, 2
# a plural place noun as a cue («استان‌های», «شهرهای», "provinces")
_PLURAL_CUE = re.compile(
    r"(?:ها|های|هاي)$|(?:provinces|cities|towns|villages|regions|counties|districts)$", re.I
)

# Letter tokens (Latin, Latin-1/Extended-A/B, Arabic script without punctuation and digits),
# captured so that split() keeps both the tokens and the text between them.
_SPLIT_RE = re.compile(
    r"([A-Za-z\u00c0-\u00d6\u00d8-\u00f6\u00f8-\u024f\u0300-\u036f\u0621-\u063a\u0641-\u064a\u066e-\u06d3\u06d5]+)"
)
_JOIN_GAPS = frozenset(
    {" ", "\u200c", "-", "'", "\u2019", "\u2018", "  ", "\t", " \u200c", "\u200c ", "."}
)  # "." for U.S.
_ZWNJ = "\u200c"
# abbreviations a name may be spelled with, a full stop and a space after them ("St. Petersburg", "Mt. Lebanon")
_ABBREVIATIONS = frozenset({"st", "ste", "mt", "ft", "pt"})
_ZWNJ_SUFFIXES = frozenset({"ها", "های", "هایی", "هاست"})
_GLUED_DENY = frozenset({fold("باراک")})
_LIST_GAPS = frozenset({",", "،", "و", "and", "or", "یا", "&", ",و", "،و", ",and", ",or", "،یا", ",&"})
_PARTICLES = frozenset({"the", "al", "el", "e", "ye", "de", "la", "le"})
_LOCAL_GAP_RE = re.compile(r"\s*(?:city|town|county|village|district|شهر|شهرستان)?\s*[,،(\-–]?\s*")
_PAREN_GAP_RE = re.compile(r"\s*(?:city|town|county|village|district|شهر|شهرستان)?\s*\(\s*")


def _keys(words: Iterable[str]) -> frozenset[str]:
    return frozenset(fold(w) for w in words)


# Cue words before a name: key -> (level, kind).  Kind: "province", "city", "country" or "".
_CITY_CUES = words(
    "شهر شهرهای شهرستان شهرستان‌های شهرستانهای شهرک شهرکهای روستای روستا روستاهای دهستان جزیره جزیره‌ی جزایر "
    "city cities town towns village villages county district island"
)
_PROVINCE_CUES = words("استان استانهای استان‌های ایالت ostan province provinces region governorate state")
_COUNTRY_CUES = words("کشور کشورهای country")
_WEAK_CUES = words(
    "در به از تا تو نزدیک حوالی اطراف ساکن اهل سمت بخش بندر مردم اهالی ساکنان "
    "in at near outside across from to into toward towards around between through throughout inside"
)
_PRE_CUES: dict[str, tuple[int, str]] = {
    **{k: (_WEAK, "") for k in _keys(_WEAK_CUES)},
    **{k: (_STRONG, "city") for k in _keys(_CITY_CUES)},
    **{k: (_STRONG, "province") for k in _keys(_PROVINCE_CUES)},
    **{k: (_STRONG, "country") for k in _keys(_COUNTRY_CUES)},
}
# the first word of a settlement's own name that says what it is, a port («بندر خمیر», "Bandar-e Khamir")
_SETTLEMENT_HEADS = _keys(words("بندر bandar"))
# English cue nouns only count before a name when followed by "of" ("city of Karaj").
_EN_OF_CUES = _keys(w for w in _CITY_CUES | _PROVINCE_CUES | _COUNTRY_CUES if w.isascii())
# Cue words right after a name ("Karaj city", "Alborz province", "Ilam County").
_POST_CUES: dict[str, tuple[int, str]] = {
    **{
        k: (_STRONG, "city")
        for k in _keys(words("city town village county district tehsil prefecture island"))
    },
    **{k: (_STRONG, "province") for k in _keys(words("province provinces region governorate state"))},
}


# A region abroad with this many GeoNames towns (Texas, Scotland, Kashmir: the top fifth) is read
# without its type noun where a cue places something in it ("in Texas", "south Kashmir")
WELL_KNOWN_REGION_TOWNS = 20
_DIRECTIONS = _keys(
    words(
        "north south east west northern southern eastern western central northeast northwest "
        "southeast southwest northeastern northwestern southeastern southwestern"
    )
)


# what makes a lower-case country after a direction part of another name ("the south jordan river")
_WATERS_AND_LANDFORMS = _keys(
    words(
        "sea seas river rivers ocean gulf coast bay lake lakes mountains mountain range valley desert strait"
    )
)

MIN_SKELETON_NAME = 5  # letters of a name read through its skeleton
MIN_SKELETON = 3  # consonants of a skeleton

# the nouns that call a name a second-level division ("Pulwama district", "district of Pulwama")
_DISTRICT_NOUNS = _keys(words("district districts county counties tehsil prefecture"))


def _names_district(cue: str | None) -> bool:
    return cue is not None and fold(cue.split()[0]) in _DISTRICT_NOUNS


@dataclass(frozen=True, slots=True)
class PlaceMatch:
    """A place name found in the text: ``text[start:end] == surface``."""

    start: int
    end: int
    surface: str
    place: Place
    cue: str | None


@dataclass(frozen=True, slots=True)
class _Entry:
    places: tuple[Place, ...]
    free: bool = False  # fires without a cue
    stop: bool = False  # needs a strong cue
    acronym: bool = False
    latin: bool = False
    block: bool = False
    spaced: bool = True  # may be written as several tokens (Persian: only if a spelling has a space)
    lead: int = 0  # glued prefix length, dropped from the span
    tail: int = 0  # glued suffix length, dropped from the span
    districts: bool = field(init=False)  # some place is a district abroad
    districts_only: bool = field(init=False)  # every place is one
    regions_only: bool = field(init=False)  # every place is a region abroad

    def __post_init__(self) -> None:
        object.__setattr__(self, "districts", any(map(_is_district_abroad, self.places)))
        object.__setattr__(
            self, "districts_only", bool(self.places) and all(map(_is_district_abroad, self.places))
        )
        object.__setattr__(
            self, "regions_only", bool(self.places) and all(map(_is_region_abroad, self.places))
        )


@dataclass(slots=True)
class _Raw:
    start: int
    end: int
    entry: _Entry
    cue: str | None
    level: int
    kind: str
    place: Place | None = None
    local: set[str] = field(default_factory=set)


@dataclass(frozen=True, slots=True)
class _Index:
    gazetteer: Gazetteer
    entries: dict[str, _Entry]
    prefixes: frozenset[str]  # every prefix of every key
    starters: frozenset[str]  # keys of first words of names (a match must start on one)
    # Latin keys of names spelled in several words -> the word lengths of those spellings ("A man"
    # is no spelling of Aman, Amman: a name only ever spelled in one word is matched in one token)
    latin_words: dict[str, frozenset[tuple[int, ...]]] = field(default_factory=dict)


def _is_region_abroad(place: Place) -> bool:
    return place.place_id.startswith(REGION_PREFIX)


def _is_district_abroad(place: Place) -> bool:
    return place.place_id.startswith(DISTRICT_PREFIX)


def _is_big(gazetteer: Gazetteer, place: Place) -> bool:
    if _is_region_abroad(place) or _is_district_abroad(place):
        return False
    if place.precision != "city":
        return True
    return place.population >= MIN_POPULATION or gazetteer.info(place.place_id).major


def _is_dominant(gazetteer: Gazetteer, place: Place) -> bool:
    if _is_district_abroad(place):
        return False
    info = gazetteer.info(place.place_id)
    return (
        place.precision != "city"
        or place.population >= DOMINANT_POPULATION
        or info.capital_of is not None
        or info.national_capital
    )


def _build_entries(gazetteer: Gazetteer) -> dict[str, _Entry]:
    stop = _keys(STOP_FA) | _keys(STOP_EN)
    cue_only = _keys(CUE_FA) | _keys(CUE_EN)
    acronyms = gazetteer.acronym_keys
    spaced = gazetteer.spaced_keys
    entries: dict[str, _Entry] = {}
    for key, places in gazetteer.index.items():
        is_stop = key in stop
        free = not is_stop and key not in cue_only and any(_is_big(gazetteer, p) for p in places)
        latin = key.isascii()
        entries[key] = _Entry(
            tuple(places), free, is_stop, key in acronyms, latin, spaced=latin or key in spaced
        )
    for key in _keys(BLOCK_FA) | _keys(BLOCK_EN):
        entries[key] = _Entry((), block=True, latin=key.isascii())  # spaced: blockers are phrases
    _add_glued(gazetteer, entries, stop)
    return entries


def _add_glued(gazetteer: Gazetteer, entries: dict[str, _Entry], stop: frozenset[str]) -> None:
    """Big-city names with a glued preposition or object marker: 'بتهران', 'تهرانرا'.

    Only forms that cannot be other words: never the adjective 'ی' ('تهرانی'), never the plural
    'ها' ('رشتهای' is 'رشته‌های'), and 'ب' only before names of 4+ letters not starting with alef.
    """
    for key, entry in list(entries.items()):
        if entry.latin or entry.block or not entry.free or len(key) < 3:
            continue
        if not any(_is_dominant(gazetteer, p) for p in entry.places):
            continue
        variants = [(key + "را", 0, 2)]
        if len(key) >= 4 and not key.startswith("ا"):
            variants.append(("ب" + key, 1, 0))
        for variant, lead, tail in variants:
            if variant not in entries and variant not in stop and variant not in _GLUED_DENY:
                entries[variant] = _Entry(entry.places, True, spaced=False, lead=lead, tail=tail)


_WORD_SPLIT_RE = re.compile(r"[\s\u200c\-'\u2019\u2018.]+")


@lru_cache(maxsize=2)
def _waters_rx(lang: str) -> re.Pattern[str]:
    if lang == "fa":
        names = {fold_letter_variants(n) for n in WATERS_FA}
        gap, split = r"[\s\u200c]*", re.compile(r"[\s\u200c]+")
    else:
        names = {n.lower() for n in WATERS_EN}
        gap, split = r"[\s-]+", re.compile(r"[\s-]+")
    alternatives = sorted((gap.join(map(re.escape, split.split(n))) for n in names), key=len, reverse=True)
    # a distance in nautical miles («۱۳ مایل دریایی جنوب شرقی لیماه», "13 nautical miles off Fujairah") is told at sea
    alternatives.append(_SEA_PHRASES[lang])
    return re.compile(rf"(?<![^\W\d_])(?:{'|'.join(alternatives)})(?![^\W\d_])")


_SEA_PHRASES = {
    # and a country's waters («آب‌های جنوبی ایران», "Iran's territorial waters"): at sea, not in its land (rules/1.41)
    "fa": r"(?:[\d۰-۹]+(?:[.٫/][\d۰-۹]+)?|چند|ده|دوازده|بیست|سی)[\s\u200c]*مایل(?:ی)?[\s\u200c]+دریایی"
    r"|آب[\s\u200c]*های[\s\u200c]+(?:جنوبی|شمالی|سرزمینی|ساحلی|اطراف|نزدیک)",
    "en": r"\d+(?:\.\d+)?\s+nautical\s+miles?|(?:territorial|coastal|southern|northern)\s+waters",
}


def water_spans(low: str, lang: str, start: int = 0, end: int | None = None) -> list[tuple[int, int]]:
    """Spans of the seas, gulfs, straits and oceans named in ``low[start:end]`` (a coder's matching
    text: Persian letter variants folded, other languages lower-cased): places at sea, in no country."""
    rx = _waters_rx("fa" if lang == "fa" else "en")
    return [m.span() for m in rx.finditer(low, start, len(low) if end is None else end)]


def _build_index(gazetteer: Gazetteer) -> _Index:
    entries = _build_entries(gazetteer)
    prefixes = {key[:i] for key in entries for i in range(1, len(key) + 1)}
    spellings = [*(n for p in gazetteer.places() for n in gazetteer.names(p.place_id)), *BLOCK_FA, *BLOCK_EN]
    starters = set(entries)
    latin_words: dict[str, set[tuple[int, ...]]] = {}
    for name in spellings:
        first = _WORD_SPLIT_RE.split(name.strip(), maxsplit=1)[0]
        if first:
            starters.add(fold(first))
        words = _SPLIT_RE.findall(name)
        if len(words) > 1:
            keys = [fold(w) for w in words]
            key = "".join(keys)
            if key.isascii():
                latin_words.setdefault(key, set()).add(tuple(map(len, keys)))
    return _Index(
        gazetteer,
        entries,
        frozenset(prefixes),
        frozenset(starters),
        {k: frozenset(v) for k, v in latin_words.items()},
    )


def skeleton(name: str) -> str:
    """A spelling-tolerant key for romanised names: 'Jawzjan' and 'Jowzjan', 'Lower Jubba' and
    'Lower Juba', 'Shopian' and 'Shupiyan', 'Kasmir' and 'Kashmir' share one (h after a consonant
    dropped, every vowel the same, doubled letters single)."""
    key = _NOT_LETTER_RE.sub("", name.lower() if name.isascii() else fold(name))
    key = _H_AFTER_RE.sub("", key)
    key = _VOWEL_RE.sub("a", key)  # a vowel stays a vowel: 'Border' is not 'Brdr'-anything
    return _DOUBLE_RE.sub(r"\1", key)


_NOT_LETTER_RE = re.compile(r"[^a-z]+")
_H_AFTER_RE = re.compile(r"(?<=[bcdfgjklmnpqrstvxz])h")  # kh, sh, gh, th, dh
_VOWEL_RE = re.compile(r"[aeiouy]")
_DOUBLE_RE = re.compile(r"(.)\1+")
# words that often stand before "region", "province", "district" without naming one: never read
# through a skeleton ("the Border region", "the Central district")
_GENERIC_WORDS = _keys(
    words(
        "north south east west northern southern eastern western central capital border tribal "
        "frontier coastal coast mountain mountainous rural urban federal autonomous occupied "
        "disputed restive troubled oil the this that these those its their his her our new old home "
        "same entire whole neighbouring neighboring upper lower middle greater inner outer interior "
        "highland highlands lake lakes river delta island islands valley desert forest sea gulf bay "
        "northeast northwest southeast southwest northeastern northwestern southeastern southwestern "
        "administrative special national metropolitan"
    )
)


@lru_cache(maxsize=4)
def _skeleton_index(gazetteer: Gazetteer) -> dict[str, tuple[Place, ...]]:
    """Skeletons of the Latin names of regions and districts abroad; a skeleton shared by places of
    two countries, or too short to tell names apart, is left out."""
    found: dict[str, dict[str, Place]] = {}
    for place in gazetteer.places():
        if not place.place_id.startswith((REGION_PREFIX, DISTRICT_PREFIX)):
            continue
        for name in gazetteer.names(place.place_id):
            if not name.isascii() or len(name) < MIN_SKELETON_NAME:
                continue
            key = skeleton(name)
            if len(key) >= MIN_SKELETON:
                found.setdefault(key, {})[place.place_id] = place
    return {
        key: tuple(places.values())
        for key, places in found.items()
        if len({p.country for p in places.values()}) == 1
    }


@lru_cache(maxsize=4)
def _index_for(gazetteer: Gazetteer) -> _Index:
    return _build_index(gazetteer)


def prepare(gazetteer: Gazetteer) -> None:
    """Build the name indexes of ``gazetteer`` now (they are built on first use otherwise): done
    before worker processes are forked, which then share them instead of each building its own."""
    _index_for(gazetteer)
    _skeleton_index(gazetteer)


# -- token keys -----------------------------------------------------------------------------------

_FOLD_CACHE: dict[str, str] = {}
_FOLD_CACHE_MAX = 300_000


def _token_key(token: str) -> str:
    key = _FOLD_CACHE.get(token)
    if key is None:
        if len(_FOLD_CACHE) >= _FOLD_CACHE_MAX:
            _FOLD_CACHE.clear()
        key = _FOLD_CACHE[token] = fold(token)
    return key


# -- the scanner ----------------------------------------------------------------------------------


def _joined_settlement(key: str) -> bool:
    """A one-word name that begins with the word for a port, written joined («بندرالمخا», «بندرعباس»)."""
    return any(key.startswith(head) and len(key) > len(head) + 2 for head in _SETTLEMENT_HEADS)


class _Scanner:
    """One pass over one text: tokens, greedy longest matches, cues."""

    def __init__(self, text: str, index: _Index) -> None:
        self.text = text
        self.index = index
        # parts = [gap, token, gap, token, ..., gap]: tokens and the text between them.
        parts = _SPLIT_RE.split(text)
        self.seps: list[str] = parts[0::2]  # seps[k] is the text before token k
        tokens: list[str] = parts[1::2]
        keys = list(map(_FOLD_CACHE.get, tokens))
        if None in keys:
            keys = [k if k is not None else _token_key(t) for k, t in zip(keys, tokens, strict=True)]
        self.keys: list[str] = keys  # type: ignore[assignment]
        offsets = list(accumulate(map(len, parts)))
        self.starts: list[int] = offsets[0::2]  # start of token k
        self.ends: list[int] = offsets[1::2]  # end of token k
        self.matches: list[_Raw] = []

    def gap(self, j: int) -> str:
        """The text between token ``j - 1`` and token ``j``."""
        return self.seps[j]

    def scan(self) -> list[_Raw]:
        keys = self.keys
        seps = self.seps
        entries = self.index.entries
        prefixes = self.index.prefixes
        n = len(keys)
        next_free = 0
        # A match starts on a token that is a name or the first word of a name (test run in C).
        for i in compress(range(n), map(self.index.starters.__contains__, keys)):
            if i < next_free:
                continue
            key = keys[i]
            found: list[tuple[int, _Entry, bool]] = []
            j = i
            spaced = False
            while True:
                entry = entries.get(key)
                if entry is not None:
                    found.append((j, entry, spaced))
                j += 1
                if j >= n or j - i >= MAX_TOKENS:
                    break
                gap = seps[j]
                if gap not in _JOIN_GAPS and not (gap == ". " and keys[j - 1] in _ABBREVIATIONS):
                    break
                spaced = spaced or " " in gap
                key += keys[j]
                if key not in prefixes:
                    break
            if found:
                next_free = self._accept(i, found)
        return self.matches

    def _accept(self, i: int, found: list[tuple[int, _Entry, bool]]) -> int:
        for j, entry, spaced in reversed(found):
            if spaced and not entry.spaced:  # 'به شهر' is not Behshahr
                continue
            if entry.latin and j > i and not self._spelled_so(i, j):  # "A man" is not Amman
                continue
            if entry.block:
                return j + 1
            raw = self._try(i, j, entry)
            if raw is not None:
                self.matches.append(raw)
                return j + 1
        return i + 1

    def _spelled_so(self, i: int, j: int) -> bool:
        """Whether Latin tokens ``i..j`` split the name where one of its spellings does."""
        keys = self.keys[i : j + 1]
        splits = self.index.latin_words.get("".join(keys))
        return splits is not None and tuple(map(len, keys)) in splits

    def _try(self, i: int, j: int, entry: _Entry) -> _Raw | None:
        if entry.districts_only and not self._district_nouned(i, j):
            return None  # most names of districts abroad: cheap to turn away before any cue
        text = self.text
        start, end = self.starts[i] + entry.lead, self.ends[j] - entry.tail
        if start > 0 and text[start - 1] == _ZWNJ:
            return None
        if end < len(text) and text[end] == _ZWNJ and not self._zwnj_suffix_ok(j):
            return None
        cue, level, kind = self._cue(i, j)
        if (j > i and self.keys[i] in _SETTLEMENT_HEADS) or (j == i and _joined_settlement(self.keys[i])):
            # «بندر خمیر», "Bandar-e Khamir", «بندرالمخا»: a port's name carries its own cue (the word for a port
            # begins it, written apart or joined)
            level = max(level, _WEAK)
        if entry.latin and not self._case_ok(i, j, entry, level):
            return None
        if entry.districts and not (
            _names_district(cue) or self.keys[j] in _DISTRICT_NOUNS  # "Orange County"
        ):
            # a district abroad only where the text calls it one ("Pulwama district")
            places = tuple(p for p in entry.places if not _is_district_abroad(p))
            if not places:
                return None
            entry = replace(entry, places=places)
        if kind != "province" and entry.regions_only:
            # a region abroad only where the text calls it one ("Helmand province"), or a
            # well-known one where the text places something in it ("in Texas", "south Kashmir")
            if entry.stop or not self._bare_region(i, j, entry, level):
                return None
            level = max(level, _WEAK)
        if entry.stop and cue is not None and _PLURAL_CUE.search(cue):
            # «استان‌های مرکزی و جنوبی» (the central and southern provinces): after a plural noun a
            # common word is an adjective, not the one place it also names
            level = min(level, _WEAK)
        if entry.stop and kind == "country" and not any(p.precision == "country" for p in entry.places):
            # «… در این کشور کرد» (did, in this country): a common word after «کشور» that names no
            # country is the word, not a town of its name
            level = min(level, _WEAK)
        needed = _STRONG if entry.stop else (_NONE if entry.free else _WEAK)
        if level < needed:
            return None
        if entry.acronym and text.startswith(".", end) and "." in text[start:end]:
            end += 1  # "U.S." keeps its final dot
        return _Raw(start, end, entry, cue, level, kind)

    def _district_nouned(self, i: int, j: int) -> bool:
        """A district noun in the name, right after it or right before it with "of"."""
        keys = self.keys
        return (
            keys[j] in _DISTRICT_NOUNS
            or (j + 1 < len(keys) and keys[j + 1] in _DISTRICT_NOUNS)
            or (i >= 2 and keys[i - 1] == "of" and keys[i - 2] in _DISTRICT_NOUNS)
        )

    def _bare_region(self, i: int, j: int, entry: _Entry, level: int) -> bool:
        """A well-known region abroad named without its type noun: 'in Kashmir', 'across Texas',
        'south Kashmir', "Kashmir's Pulwama district" -- never before another capitalised word
        (a person or a longer name: 'Cesar Chavez', 'Vladimir Putin')."""
        gazetteer = self.index.gazetteer
        if not entry.latin or not self.text[self.starts[i]].isupper():
            return False
        if not any(gazetteer.info(p.place_id).towns >= WELL_KNOWN_REGION_TOWNS for p in entry.places):
            return False
        k = j + 1
        if k < len(self.keys):
            gap = self.gap(k)
            if gap in ("'", "\u2019") and self.keys[k] == "s":
                return True
            if gap in (" ", "  ") and self.text[self.starts[k]].isupper():
                return False
        if level >= _WEAK:
            return True
        return i > 0 and self._space_before(i) and self.keys[i - 1] in _DIRECTIONS

    def _zwnj_suffix_ok(self, j: int) -> bool:
        return j + 1 < len(self.keys) and self.gap(j + 1) == _ZWNJ and self.keys[j + 1] in _ZWNJ_SUFFIXES

    def _case_ok(self, i: int, j: int, entry: _Entry, level: int) -> bool:
        surface = self.text[self.starts[i] : self.ends[j]]
        if entry.acronym:
            return all(ch.isupper() for ch in surface if ch.isalpha())
        if level >= _STRONG:
            return True
        first = self.text[self.starts[i]]
        if first.isupper():
            return True
        if self.keys[i] in _PARTICLES:
            return any(self.text[self.starts[t]].isupper() for t in range(i + 1, j + 1))
        return self._lowercase_country(i, j, entry)

    def _lowercase_country(self, i: int, j: int, entry: _Entry) -> bool:
        """A country written in lower case after a direction ("a grenade blast in south senegal",
        "northern nigeria"), where the two words are no longer name ("north korea")."""
        if i == 0 or not self._space_before(i) or self.keys[i - 1] not in _DIRECTIONS:
            return False
        if not entry.places or any(p.precision != "country" for p in entry.places):
            return False
        if self.keys[i - 1] + "".join(self.keys[i : j + 1]) in self.index.prefixes:
            return False  # a longer name or a blocked phrase starts there ("south china sea")
        return j + 1 >= len(self.keys) or self.keys[j + 1] not in _WATERS_AND_LANDFORMS

    # -- cues ---------------------------------------------------------------------------------

    def _cue(self, i: int, j: int) -> tuple[str | None, int, str]:
        best: tuple[str | None, int, str] = (None, _NONE, "")
        # the noun right after a name names its type: "Ghormach district of Faryab province"
        for found in (self._post_cue(j), self._pre_cue(i), self._list_cue(i)):
            if found is not None and found[1] > best[1]:
                best = found
        return best

    def _pre_cue(self, i: int) -> tuple[str, int, str] | None:
        if i == 0 or not self._space_before(i):
            return None
        k = i - 1
        key = self.keys[k]
        # ZWNJ-joined plural: شهرستان‌های -> شهرستانهای
        while k > 0 and self.gap(k) == _ZWNJ:
            k -= 1
            key = self.keys[k] + key
        if key == "of" and k > 0 and self._space_before(k) and self.keys[k - 1] in _EN_OF_CUES:
            level, kind = _PRE_CUES[self.keys[k - 1]]
            return self.text[self.starts[k - 1] : self.ends[i - 1]], level, kind
        hit = _PRE_CUES.get(key)
        if hit is None or (key.isascii() and key in _EN_OF_CUES):
            return None
        return self.text[self.starts[k] : self.ends[i - 1]], hit[0], hit[1]

    def _post_cue(self, j: int) -> tuple[str, int, str] | None:
        if j + 1 >= len(self.keys) or not self._space_before(j + 1):
            return None
        hit = _POST_CUES.get(self.keys[j + 1])
        if hit is None:
            return None
        return self.text[self.starts[j + 1] : self.ends[j + 1]], hit[0], hit[1]

    def _list_cue(self, i: int) -> tuple[str | None, int, str] | None:
        if not self.matches:
            return None
        prev = self.matches[-1]
        if prev.level == _NONE and prev.cue is None:
            return None
        gap = "".join(self.text[prev.end : self.starts[i]].split())
        if gap not in _LIST_GAPS:
            return None
        return prev.cue, prev.level, prev.kind

    def _space_before(self, k: int) -> bool:
        gap = self.gap(k)
        return bool(gap) and gap.isspace()


# -- resolution -----------------------------------------------------------------------------------


def _size(place: Place) -> tuple[int, int]:
    gid = place.place_id[3:] if place.place_id.startswith("gn:") else ""
    return (place.population, -int(gid) if gid.isdigit() else 0)


def _by_kind(gazetteer: Gazetteer, places: tuple[Place, ...], kind: str) -> list[Place]:
    if kind != "province":
        places = tuple(p for p in places if not _is_region_abroad(p)) or places
    if kind:
        return [p for p in places if p.precision == kind] or list(places)
    provinces = [p for p in places if p.precision == "province"]
    if provinces:
        isos = {p.admin1 for p in provinces}
        capitals = [p for p in places if gazetteer.info(p.place_id).capital_of in isos]
        return capitals or provinces
    countries = [p for p in places if p.precision == "country"]
    return countries or list(places)


def _resolve(gazetteer: Gazetteer, raw: _Raw, context: set[str]) -> Place:
    pool = _by_kind(gazetteer, raw.entry.places, raw.kind)
    if len(pool) > 1 and raw.local:
        pool = [p for p in pool if p.admin1 in raw.local] or pool
    elif len(pool) > 1 and context:
        in_ctx = [p for p in pool if p.admin1 in context]
        best = max(pool, key=_size)
        if in_ctx and (best in in_ctx or not _is_dominant(gazetteer, best)):
            pool = in_ctx
    if raw.level == _NONE:
        pool = [p for p in pool if _is_big(gazetteer, p)] or pool
    return max(pool, key=_size)


_COUNTRY_AFTER_GAP_RE = re.compile(
    r"[^\S\n]*,[^\S\n]*|[^\S\n]+(?:in|of)[^\S\n]+(?:(?:the|northern|southern|eastern|western|central|north|south|east|west)[^\S\n]+){0,2}"
    r"|[\s\u200c]+(?:در[\s\u200c]+(?:(?:شمال|جنوب|شرق|غرب|مرکز)[\s\u200c]+)?)?|[\s\u200c]*،[\s\u200c]*"
)


def _namesakes_of_the_country_after(gazetteer: Gazetteer, text: str, raws: list[_Raw]) -> None:
    """A town abroad of one name in several countries, followed by the country it is in ("Tripoli,
    Lebanon", "Hyderabad in Pakistan", «طرابلس لبنان»): the namesake in that country, though the
    largest is elsewhere. Iranian namesakes are left to the province rules."""
    for town, nxt in pairwise(raws):
        place, country = town.place, nxt.place
        if (
            place is None
            or country is None
            or country.precision != "country"
            or place.country == country.country
            or len(town.entry.places) < 2
            or not _COUNTRY_AFTER_GAP_RE.fullmatch(text, town.end, nxt.start)
        ):
            continue
        pool = [
            p
            for p in _by_kind(gazetteer, town.entry.places, town.kind)
            if p.country == country.country and p.country != "IR" and p.precision == "city"
        ]
        if pool:
            town.place = max(pool, key=_size)


def _local_context(gazetteer: Gazetteer, text: str, raws: list[_Raw]) -> None:
    """'Sardasht (Khuzestan)', 'Khorramabad city, Lorestan': the province right after a name.

    A name in brackets right after an Iranian city is read as its province: in
    'Isfahan city (Isfahan)' the second Isfahan is the province.
    """
    for prev, nxt in pairwise(raws):
        if (
            prev.place is not None
            and prev.place.country == "IR"
            and prev.place.precision == "city"
            and not nxt.kind
            and any(p.precision == "province" for p in nxt.entry.places)
            and _PAREN_GAP_RE.fullmatch(text, prev.end, nxt.start)
        ):
            nxt.kind = "province"
            nxt.place = _resolve(gazetteer, nxt, set())
        is_province = nxt.place is not None and nxt.place.precision == "province" and nxt.place.admin1
        if is_province and _LOCAL_GAP_RE.fullmatch(text, prev.end, nxt.start):
            assert nxt.place is not None and nxt.place.admin1 is not None
            prev.local.add(nxt.place.admin1)


def find_places(
    text: str,
    lang: str,
    gazetteer: Gazetteer,
    context_admin1: set[str] | None = None,
) -> list[PlaceMatch]:
    """Place names in ``text`` (the normalised matching text), in text order, non-overlapping.

    ``lang`` ("fa" or "en") is accepted for the caller's record; both scripts are always
    searched.  ``context_admin1`` (ISO 3166-2 codes) biases ambiguous names towards those
    provinces, on top of the provinces named in the text itself.
    """
    if lang not in ("fa", "en"):
        raise ConfigError(f"lang must be 'fa' or 'en', not {lang!r}")
    index = _index_for(gazetteer)
    raws = [r for r in _Scanner(text, index).scan() if r.entry.places]
    raws = _add_spelling_variants(index, text, raws)
    if not raws:
        return []
    for raw in raws:  # first pass: no context
        raw.place = _resolve(gazetteer, raw, set())
    _local_context(gazetteer, text, raws)
    context = set(context_admin1 or ())
    for raw in raws:
        place = raw.place
        assert place is not None
        unambiguous = len({p.admin1 for p in raw.entry.places}) == 1
        if place.country == "IR" and place.admin1 and (place.precision == "province" or unambiguous):
            context.add(place.admin1)
    for raw in raws:
        if len(raw.entry.places) > 1 and (context or raw.local):
            raw.place = _resolve(gazetteer, raw, context)
    _namesakes_of_the_country_after(gazetteer, text, raws)
    raws = _drop_abroad_namesakes(gazetteer, _drop_towns_outside_their_region(text, raws))
    raws = _drop_towns_of_unnamed_countries(gazetteer, raws)
    _capitals_named_by_their_country(gazetteer, text, raws)
    return [
        PlaceMatch(r.start, r.end, text[r.start : r.end], r.place, r.cue) for r in raws if r.place is not None
    ]


# a country's capital named through the country: "the capital of Iran", "Iran's capital", «پایتخت ایران»
_CAPITAL_BEFORE_RE = re.compile(r"(?:\bcapital of (?:the )?|پایتخت[\s\u200c]*)$")
_CAPITAL_AFTER_RE = re.compile(
    r"(?:['\u2019]s)?\s+capital\b(?!\s+(?:gains|punishment|markets?|flight|expenditure|investment|spending"
    r"|controls?|inflows?|outflows?|requirements?|adequacy|goods|stock))"
)


def capital_after(text: str, pos: int) -> bool:
    """Whether ``text`` names a capital right at ``pos``, after a country or its adjective ("Iran's
    capital", "the Iranian capital"; "capital gains" is none)."""
    return _CAPITAL_AFTER_RE.match(text, pos) is not None


_CAPITAL_REACH = 16
_APPOSITION_GAP_RE = re.compile(r"[\s,،»«\"'()\-–]*(?:the\s+)?")
# "Monrovia, the capital of Liberia", «مونرویا، پایتخت لیبریا», «بوینس آیرس» پایتخت آرژانتین: the city is named
_APPOSITION_RE = re.compile(r"[,،»\"')]\s*(?:the\s+)?$")


def _capitals_named_by_their_country(gazetteer: Gazetteer, text: str, raws: list[_Raw]) -> None:
    """A country named as the owner of its capital is that capital (Tehran, in Tehran province):
    the act happened in the city, not somewhere in the country — unless the city is named right
    before it ("Monrovia, the capital of Liberia", «مونرویا، پایتخت لیبریا»: the country there only says
    where the city is, and the city may be one the gazetteer does not hold)."""
    for k, raw in enumerate(raws):
        place = raw.place
        if place is None or place.precision != "country":
            continue
        before = text[max(0, raw.start - _CAPITAL_REACH) : raw.start]
        cue = _CAPITAL_BEFORE_RE.search(before)
        if cue is not None:
            cue_start = raw.start - len(before) + cue.start()
        elif capital_after(text, raw.end):
            cue_start = raw.start
        else:
            continue
        if _APPOSITION_RE.search(text[max(0, cue_start - 8) : cue_start]) or (
            k > 0 and _APPOSITION_GAP_RE.fullmatch(text, raws[k - 1].end, cue_start)
        ):
            continue
        raw.place = gazetteer.capital(place.country) or place


_NAME = r"(?:[A-Z][a-z]+[ -]){0,2}[A-Z][a-z]+"
_TYPE_NOUN_RE = re.compile(r"\b(?:province|region|governorate|state|district|county|tehsil)\b")
_NAME_BEFORE_RE = re.compile(rf"\b{_NAME} $")  # searched in the few words before the noun
_NAME_AFTER_RE = re.compile(rf" of (?:the )?({_NAME})\b")  # matched right after it
_REGION_NOUNS = frozenset({"province", "region", "governorate", "state"})
_TYPE_NOUNS = (*_REGION_NOUNS, "district", "county", "tehsil")
_BEFORE_CHARS = 48


def _typed_names(text: str) -> Iterator[tuple[int, int, str]]:
    """(start, end, noun) of the names the text calls a region or district: 'Jawzjan province',
    'district of Kasmir' ("state of" is left out: "the state of emergency")."""
    for m in _TYPE_NOUN_RE.finditer(text):
        noun = m.group()
        at = m.start()
        # the word right before the noun must be capitalised before any name is looked for
        before = at - 2 >= 0 and text[at - 1] == " " and text[at - 2].isalpha()
        word = text.rfind(" ", 0, at - 1) + 1 if before else at
        lo = max(0, at - _BEFORE_CHARS)
        if before and text[word].isupper() and (b := _NAME_BEFORE_RE.search(text, lo, at)) is not None:
            yield b.start(), m.start() - 1, noun
        elif noun != "state" and (a := _NAME_AFTER_RE.match(text, m.end())) is not None:
            yield a.start(1), a.end(1), noun


def _add_spelling_variants(index: _Index, text: str, raws: list[_Raw]) -> list[_Raw]:
    """'Jawzjan province', 'Lower Jubba region', 'Shopian district', 'district of Kasmir': a name the
    text calls a region or district, spelled otherwise than the gazetteer, read through its
    consonant skeleton where that names places of one country only (regions for the words
    province/region/governorate/state, districts for district/county/tehsil)."""
    if not any(n in text for n in _TYPE_NOUNS):
        return raws
    added: list[_Raw] = []
    for start, end, noun in _typed_names(text):
        if any(r.start < end and start < r.end for r in raws):
            continue
        skeletons = _skeleton_index(index.gazetteer)
        want = _is_region_abroad if noun in _REGION_NOUNS else _is_district_abroad
        name = text[start:end]
        # the longest tail of the name that is known: "The Lower Jubba" -> "Lower Jubba"
        for cut in [0, *(k.end() for k in re.finditer(r"[ -]", name))]:
            if all(fold(w) in _GENERIC_WORDS for w in re.split(r"[ -]", name[cut:])):
                break
            places = tuple(p for p in skeletons.get(skeleton(name[cut:]), ()) if want(p))
            if places and len(name) - cut >= MIN_SKELETON_NAME:
                entry = _Entry(places, latin=True)
                kind = "province" if noun in _REGION_NOUNS else "city"
                raw = _Raw(start + cut, end, entry, noun, _STRONG, kind)
                added.append(raw)
                break
    if not added:
        return raws
    return sorted([*raws, *added], key=lambda r: r.start)


_IN_REGION_GAP_RE = re.compile(r"[^\S\n]*(?:[A-Za-z]+[^\S\n]+){0,2}?(?:in|of|near|,)[^\S\n]+(?:the[^\S\n]+)?")


def _drop_towns_outside_their_region(text: str, raws: list[_Raw]) -> list[_Raw]:
    """'Hatin Farm in Raqqa province': a town named without a cue right before a region abroad of
    another country is a namesake of a place in that region the gazetteer does not know."""
    drop = set()
    for prev, nxt in pairwise(raws):
        if (
            nxt.place is not None
            and _is_region_abroad(nxt.place)
            and prev.place is not None
            and prev.place.precision == "city"
            and prev.place.country != nxt.place.country
            and prev.level < _STRONG
            and _IN_REGION_GAP_RE.fullmatch(text, prev.end, nxt.start)
        ):
            drop.add(id(prev))
    return [r for r in raws if id(r) not in drop] if drop else raws


NAMESAKE_POPULATION = 250_000  # a town abroad below this may be a namesake of one the gazetteer lacks


def _drop_towns_of_unnamed_countries(gazetteer: Gazetteer, raws: list[_Raw]) -> list[_Raw]:
    """'Kaya, a South Sudanese town … on the border with Uganda': in a text that names countries
    abroad, a smallish town abroad of a country it never names (Kaya of Burkina Faso) is a namesake
    of a town the gazetteer does not know; unknown beats a wrong country. Only for names in Latin
    letters: the gazetteer's Persian names of places abroad are a curated few hundred notable
    places, so «ادلب» beside «روسیه» (Russian jets over Idlib) is Idlib, not a namesake."""
    named = {r.place.country for r in raws if r.place is not None and r.place.precision == "country"}
    if not named - {"IR"}:
        return raws
    keep = []
    for r in raws:
        p = r.place
        namesake = (
            p is not None
            and p.precision == "city"
            and p.country != "IR"
            and p.country not in named
            and p.population < NAMESAKE_POPULATION
            and not gazetteer.info(p.place_id).national_capital
            and not gazetteer.info(p.place_id).major
            and r.level < _STRONG
            and r.entry.latin
        )
        if not namesake:
            keep.append(r)
    return keep


def _drop_abroad_namesakes(gazetteer: Gazetteer, raws: list[_Raw]) -> list[_Raw]:
    """In a text about places abroad only, small Iranian namesakes are foreign villages.

    'Jalalabad district' in a report on Afghanistan is not the Iranian village Jalalabad: when
    the text names a foreign country or city and nothing that anchors it in Iran (Iran itself,
    a province, a big Iranian city), Iranian places that are not big cities and share their name
    with a place abroad are dropped.
    """
    places = [r.place for r in raws if r.place is not None]
    foreign = any(p.country != "IR" for p in places)
    if not foreign:
        return raws
    anchored = any(p.country == "IR" and _is_dominant(gazetteer, p) for p in places)
    if anchored:
        return raws
    # a small Iranian town whose name names nothing abroad stays itself («مردم آبیک» beside «آمریکا»)
    return [
        r
        for r in raws
        if r.place is not None
        and (
            r.place.country != "IR"
            or _is_dominant(gazetteer, r.place)
            or all(p.country == "IR" for p in r.entry.places)
        )
    ]
