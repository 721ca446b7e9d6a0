"""Hostile or garbage text costs the coder bounded work: sentences are bounded, coding is linear in a
report's length, and a report over its time budget is that report's error, never a stalled run."""

from __future__ import annotations

import datetime as dt
import itertools

import pytest

from eventledger.errors import BudgetExceeded
from eventledger.extract.coder import RuleCoder
from eventledger.extract.sentences import MAX_SENTENCE_CHARS, sentence_spans
from eventledger.pipeline import process_batch
from eventledger.records import RawReport, RecordError
from tests.conftest import make_doc

RUN_ON_EN = "protesters gathered in Tabriz and a bomb exploded in Tehran on Thursday, "
RUN_ON_FA = "معترضان در تبریز تجمع کردند و بمب در تهران منفجر شد "


@pytest.mark.parametrize("unit", [RUN_ON_EN, RUN_ON_FA, "x" * 50])
def test_a_run_on_text_is_cut_into_bounded_sentences_that_cover_it(unit: str):
    text = unit * 400  # 20-30k characters without a full stop
    spans = sentence_spans(text)
    assert len(spans) > 1
    assert all(0 < e - s <= MAX_SENTENCE_CHARS for s, e in spans)
    # nothing but white space is lost between the pieces, and nothing is read twice
    assert spans[0][0] == 0 and spans[-1][1] == len(text.rstrip())
    for (_, e), (s, _) in itertools.pairwise(spans):
        assert e <= s and text[e:s].strip() == ""


def test_a_cut_falls_after_a_clause_break_where_there_is_one():
    spans = sentence_spans(RUN_ON_EN * 100)
    first = (RUN_ON_EN * 100)[spans[0][0] : spans[0][1]]
    assert first.endswith(",")


def test_real_sentences_are_not_cut():
    text = (
        "A bomb exploded in Tehran on Thursday. "
        + "Police said "
        + "the blast was heard far away, " * 30
        + "."
    )
    assert len(sentence_spans(text)) == 2


def test_the_acts_of_a_run_on_report_are_still_found(coder: RuleCoder):
    ms = coder.code(make_doc(RUN_ON_EN * 200))
    assert {(m.subtype, m.place.name) for m in ms} >= {("demonstration", "Tabriz"), ("bombing", "Tehran")}


def test_a_report_over_the_coding_budget_is_an_error_of_that_report(coder: RuleCoder):
    coder.budget_s = 1e-6
    with pytest.raises(BudgetExceeded, match="CPU seconds"):
        coder.code(make_doc(RUN_ON_EN * 50))


def test_a_report_over_budget_does_not_stop_the_batch(coder: RuleCoder):
    coder.budget_s = 0.5
    pub = dt.datetime(2023, 2, 18, 9, tzinfo=dt.UTC)
    hostile = RawReport(text=RUN_ON_EN * 20_000, origin="big.jsonl:1", outlet="x", published=pub, lang="en")
    fine = RawReport(
        text="A bomb exploded in Tehran on Thursday.",
        origin="big.jsonl:2",
        outlet="x",
        published=pub,
        lang="en",
    )
    out = process_batch([hostile, fine], coder)
    err, (doc, mentions) = out.items
    assert isinstance(err, RecordError) and err.origin == "big.jsonl:1"
    assert "CPU seconds" in err.message and "1,4" in err.message  # says how big the report was
    assert doc.origin == "big.jsonl:2" and [m.subtype for m in mentions] == ["bombing"]
