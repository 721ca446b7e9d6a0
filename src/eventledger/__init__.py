"""eventledger: media reports in; coded, sourced, de-duplicated events and period statistics out.

Use it as a library::

    import eventledger as el

    store = el.Store.open("ledger.db")                       # SQLite file, or a PostgreSQL URL
    result = el.Ingestor(store).ingest(["reports.jsonl"])     # read, code, geocode, resolve, write
    with store.connect() as conn:
        counts = el.tally(conn, el.EventFilter(period=el.parse_period("1401")), by=["month"])
    store.close()

The names below are the public API (``eventledger.__all__``); they are loaded on first use, so that
``import eventledger`` stays light. Everything else is internal and may change between versions.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

from eventledger.version import __version__

if TYPE_CHECKING:
    from eventledger.aggregate.periods import Period, parse_period
    from eventledger.errors import (
        AuthError,
        CodebookError,
        ConfigError,
        EventLedgerError,
        FetchError,
        InputError,
        NotFoundError,
        PeriodError,
        PermissionDenied,
        ReviewError,
        StoreError,
    )
    from eventledger.extract.codebook import Codebook, load_codebook
    from eventledger.extract.coder import RuleCoder
    from eventledger.pipeline import Ingestor, IngestResult
    from eventledger.records import Document, Mention, RawReport
    from eventledger.sources.files import ReadOptions
    from eventledger.store.db import Store
    from eventledger.store.queries import EventFilter, list_events, tally

# public name → the module that defines it
_EXPORTS: dict[str, str] = {
    "Store": "eventledger.store.db",
    "Ingestor": "eventledger.pipeline",
    "IngestResult": "eventledger.pipeline",
    "ReadOptions": "eventledger.sources.files",
    "EventFilter": "eventledger.store.queries",
    "tally": "eventledger.store.queries",
    "list_events": "eventledger.store.queries",
    "Period": "eventledger.aggregate.periods",
    "parse_period": "eventledger.aggregate.periods",
    "Codebook": "eventledger.extract.codebook",
    "load_codebook": "eventledger.extract.codebook",
    "RuleCoder": "eventledger.extract.coder",
    "RawReport": "eventledger.records",
    "Document": "eventledger.records",
    "Mention": "eventledger.records",
    **{
        name: "eventledger.errors"
        for name in (
            "EventLedgerError",
            "ConfigError",
            "PeriodError",
            "CodebookError",
            "InputError",
            "FetchError",
            "StoreError",
            "NotFoundError",
            "ReviewError",
            "AuthError",
            "PermissionDenied",
        )
    },
}

__all__ = [
    "AuthError",
    "Codebook",
    "CodebookError",
    "ConfigError",
    "Document",
    "EventFilter",
    "EventLedgerError",
    "FetchError",
    "IngestResult",
    "Ingestor",
    "InputError",
    "Mention",
    "NotFoundError",
    "Period",
    "PeriodError",
    "PermissionDenied",
    "RawReport",
    "ReadOptions",
    "ReviewError",
    "RuleCoder",
    "Store",
    "StoreError",
    "__version__",
    "list_events",
    "load_codebook",
    "parse_period",
    "tally",
]


def __getattr__(name: str) -> Any:
    module = _EXPORTS.get(name)
    if module is None:
        raise AttributeError(f"module 'eventledger' has no attribute {name!r}")
    value = getattr(importlib.import_module(module), name)
    globals()[name] = value  # the next access is a plain attribute
    return value


def __dir__() -> list[str]:
    return sorted(__all__)
