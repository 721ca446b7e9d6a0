"""The paragraph a monitoring organisation publishes, in English or Persian.

Every number in it comes from one :func:`~eventledger.store.queries.tally` call, and the paragraph
ends with the command that reproduces it.

Its words are data: ``data/phrases/statement.yaml`` holds, per language, the sentence templates and
the counted noun phrases of every category and subtype (English singular and plural; the Persian
numeral + classifier + singular noun). This module only chooses the form for each number and fills
the templates in. Actors are named by their display names — the codebook's ``actors[].name``, or an
actor names file (:func:`load_actor_names`) — never by their ids.
"""

from __future__ import annotations

import datetime as dt
import shlex
import string
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

import yaml

from eventledger.aggregate.periods import (
    GREGORIAN_MONTHS_EN,
    GREGORIAN_MONTHS_FA,
    JALALI_MONTHS_EN,
    JALALI_MONTHS_FA,
    Period,
    to_jalali,
)
from eventledger.errors import ConfigError, NotFoundError
from eventledger.extract.codebook import DEFAULT_CODEBOOK, Codebook
from eventledger.geocode.gazetteer import default_gazetteer
from eventledger.shipped import shipped_path
from eventledger.store.queries import CLAIM_STATUSES

_FA_DIGITS = str.maketrans("0123456789", "۰۱۲۳۴۵۶۷۸۹")

# the languages every phrases file must have (the CLI's --lang choices)
LANGUAGES = ("en", "fa")

_MONTHS: Mapping[tuple[str, str], Sequence[str]] = {
    ("jalali", "en"): JALALI_MONTHS_EN,
    ("jalali", "fa"): JALALI_MONTHS_FA,
    ("gregorian", "en"): GREGORIAN_MONTHS_EN,
    ("gregorian", "fa"): GREGORIAN_MONTHS_FA,
}

_PERIOD = frozenset({"label", "month", "year", "jalali", "gregorian"})
# every template of a language section: the placeholders it may use, and those it must use
_TEMPLATES: Mapping[str, tuple[frozenset[str], frozenset[str]]] = {
    "dates.date": (frozenset({"day", "month", "year"}), frozenset({"day", "month"})),
    "dates.range": (frozenset({"start", "end"}), frozenset({"start", "end"})),
    **{f"period.{k}": (_PERIOD, frozenset()) for k in ("jalali_year", "jalali_month", "gregorian_year")},
    "period.gregorian_month": (_PERIOD, frozenset()),
    "period.range": (_PERIOD, frozenset()),
    "opening": (
        frozenset({"period", "events", "scope", "categories"}),
        frozenset({"period", "events", "scope", "categories"}),
    ),
    "opening_total": (frozenset({"period", "events", "scope"}), frozenset({"period", "events", "scope"})),
    "opening_none": (frozenset({"period", "scope"}), frozenset({"period", "scope"})),
    "category": (frozenset({"count", "subtypes"}), frozenset({"count", "subtypes"})),
    "scope.actor": (frozenset({"actor"}), frozenset({"actor"})),
    "scope.province": (frozenset({"province"}), frozenset({"province"})),
    "scope.province_none": (frozenset(), frozenset()),
    **{f"scope.claim_status.{s}": (frozenset(), frozenset()) for s in CLAIM_STATUSES},
    "claims.sentence": (frozenset({"list"}), frozenset({"list"})),
    **{f"claims.single.{s}": (frozenset(), frozenset()) for s in CLAIM_STATUSES},
    "unplaced_single": (frozenset(), frozenset()),
    "method": (frozenset(), frozenset()),
    "reproduce": (frozenset({"command"}), frozenset({"command"})),
}
# templates a language may leave out
_OPTIONAL: Mapping[str, tuple[frozenset[str], frozenset[str]]] = {
    # the first day of a Gregorian range within one year ("20 February – 20 March 2023")
    "dates.date_same_year": (frozenset({"day", "month"}), frozenset({"day", "month"})),
}
_COUNTED = ("events", *(f"claims.{s}" for s in CLAIM_STATUSES), "unplaced")
_STRINGS = (
    "number.digits",
    "number.group",
    "list.separator",
    "list.last",
    "sublist.separator",
    "sublist.last",
)
_FORMS = ("zero", "one", "other")


def fa_number(n: int | str) -> str:
    """Persian digits with the Persian thousands separator: 3742 → ۳٬۷۴۲."""
    s = f"{n:,}" if isinstance(n, int) else n
    return s.replace(",", "٬").translate(_FA_DIGITS)


# --- the phrases file -----------------------------------------------------------------------------
def _lookup(node: Any, key: str) -> Any:
    for part in key.split("."):
        if not isinstance(node, Mapping) or part not in node:
            return None
        node = node[part]
    return node


def _placeholders(template: str) -> set[str]:
    """The ``{names}`` of a template; ValueError for a malformed one or an expression ({a.b}, {a[0]})."""
    names = set()
    for _, name, spec, conversion in string.Formatter().parse(template):
        if name is None:
            continue
        if not name.isidentifier() or spec or conversion:
            raise ValueError(f"{{{name}}} is not a plain placeholder")
        names.add(name)
    return names


def _check_template(value: Any, where: str, allowed: frozenset[str], required: frozenset[str]) -> list[str]:
    if not isinstance(value, str):
        return [f"{where}: expected a string, not {value!r}"]
    try:
        used = _placeholders(value)
    except ValueError as exc:
        return [f"{where}: {exc}"]
    problems = []
    if used - allowed:
        unknown = ", ".join(f"{{{x}}}" for x in sorted(used - allowed))
        known = ", ".join(f"{{{x}}}" for x in sorted(allowed)) or "none"
        problems.append(f"{where}: unknown placeholder {unknown} (this template takes {known})")
    if required - used:
        problems.append(f"{where}: missing {', '.join(f'{{{x}}}' for x in sorted(required - used))}")
    return problems


def _check_counted(value: Any, where: str) -> list[str]:
    n = frozenset({"n"})
    if isinstance(value, str):
        return _check_template(value, where, n, n)
    if not isinstance(value, Mapping) or "other" not in value or set(value) - set(_FORMS):
        return [f"{where}: expected a string or a mapping of one/other (and optionally zero) forms"]
    problems = []
    for form, text in value.items():
        problems += _check_template(text, f"{where}.{form}", n, n if form == "other" else frozenset())
    return problems


def _validate(data: Any, source: str) -> list[str]:
    if not isinstance(data, Mapping):
        return ["expected a mapping of language → phrases at top level"]
    problems = []
    for lang in LANGUAGES:
        section = data.get(lang)
        if not isinstance(section, Mapping):
            problems.append(f"{lang}: missing (every phrases file has {' and '.join(LANGUAGES)})")
            continue
        for key in _STRINGS:
            if not isinstance(_lookup(section, key), str):
                problems.append(f"{lang}: {key}: missing (a string)")
        digits = _lookup(section, "number.digits")
        if isinstance(digits, str) and len(digits) != 10:
            problems.append(f"{lang}: number.digits: ten digits 0–9, not {digits!r}")
        for key, (allowed, required) in _TEMPLATES.items():
            value = _lookup(section, key)
            if value is None:
                problems.append(f"{lang}: {key}: missing")
            else:
                problems += _check_template(value, f"{lang}: {key}", allowed, required)
        for key, (allowed, required) in _OPTIONAL.items():
            value = _lookup(section, key)
            if value is not None:
                problems += _check_template(value, f"{lang}: {key}", allowed, required)
        for key in _COUNTED:
            value = _lookup(section, key)
            problems += (
                [f"{lang}: {key}: missing"] if value is None else _check_counted(value, f"{lang}: {key}")
            )
        problems += _check_groups(lang, section)
    return problems


def _check_groups(lang: str, section: Mapping[str, Any]) -> list[str]:
    """The counted phrases of categories and subtypes: the default ones and each ``codebooks.<id>``."""
    problems = []
    books = section.get("codebooks") or {}
    if not isinstance(books, Mapping):
        problems.append(f"{lang}: codebooks: a mapping of codebook id → categories and subtypes")
        books = {}
    for where, node in [("", section), *((f"codebooks.{k}.", v) for k, v in books.items())]:
        for group in ("categories", "subtypes"):
            items = node.get(group) if isinstance(node, Mapping) else None
            if not isinstance(items, Mapping):
                problems.append(f"{lang}: {where}{group}: missing (a mapping of id → counted phrase)")
                continue
            for key, value in items.items():
                problems += _check_counted(value, f"{lang}: {where}{group}.{key}")
    return problems


@dataclass(frozen=True)
class Phrases:
    """The statement's words in every language of a phrases file (see :func:`load_phrases`)."""

    source: str
    data: Mapping[str, Mapping[str, Any]]

    def _get(self, lang: str, key: str) -> Any:
        if lang not in self.data:
            raise ConfigError(f"no statement in {lang!r}: {self.source} has {', '.join(self.data)}")
        return _lookup(self.data[lang], key)

    def has(self, lang: str, key: str) -> bool:
        return self._get(lang, key) is not None

    def text(self, lang: str, key: str, **values: str) -> str:
        """The template ``key`` of ``lang`` filled with ``values``."""
        return str(self._get(lang, key)).format(**values)

    def digits(self, lang: str, s: str) -> str:
        """``s`` with the language's digits (years, days: no thousands separator)."""
        return s.translate(str.maketrans("0123456789", str(self._get(lang, "number.digits"))))

    def number(self, lang: str, n: int) -> str:
        """A count with the language's digits and thousands separator: 3,742 or ۳٬۷۴۲."""
        return self.digits(lang, f"{n:,}".replace(",", str(self._get(lang, "number.group"))))

    def counted(self, lang: str, key: str, n: int) -> str:
        """The counted phrase ``key`` in the form for ``n``: "1 act of arson", "3 acts of arson"."""
        node = self._get(lang, key)
        if node is None:
            raise ConfigError(f"{self.source}: {lang}: {key}: missing")
        if not isinstance(node, Mapping):
            form = node
        elif n == 0 and "zero" in node:
            form = node["zero"]
        elif n == 1 and "one" in node:
            form = node["one"]
        else:
            form = node["other"]
        return str(form).format(n=self.number(lang, n))

    def join(self, lang: str, kind: str, items: Sequence[str]) -> str:
        """Items as a list in ``lang``: "a, b and c" (``kind`` is ``list`` or ``sublist``)."""
        if len(items) <= 1:
            return "".join(items)
        sep, last = str(self._get(lang, f"{kind}.separator")), str(self._get(lang, f"{kind}.last"))
        return sep.join(items[:-1]) + last + items[-1]

    def for_codebook(self, codebook_id: str) -> Phrases:
        """These phrases for the statement of ``codebook_id``: its own ``codebooks.<id>`` categories
        and subtypes, where the file has them, replace the default ones."""
        data: dict[str, Mapping[str, Any]] = {}
        for lang, section in self.data.items():
            own = (section.get("codebooks") or {}).get(codebook_id)
            data[lang] = (
                {**section, "categories": own["categories"], "subtypes": own["subtypes"]} if own else section
            )
        return Phrases(self.source, data)

    def check(self, codebook: Codebook) -> None:
        """:class:`ConfigError` naming every category and subtype of ``codebook`` without phrases."""
        missing = [
            f"{lang}: {group}.{key}"
            for lang in LANGUAGES
            for group, keys in (
                ("categories", [c.id for c in codebook.categories]),
                ("subtypes", list(codebook.subtypes)),
            )
            for key in keys
            if key not in (self.data[lang].get(group) or {})
        ]
        if missing:
            raise ConfigError(
                f"{self.source}: no statement phrases for {len(missing)} id(s) of codebook {codebook.ref}: "
                f"{'; '.join(missing)} — add them (singular and plural in English, the counted form in "
                "Persian), or give another phrases file (eventledger statement --phrases FILE)"
            )


def shipped_phrases_path() -> Path:
    return shipped_path("data", "phrases", "statement.yaml")


def _read_yaml(path: str | Path, what: str) -> Any:
    """A YAML file's content; a :class:`ConfigError` naming the file when it is missing or unreadable."""
    try:
        return yaml.safe_load(Path(path).read_text(encoding="utf-8"))
    except FileNotFoundError as exc:
        raise ConfigError(f"{what} not found: {path}") from exc
    except (OSError, UnicodeDecodeError, yaml.YAMLError) as exc:
        raise ConfigError(f"{path}: not a readable YAML {what}: {exc}") from exc


@lru_cache(maxsize=8)
def _load(path: str) -> Phrases:
    data = _read_yaml(path, "phrases file")
    problems = _validate(data, path)
    if problems:
        raise ConfigError(f"{path}: invalid phrases file: " + "; ".join(problems))
    return Phrases(path, {lang: data[lang] for lang in LANGUAGES})


def load_phrases(path: str | Path | None = None, codebook: Codebook | None = None) -> Phrases:
    """Load and validate a phrases file (default: the shipped one); with ``codebook``, also check
    that it has phrases for every category and subtype of it in every language. Errors are
    :class:`ConfigError` naming the file, the language and the key."""
    phrases = _load(str(path or shipped_phrases_path()))
    if codebook is not None:
        phrases = phrases.for_codebook(codebook.id)
        phrases.check(codebook)
    return phrases


# --- actor names ----------------------------------------------------------------------------------
def load_actor_names(path: str | Path) -> dict[str, dict[str, str]]:
    """An actor names file: a YAML mapping of actor id → ``{en: NAME, fa: NAME}`` (either may be
    left out). Its names replace the codebook's ``actors[].name`` in the statement."""
    data = _read_yaml(path, "actor names file")
    if not isinstance(data, Mapping):
        raise ConfigError(f"{path}: expected a mapping of actor id → {{en: NAME, fa: NAME}}")
    names: dict[str, dict[str, str]] = {}
    for actor, node in data.items():
        ok = (
            isinstance(node, Mapping)
            and node
            and all(k in LANGUAGES and isinstance(v, str) and v.strip() for k, v in node.items())
        )
        if not ok:
            raise ConfigError(
                f"{path}: {actor}: expected {{en: NAME, fa: NAME}} (non-empty strings), not {node!r}"
            )
        names[str(actor)] = {str(k): str(v).strip() for k, v in node.items()}
    return names


def actor_name(
    actor: str, lang: str, codebook: Codebook, names: Mapping[str, Mapping[str, str]] | None = None
) -> str:
    """The display name of an actor id in ``lang``: the names file's, else the codebook's, else the
    other language's name, else the id."""
    found = dict((names or {}).get(actor) or {})
    for a in codebook.actors:
        if a.id == actor:
            found = {**a.name, **found}
    return found.get(lang) or next((v for v in found.values() if v), actor)


def _province_name(iso: str, lang: str) -> str:
    try:
        p = default_gazetteer().province(iso)
    except NotFoundError:
        return iso
    return str((p.name_fa or p.name) if lang == "fa" else p.name)


# --- dates and periods ----------------------------------------------------------------------------
def _date(ph: Phrases, lang: str, d: dt.date, calendar: str, short: bool = False) -> str:
    y, m, day = to_jalali(d) if calendar == "jalali" else (d.year, d.month, d.day)
    key = "dates.date_same_year" if short and ph.has(lang, "dates.date_same_year") else "dates.date"
    month = _MONTHS[(calendar, lang)][m - 1]
    return ph.text(lang, key, day=ph.digits(lang, str(day)), month=month, year=ph.digits(lang, str(y)))


def _range(ph: Phrases, lang: str, p: Period, calendar: str) -> str:
    same_year = calendar == "gregorian" and p.start.year == p.end.year
    return ph.text(
        lang,
        "dates.range",
        start=_date(ph, lang, p.start, calendar, short=same_year),
        end=_date(ph, lang, p.end, calendar),
    )


def jalali_date(d: dt.date, lang: str) -> str:
    """A Solar Hijri date written out: «۲۸ بهمن ۱۴۰۱» or "28 Bahman 1401"."""
    return _date(load_phrases(), lang, d, "jalali")


def period_phrase(p: Period, lang: str, *, phrases: Phrases | None = None) -> str:
    """ "the Iranian year 1401 (21 March 2022 – 20 March 2023)" and the like, in both calendars."""
    ph = phrases or load_phrases()
    values = {
        "label": ph.digits(lang, p.label),
        "jalali": _range(ph, lang, p, "jalali"),
        "gregorian": _range(ph, lang, p, "gregorian"),
        "month": "",
        "year": "",
    }
    if p.kind == "month" and p.calendar == "jalali":
        y, m = (int(x) for x in p.label.split("-"))
        values |= {"month": _MONTHS[("jalali", lang)][m - 1], "year": ph.digits(lang, str(y))}
    elif p.kind == "month":
        values |= {
            "month": _MONTHS[("gregorian", lang)][p.start.month - 1],
            "year": ph.digits(lang, str(p.start.year)),
        }
    key = f"{p.calendar}_{p.kind}" if p.kind in ("year", "month") else "range"
    return ph.text(lang, f"period.{key}", **values)


# --- the statement --------------------------------------------------------------------------------
def reproduce_command(
    period: Period,
    filters: Mapping[str, str | None],
    *,
    by: Sequence[str] = ("subtype", "claim_status"),
    codebook: str = DEFAULT_CODEBOOK,
) -> str:
    parts = ["eventledger", "tally", "--period", period.label, "--calendar", period.calendar]
    if codebook != DEFAULT_CODEBOOK:  # another codebook's events
        parts += ["--codebook", codebook]
    for b in by:
        parts += ["--by", b]
    for key, value in filters.items():
        if value:
            parts += [f"--{key.replace('_', '-')}", value]
    return " ".join(shlex.quote(p) for p in parts)


def _categories(ph: Phrases, lang: str, t: Mapping[str, Any], codebook: Codebook) -> list[str]:
    """ "114 propaganda acts (44 wall slogans; …)", one per category with events, in codebook order."""
    by_sub: Mapping[str, int] = t.get("by_subtype") or {}
    parts = []
    for cat in codebook.categories:
        n = t["by_category"].get(cat.id, 0)
        if not n:
            continue
        subs = [ph.counted(lang, f"subtypes.{s}", by_sub[s]) for s in cat.subtypes if by_sub.get(s)]
        count = ph.counted(lang, f"categories.{cat.id}", n)
        parts.append(
            ph.text(lang, "category", count=count, subtypes=ph.join(lang, "sublist", subs)) if subs else count
        )
    return parts


def _scope(
    ph: Phrases,
    lang: str,
    filters: Mapping[str, str | None],
    codebook: Codebook,
    actor_names: Mapping[str, Mapping[str, str]] | None,
) -> str:
    """What the count is restricted to: " attributed to Sepideh Network in the province of Tehran"."""
    scope = ""
    if filters.get("actor"):
        name = actor_name(str(filters["actor"]), lang, codebook, actor_names)
        scope += ph.text(lang, "scope.actor", actor=name)
    province = filters.get("province")
    if province and province.lower() == "none":
        scope += ph.text(lang, "scope.province_none")
    elif province:
        scope += ph.text(lang, "scope.province", province=_province_name(province, lang))
    claim_filter = filters.get("claim_status")
    if claim_filter:
        if claim_filter not in CLAIM_STATUSES:
            raise ConfigError(f"claim status {claim_filter!r} is not one of {', '.join(CLAIM_STATUSES)}")
        scope += ph.text(lang, f"scope.claim_status.{claim_filter}")
    return scope


def _claims(ph: Phrases, lang: str, total: int, claims: Mapping[str, int]) -> list[str]:
    """The sentence on claim statuses: "Of these, 135 were claimed …" (or "It was …" for one event)."""
    if total == 1:
        status = next((s for s in CLAIM_STATUSES if claims.get(s)), None)
        return [ph.text(lang, f"claims.single.{status}")] if status else []
    items = [ph.counted(lang, f"claims.{s}", int(claims.get(s, 0))) for s in CLAIM_STATUSES]
    return [ph.text(lang, "claims.sentence", list=ph.join(lang, "list", items))]


def statement(
    t: Mapping[str, Any],
    period: Period,
    codebook: Codebook,
    lang: str = "en",
    filters: Mapping[str, str | None] | None = None,
    *,
    phrases: Phrases | None = None,
    actor_names: Mapping[str, Mapping[str, str]] | None = None,
) -> str:
    """Compose the statement from a tally with ``by_subtype`` and ``by_claim_status`` (and
    ``by_province``, for the count of events whose place the reports do not give).

    ``filters`` (``actor``, ``province``, ``claim_status``) say what the tally was restricted to;
    ``phrases`` (default: the shipped file) must cover every category and subtype of ``codebook``;
    ``actor_names`` (id → {en, fa}) replaces the codebook's actor names.
    """
    filters = filters or {}
    ph = (phrases or load_phrases()).for_codebook(codebook.id)
    ph.check(codebook)
    ph.has(lang, "opening")  # an unknown language is a ConfigError here
    parts = _categories(ph, lang, t, codebook)
    scope = _scope(ph, lang, filters, codebook, actor_names)
    total = int(t["total"])
    where = period_phrase(period, lang, phrases=ph)
    events = ph.counted(lang, "events", total)
    if not total:
        sentences = [ph.text(lang, "opening_none", period=where, scope=scope)]
    elif parts:
        categories = ph.join(lang, "list", parts)
        sentences = [
            ph.text(lang, "opening", period=where, events=events, scope=scope, categories=categories)
        ]
    else:  # counted in categories the codebook does not have
        sentences = [ph.text(lang, "opening_total", period=where, events=events, scope=scope)]

    claims: Mapping[str, int] | None = t.get("by_claim_status")
    if total and claims is not None and not filters.get("claim_status"):
        sentences += _claims(ph, lang, total, claims)

    by_province: Mapping[str, int] | None = t.get("by_province")
    unplaced = int(by_province.get("unknown", 0)) if by_province is not None else 0
    if total and unplaced:
        sentences.append(
            ph.text(lang, "unplaced_single") if total == 1 else ph.counted(lang, "unplaced", unplaced)
        )

    by = ("subtype", "claim_status", *(("province",) if by_province is not None else ()))
    sentences.append(ph.text(lang, "method"))
    sentences.append(
        ph.text(lang, "reproduce", command=reproduce_command(period, filters, by=by, codebook=codebook.id))
    )
    return " ".join(sentences)
