"""Output renderers for tallies, event lists and single events: table, JSON/JSONL, CSV.

Report text is untrusted: terminal tables are built from :class:`rich.text.Text` cells, so that a
report containing ``[bold]`` or escape sequences prints as the characters it contains, and every
CSV cell goes through :func:`csv_cell`, so that a spreadsheet never reads one as a formula.
"""

from __future__ import annotations

import csv
import io
import json
import re
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

from rich.console import Console
from rich.table import Table
from rich.text import Text

from eventledger.aggregate.periods import month_label
from eventledger.extract.codebook import Codebook
from eventledger.report.messages import message, number
from eventledger.report.statement import fa_number

_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")

EVENT_CSV_COLUMNS = (
    "id", "category", "subtype", "date", "date_jalali", "date_precision", "place_name", "place_name_fa",
    "country", "admin1", "lat", "lon", "place_precision", "quantity", "actor", "claim_status",
    "n_sources", "n_mentions", "confidence", "review_status", "source_ids", "source_urls", "source_outlets",
)  # fmt: skip


def safe(value: Any) -> Text:
    """A table cell that shows untrusted text literally (no markup, no control characters)."""
    return Text("" if value is None else _CONTROL.sub("", str(value)))


def rows_table(columns: Sequence[str], rows: Iterable[Sequence[Any]], style: Any = None) -> Table:
    """A plain table of ``rows``; every cell goes through :func:`safe`. ``style(row)`` may colour a row."""
    table = Table(show_edge=False)
    for c in columns:
        table.add_column(c)
    for row in rows:
        table.add_row(*(safe(x) for x in row), style=style(row) if style else None)
    return table


# a spreadsheet reads a cell that starts with one of these as a formula (OWASP "CSV injection")
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def csv_cell(value: Any) -> Any:
    """``value`` safe in a CSV/TSV cell: text that a spreadsheet would run as a formula gets a
    leading ``'`` (so ``=HYPERLINK(…)`` shows as text); numbers and other values are kept."""
    if isinstance(value, str) and value.startswith(_FORMULA_START):
        return "'" + value
    return value


class CsvWriter:
    """:func:`csv.writer` whose every cell goes through :func:`csv_cell`.

    The csv module quotes a cell holding a line feed but not one holding a lone carriage return,
    which a spreadsheet reads as the start of a new row (whose first cell could be a formula): a
    row with such a cell is written with every cell quoted.
    """

    def __init__(self, out: Any, delimiter: str = ",") -> None:
        self._plain = csv.writer(out, delimiter=delimiter, lineterminator="\n")
        self._quoted = csv.writer(out, delimiter=delimiter, lineterminator="\n", quoting=csv.QUOTE_ALL)

    def writerow(self, row: Iterable[Any]) -> None:
        cells = [csv_cell(v) for v in row]
        returns = any(isinstance(c, str) and "\r" in c for c in cells)
        (self._quoted if returns else self._plain).writerow(cells)


def dumps(obj: Any) -> str:
    return json.dumps(obj, ensure_ascii=False, indent=2, default=str)


# --- tallies --------------------------------------------------------------------------------------------------
def tally_csv(t: Mapping[str, Any]) -> str:
    buf = io.StringIO()
    w = CsvWriter(buf)
    w.writerow(["breakdown", "key", "events"])
    w.writerow(["total", "", t["total"]])
    for key, value in t.items():
        if key.startswith("by_"):
            for k, n in value.items():
                w.writerow([key.removeprefix("by_"), k, n])
    return buf.getvalue()


def tally_table(
    t: Mapping[str, Any],
    codebook: Codebook,
    console: Console,
    labels: Mapping[str, str] | None = None,
    *,
    lang: str = "en",
) -> None:
    """The tally as terminal tables; ``lang="fa"``: Persian labels, month names and digits."""
    labels = labels or {}
    p = t.get("period")
    if p:
        calendar = p["calendar"] if lang == "en" else message(lang, p["calendar"])
        title = message(
            lang, "cli_tally_title", calendar=calendar, period=p["label"], start=p["start"], end=p["end"]
        )
        title = fa_number(title) if lang == "fa" else title
    else:
        title = message(lang, "cli_events")
    console.print(Text(title, style="bold"))
    console.print(Text(f"{message(lang, 'cli_total')}: {number(t['total'], lang)}"))
    for key, value in t.items():
        if not key.startswith("by_"):
            continue
        name = key.removeprefix("by_")
        table = Table(title=message(lang, f"cli_by_{name}"), title_justify="left", show_edge=False)
        table.add_column(name if lang == "en" else message(lang, name))
        table.add_column(message(lang, "cli_label"))
        table.add_column(
            message(lang, "cli_events").lower() if lang == "en" else message(lang, "cli_events"),
            justify="right",
        )
        for k, n in value.items():
            if name == "month" and p:
                label = month_label(k, p["calendar"], lang)
                label = fa_number(label) if lang == "fa" else label
            elif name in ("claim_status", "review_status"):
                label = message(lang, k)
            else:
                label = labels.get(k) or codebook.label(k, lang)
            table.add_row(safe(k), safe(label), safe(number(n, lang)))
        console.print(table)


# --- events -----------------------------------------------------------------------------------------------------
def event_row(e: Mapping[str, Any]) -> dict[str, Any]:
    place = e["place"]
    return {
        "id": e["id"],
        "category": e["category"],
        "subtype": e["subtype"],
        "date": e["date"],
        "date_jalali": e["date_jalali"],
        "date_precision": e["date_precision"],
        "place_name": place["name"],
        "place_name_fa": place["name_fa"],
        "country": place["country"],
        "admin1": place["admin1"],
        "lat": place["lat"],
        "lon": place["lon"],
        "place_precision": place["precision"],
        "quantity": e["quantity"],
        "actor": e["actor"],
        "claim_status": e["claim_status"],
        "n_sources": e["n_sources"],
        "n_mentions": e["n_mentions"],
        "confidence": e["confidence"],
        "review_status": e["review_status"],
        "source_ids": " ".join(str(s["external_id"] or "") for s in e["sources"]),
        "source_urls": " ".join(str(s["url"] or "") for s in e["sources"]),
        "source_outlets": "; ".join(sorted({s["outlet"] for s in e["sources"]})),
    }


def events_csv(rows: Iterable[Mapping[str, Any]], out: io.TextIOBase | Any) -> None:
    w = CsvWriter(out)
    w.writerow(EVENT_CSV_COLUMNS)
    for e in rows:
        row = event_row(e)
        w.writerow(row[c] for c in EVENT_CSV_COLUMNS)


def events_table(
    rows: Iterable[Mapping[str, Any]], console: Console, codebook: Codebook | None = None, lang: str = "en"
) -> int:
    """Events as a terminal table; ``lang="fa"``: Persian headers, labels, place names and digits."""
    table = Table(show_edge=False)
    for key, justify in (("cli_id", "right"), ("date", "left"), ("jalali", "left"), ("subtype", "left"),
                         ("place", "left"), ("province", "left"), ("claim_status", "left"),
                         ("sources", "right")):  # fmt: skip
        table.add_column(message(lang, key), justify=justify)  # type: ignore[arg-type]
    n = 0
    for e in rows:
        p = e["place"]
        kind = f"{e['category']}/{e['subtype']}"
        if codebook is not None and lang != "en":
            kind = f"{codebook.label(e['category'], lang)}/{codebook.label(e['subtype'], lang)}"
        place = (p.get("name_fa") or p["name"]) if lang == "fa" else p["name"]
        table.add_row(
            safe(e["id"]),
            safe(e["date"]),
            safe(fa_number(e["date_jalali"]) if lang == "fa" else e["date_jalali"]),
            safe(kind),
            safe(place or message(lang, "place_not_given")),
            safe(p["admin1"] or p["country"] or ""),
            safe(message(lang, e["claim_status"]) if lang != "en" else e["claim_status"]),
            safe(number(e["n_sources"], lang)),
        )
        n += 1
    console.print(table)
    return n


def show_text(ev: Mapping[str, Any], console: Console) -> None:
    p = ev["place"]
    head = (
        f"Event {ev['id']}: {ev['category']}/{ev['subtype']} — {p['name'] or 'unknown place'}"
        f"{' (' + (p['admin1'] or p['country'] or '') + ')' if (p['admin1'] or p['country']) else ''}"
        f" — {ev['date']} ({ev['date_jalali']} SH, {ev['date_precision']})"
    )
    console.print(safe(head), style="bold")
    status = ev.get("review_status") or "machine"
    if status in ("rejected", "merged"):  # never counted: say so before anything else
        into = f" into event {ev['merged_into']}" if status == "merged" and ev.get("merged_into") else ""
        console.print(safe(f"review: {status}{into} — not counted in any tally"), style="bold red")
    elif status != "machine":
        console.print(safe(f"review: {status} by a coder"), style="green")
    console.print(
        safe(
            f"claim status: {ev['claim_status']} · sources: {ev['n_sources']} · mentions: {ev['n_mentions']}"
            f" · quantity: {ev['quantity'] if ev['quantity'] is not None else '—'} · actor: {ev['actor'] or '—'}"
            f" · place precision: {p['precision']} · lat/lon: {p['lat']}, {p['lon']}"
        )
    )
    for i, m in enumerate(ev["mentions"], 1):
        console.print()
        console.print(
            safe(f"[{i}] {m['outlet']} · {m['external_id'] or ''} · {m['published']} · {m['url'] or ''}"),
            style="cyan",
        )
        sentence = safe(m["sentence"])
        # highlight the trigger inside the sentence
        s0 = m["trigger_span"][0] - m["span"][0]
        s1 = m["trigger_span"][1] - m["span"][0]
        if 0 <= s0 < s1 <= len(m["sentence"]):
            sentence.stylize("bold underline", s0, s1)
        console.print(Text("  “").append(sentence).append("”"))
        console.print(
            safe(
                f"  {m['field']} chars {m['span'][0]}–{m['span'][1]} · date: {m['date']} ({m['date_precision']}"
                f"{': ' + m['date_text'] if m['date_text'] else ''}) · place: {m['place_text'] or m['place'] or '—'}"
                f" · claimant: {m['claimant'] or '—'} · target: {m['target'] or '—'} · confidence {m['confidence']}"
                f" · {m['coder']} · {m['codebook']}{' · flags: ' + ','.join(m['flags']) if m['flags'] else ''}"
            ),
            style="dim",
        )
