"""The event filter checked against what exists: a misspelled value is an error, never a silent zero.

Every value of an :class:`~eventledger.store.queries.EventFilter` is looked up where it lives — a
category or subtype in the codebook (by id or by its label in English or Persian), a province by
ISO 3166-2 code or by name in either language, a country by ISO code or name (gazetteer), an actor
in the codebook or the store, an outlet in the store (any letter case) — and replaced by its id.
A value that is none of these raises :class:`~eventledger.errors.FilterError` naming the field,
the value and the nearest valid values ("did you mean violence?"); the CLI exits with 2, the API
answers 422, the pages show the error above the form they keep.
"""

from __future__ import annotations

import difflib
from collections.abc import Iterable, Mapping
from dataclasses import replace
from typing import Any

from sqlalchemy import Connection, select

from eventledger.errors import FilterError, NotFoundError
from eventledger.extract.codebook import Codebook
from eventledger.geocode.gazetteer import Gazetteer
from eventledger.normalize.text import fold
from eventledger.store.queries import EventFilter
from eventledger.store.schema import events, outlets

MAX_SUGGESTIONS = 3


def _pick(field: str, value: str, names: Mapping[str, str]) -> str:
    """The id of ``value`` among ``names`` (fold key of an id or a label → id), or FilterError."""
    key = fold(value)
    if key in names:
        return names[key]
    close = difflib.get_close_matches(key, list(names), n=MAX_SUGGESTIONS * 3, cutoff=0.6)
    ids = list(dict.fromkeys(names[c] for c in close))[:MAX_SUGGESTIONS]
    hint = f"; did you mean {' or '.join(ids)}?" if ids else ""
    raise FilterError(f"unknown {field} {value!r}{hint}")


def _names(items: Iterable[tuple[str, Iterable[str | None]]]) -> dict[str, str]:
    out: dict[str, str] = {}
    for ident, labels in items:
        for label in (ident, *labels):
            if label:
                out.setdefault(fold(label), ident)
    return out


def _pick_coded(conn: Connection, field: str, value: str, names: dict[str, str]) -> str:
    """A category or subtype: the codebook's (by id or label), or one the stored events carry (a
    store coded with another codebook)."""
    if fold(value) not in names:
        column = events.c.category if field == "category" else events.c.subtype
        names = {**names, **_names((v, ()) for v in conn.execute(select(column).distinct()).scalars() if v)}
    return _pick(field, value, names)


def _category_names(cb: Codebook) -> dict[str, str]:
    return _names((c.id, c.label.values()) for c in cb.categories)


def _subtype_names(cb: Codebook) -> dict[str, str]:
    return _names((s.id, s.label.values()) for s in cb.subtypes.values())


def _province(value: str, gaz: Gazetteer) -> str:
    if value.lower() == "none":
        return "none"
    try:
        return gaz.province(value).place_id
    except NotFoundError:
        pass
    found = [p for p in gaz.lookup(value) if p.precision == "province" and p.country == "IR"]
    if len(found) == 1:
        return found[0].place_id
    return _pick("province", value, _names((p.place_id, (p.name, p.name_fa)) for p in gaz.provinces()))


def _country(value: str, gaz: Gazetteer) -> str:
    try:
        return gaz.country(value).country
    except NotFoundError:
        pass
    found = [p for p in gaz.lookup(value) if p.precision == "country"]
    if len(found) == 1:
        return found[0].country
    countries = [p for p in gaz.places() if p.precision == "country"]
    return _pick("country", value, _names((p.country, (p.name, p.name_fa)) for p in countries))


def resolve_outlet(conn: Connection, name: str) -> str:
    """An outlet of the store by name (any letter case), or FilterError with the nearest names."""
    names = conn.execute(select(outlets.c.name)).scalars()
    return _pick("outlet", name, _names((n, ()) for n in names))


def check_filter(conn: Connection, flt: EventFilter, codebook: Codebook, gazetteer: Gazetteer) -> EventFilter:
    """``flt`` with every value resolved to its id; FilterError for a value that names nothing."""
    changes: dict[str, Any] = {}
    if flt.category:
        changes["category"] = _pick_coded(conn, "category", flt.category, _category_names(codebook))
    if flt.subtype:
        subtype = _pick_coded(conn, "subtype", flt.subtype, _subtype_names(codebook))
        category = changes.get("category")
        if category and subtype in codebook.subtypes and codebook.category_of(subtype) != category:
            raise FilterError(f"subtype {subtype!r} is not of category {category!r}")
        changes["subtype"] = subtype
    if flt.province:
        changes["province"] = _province(flt.province, gazetteer)
    if flt.country:
        changes["country"] = _country(flt.country, gazetteer)
    if flt.actor:
        stored = conn.execute(select(events.c.actor).where(events.c.actor.is_not(None)).distinct()).scalars()
        known = _names([*((a.id, a.name.values()) for a in codebook.actors), *((a, ()) for a in stored)])
        changes["actor"] = _pick("actor", flt.actor, known)
    if flt.outlet:
        changes["outlet"] = resolve_outlet(conn, flt.outlet)
    return replace(flt, **changes) if changes else flt
