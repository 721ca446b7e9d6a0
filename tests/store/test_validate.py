"""Filter values checked against what exists: a typo is an error naming the nearest valid values."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from eventledger.cli import cli
from eventledger.errors import FilterError
from eventledger.extract.codebook import load_codebook
from eventledger.geocode.gazetteer import default_gazetteer
from eventledger.store.db import Store
from eventledger.store.queries import EventFilter
from eventledger.store.validate import check_filter


@pytest.fixture(scope="module")
def checked(demo_db: Path):
    store = Store.open(demo_db, create=False)
    cb, gaz = load_codebook(), default_gazetteer()

    def check(**kw: str) -> EventFilter:
        with store.connect() as conn:
            return check_filter(conn, EventFilter(**kw), cb, gaz)

    yield check
    store.close()


@pytest.mark.parametrize(
    ("kw", "resolved"),
    [
        ({"category": "violence"}, {"category": "violence"}),
        ({"category": "Acts of violence"}, {"category": "violence"}),  # its label
        ({"province": "Tehran"}, {"province": "IR-23"}),
        ({"province": "تهران"}, {"province": "IR-23"}),
        ({"province": "ir-30"}, {"province": "IR-30"}),
        ({"province": "none"}, {"province": "none"}),
        ({"country": "France"}, {"country": "FR"}),
        ({"outlet": "iran monitor"}, {"outlet": "Iran Monitor"}),
        ({"actor": "Sepideh Network"}, {"actor": "sepideh-network"}),
    ],
)
def test_names_in_either_language_and_any_case_resolve_to_ids(checked, kw, resolved):
    flt = checked(**kw)
    assert {k: getattr(flt, k) for k in resolved} == resolved


@pytest.mark.parametrize(
    ("kw", "message"),
    [
        ({"category": "violance"}, "unknown category 'violance'; did you mean violence?"),
        ({"subtype": "arsen"}, "unknown subtype 'arsen'; did you mean arson?"),
        ({"province": "IR-99"}, "unknown province 'IR-99'; did you mean"),
        ({"province": "Tehrn"}, "did you mean IR-23?"),
        ({"country": "XX"}, "unknown country 'XX'"),
        ({"actor": "sepideh"}, "did you mean sepideh-network?"),
        ({"outlet": "Iran Monitr"}, "did you mean Iran Monitor?"),
        ({"category": "violence", "subtype": "slogan"}, "subtype 'slogan' is not of category 'violence'"),
    ],
)
def test_a_value_that_names_nothing_is_an_error_with_suggestions(checked, kw, message):
    with pytest.raises(FilterError, match=message.replace("?", r"\?").replace("(", r"\(")):
        checked(**kw)


def test_the_cli_refuses_a_typo_instead_of_printing_a_zero(demo_db: Path):
    run = CliRunner().invoke
    res = run(cli, ["--db", str(demo_db), "tally", "--period", "1401", "--category", "violance"])
    assert res.exit_code == 2 and "did you mean violence?" in res.stderr and res.stdout == ""
    res = run(cli, ["--db", str(demo_db), "statement", "--period", "1401", "--actor", "sepideh"])
    assert (
        res.exit_code == 2 and "did you mean sepideh-network?" in res.stderr and "0 events" not in res.stdout
    )
    by_name = run(
        cli, ["--db", str(demo_db), "tally", "--period", "1401", "--province", "Tehran", "--format", "json"]
    )
    by_code = run(
        cli, ["--db", str(demo_db), "tally", "--period", "1401", "--province", "IR-23", "--format", "json"]
    )
    assert by_name.exit_code == 0 and json.loads(by_name.stdout) == json.loads(by_code.stdout)
    assert json.loads(by_code.stdout)["total"] > 0
