"""Coders' changes: every change is audited, counted at once, and can be reverted."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from eventledger.aggregate.periods import parse_period
from eventledger.errors import NotFoundError, PermissionDenied, ReviewError
from eventledger.review import actions
from eventledger.review.actions import Reviewer
from eventledger.review.queue import audit_log, changed_fields, history, queue
from eventledger.store import queries
from eventledger.store.db import Store
from eventledger.store.queries import summary_counts
from eventledger.store.schema import events, mentions

CODER = Reviewer("ana", "coder", None)
P1401 = parse_period("1401")


def _tally(s: Store) -> dict:
    with s.connect() as conn:
        return queries.tally(conn, queries.EventFilter(period=P1401), ["subtype", "province", "claim_status"])


def _dashboard_agrees(s: Store) -> None:
    """The daily count tables give the same figures as counting the events, whatever changed."""
    from unittest import mock

    by = ["subtype", "province", "claim_status", "outlet", "month"]
    with s.connect() as conn:
        flts = [
            queries.EventFilter(period=P1401),
            queries.EventFilter(period=P1401, outlet="Iran Monitor"),
            queries.EventFilter(period=P1401, review_status="corrected"),
        ]
        fast = [queries.tally(conn, f, by) for f in flts]
        d = summary_counts(conn, P1401)
        with mock.patch.object(queries, "_daily_source", return_value=None):
            slow = [queries.tally(conn, f, by) for f in flts]
    assert fast == slow
    t = slow[0]
    assert d["total"] == t["total"]
    assert {k: v for k, v in d["by_subtype"].items() if v} == {k: v for k, v in t["by_subtype"].items() if v}
    assert d["by_area"] == t["by_province"]


def _event(s: Store, **where: object):
    with s.connect() as conn:
        stmt = select(events).where(*(events.c[k] == v for k, v in where.items())).order_by(events.c.id)
        return conn.execute(stmt).first()


def _multi_source_event(s: Store):
    with s.connect() as conn:
        return conn.execute(
            select(events)
            .where(events.c.n_mentions >= 2, events.c.date.between(P1401.start, P1401.end))
            .order_by(events.c.id)
        ).first()


def test_confirm_marks_event_and_mentions_and_is_audited(db):
    ev = _event(db, subtype="arson")
    with db.begin() as conn:
        res = actions.confirm(conn, CODER, ev.id, "checked the video")
    with db.connect() as conn:
        after = conn.execute(select(events.c.review_status).where(events.c.id == ev.id)).scalar_one()
        statuses = set(
            conn.execute(select(mentions.c.review_status).where(mentions.c.event_id == ev.id)).scalars()
        )
        (entry,) = history(conn, ev.id)
    assert after == "confirmed"
    assert statuses == {"confirmed"}
    assert entry["id"] == res.audit_id and entry["user"] == "ana" and entry["action"] == "confirm"
    assert entry["note"] == "checked the video"
    assert (str(ev.id), "review_status", "machine", "confirmed") in changed_fields(entry)
    _dashboard_agrees(db)


def test_reject_removes_the_event_from_every_count_and_revert_brings_it_back(db):
    before = _tally(db)
    ev = _event(db, subtype="arson")
    with db.begin() as conn:
        res = actions.reject(conn, CODER, ev.id, "a metaphor, not an arson")
    after = _tally(db)
    assert after["total"] == before["total"] - 1
    assert after["by_subtype"]["arson"] == before["by_subtype"]["arson"] - 1
    _dashboard_agrees(db)
    with db.connect() as conn:
        listed = [e["id"] for e in queries.list_events(conn, queries.EventFilter(period=P1401))]
        rejected = queries.list_events(conn, queries.EventFilter(review_status="rejected"))
    assert ev.id not in listed and [e["id"] for e in rejected] == [ev.id]
    with db.begin() as conn:
        undo = actions.revert(conn, CODER, res.audit_id)
    assert _tally(db) == before
    _dashboard_agrees(db)
    with db.connect() as conn:
        _, entries = audit_log(conn)
    assert [e["action"] for e in entries[:2]] == ["revert", "reject"]
    assert entries[1]["reverted_by"] == undo.audit_id
    with db.begin() as conn, pytest.raises(ReviewError, match="already reverted"):
        actions.revert(conn, CODER, res.audit_id)


def test_correct_changes_subtype_place_date_quantity_and_the_tally(db, codebook, gazetteer):
    ev = _event(db, subtype="arson")
    before = _tally(db)
    with db.begin() as conn:
        actions.correct(
            conn,
            CODER,
            ev.id,
            {"subtype": "grenade", "place": "IR-30", "date": "1401-11-28", "quantity": "۳"},
            "the video shows a grenade",
        )
    row = _event(db, id=ev.id)
    assert (row.category, row.subtype, row.admin1, row.place_precision) == (
        "violence",
        "grenade",
        "IR-30",
        "province",
    )
    assert (
        row.date.isoformat() == "2023-02-17"
        and row.date_jalali == "1401-11-28"
        and row.date_precision == "day"
    )
    assert row.quantity == 3 and row.review_status == "corrected"
    with db.connect() as conn:
        m = conn.execute(select(mentions).where(mentions.c.event_id == ev.id)).first()
    # the mention keeps its sentence and coder; its coded values follow the correction (training data)
    assert m.subtype == "grenade" and m.review_status == "corrected" and m.sentence and m.coder
    after = _tally(db)
    assert after["by_subtype"]["arson"] == before["by_subtype"]["arson"] - 1
    assert after["by_subtype"]["grenade"] == before["by_subtype"]["grenade"] + 1
    assert after["total"] == before["total"]
    _dashboard_agrees(db)


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"subtype": "teleport"}, "unknown subtype"),
        ({"category": "propaganda"}, "choose a subtype of propaganda"),
        ({"category": "armed", "subtype": "arson"}, "belongs to violence"),
        ({"place": "Atlantis"}, "no place called"),
        ({"date": "1401-13-01"}, "does not exist"),
        ({"date": "yesterday"}, "cannot read date"),
        ({"quantity": "many"}, "not a whole number"),
        ({"colour": "red"}, "cannot correct colour"),
        ({}, "nothing to correct"),
    ],
)
def test_bad_corrections_are_refused_and_change_nothing(db, changes, message):
    ev = _event(db, subtype="arson")
    before = _tally(db)
    with pytest.raises(ReviewError, match=message), db.begin() as conn:
        actions.correct(conn, CODER, ev.id, changes)
    assert _tally(db) == before
    with db.connect() as conn:
        assert history(conn, ev.id) == []


def test_a_category_with_one_subtype_needs_no_subtype(db):
    ev = _event(db, subtype="arson")
    with db.begin() as conn:
        actions.correct(conn, CODER, ev.id, {"category": "armed"})
    assert _event(db, id=ev.id).subtype == "shooting"


def test_merge_moves_reports_recomputes_claim_status_and_reverts(db):
    with db.connect() as conn:
        rows = conn.execute(
            select(events)
            .where(events.c.subtype == "slogan", events.c.date.between(P1401.start, P1401.end))
            .order_by(events.c.id)
            .limit(2)
        ).all()
    target, other = rows
    before = _tally(db)
    with db.begin() as conn:
        res = actions.merge(conn, CODER, target.id, [other.id], "same wall, two reports")
    merged = _event(db, id=other.id)
    kept = _event(db, id=target.id)
    assert merged.review_status == "merged" and merged.merged_into == target.id
    assert kept.n_mentions == target.n_mentions + other.n_mentions
    assert _tally(db)["total"] == before["total"] - 1
    _dashboard_agrees(db)
    with db.connect() as conn:
        assert [h["action"] for h in history(conn, other.id)] == [
            "merge"
        ]  # the merged event shows its history
    with db.begin() as conn:
        actions.revert(conn, CODER, res.audit_id)
    assert _tally(db) == before
    assert _event(db, id=other.id).review_status == other.review_status
    _dashboard_agrees(db)


def test_split_makes_a_new_event_from_chosen_reports_and_reverts(db):
    ev = _multi_source_event(db)
    with db.connect() as conn:
        mids = list(
            conn.execute(
                select(mentions.c.id).where(mentions.c.event_id == ev.id).order_by(mentions.c.id)
            ).scalars()
        )
    before = _tally(db)
    with db.begin() as conn:
        res = actions.split(conn, CODER, ev.id, [mids[-1]], "two different nights")
    new_id = res.event_ids[1]
    new = _event(db, id=new_id)
    assert new.n_mentions == 1 and new.review_status == "corrected"
    assert _event(db, id=ev.id).n_mentions == ev.n_mentions - 1
    assert _tally(db)["total"] == before["total"] + 1
    _dashboard_agrees(db)
    with db.begin() as conn, pytest.raises(ReviewError, match="keep no report"):
        actions.split(conn, CODER, new_id, [mids[-1]])
    with db.begin() as conn:
        actions.revert(conn, CODER, res.audit_id)
    assert _event(db, id=new_id) is None
    assert _tally(db) == before
    _dashboard_agrees(db)


def test_a_later_change_must_be_reverted_first(db):
    ev = _event(db, subtype="arson")
    with db.begin() as conn:
        first = actions.correct(conn, CODER, ev.id, {"quantity": 2})
        second = actions.confirm(conn, CODER, ev.id)
    with db.begin() as conn, pytest.raises(ReviewError, match=f"change #{second.audit_id}"):
        actions.revert(conn, CODER, first.audit_id)
    with db.begin() as conn:
        actions.revert(conn, CODER, second.audit_id)
        actions.revert(conn, CODER, first.audit_id)
    assert _event(db, id=ev.id).quantity == ev.quantity


def test_viewers_cannot_review_and_unknown_events_are_named(db):
    ev = _event(db, subtype="arson")
    with db.begin() as conn, pytest.raises(PermissionDenied):
        actions.confirm(conn, Reviewer("vic", "viewer"), ev.id)
    with db.begin() as conn, pytest.raises(NotFoundError, match="no event with id 999999"):
        actions.confirm(conn, CODER, 999999)


def test_retired_events_refuse_further_review(db):
    ev = _event(db, subtype="arson")
    with db.begin() as conn:
        actions.reject(conn, CODER, ev.id)
    with db.begin() as conn, pytest.raises(ReviewError, match="revert the rejection"):
        actions.confirm(conn, CODER, ev.id)


def test_new_reports_of_a_merged_event_join_the_event_it_was_merged_into(db, tmp_path):
    import json

    from eventledger.pipeline import Ingestor

    with db.connect() as conn:
        ev = queries.event_detail(conn, _event(db, subtype="arson").id)
    m = ev["mentions"][0]
    other = _event(db, subtype="slogan").id
    with db.begin() as conn:
        actions.merge(conn, CODER, other, [ev["id"]])
    # the same report again, from another outlet: it matches the merged event's key
    with db.connect() as conn:
        doc = queries.document_text(conn, m["document_id"])
    path = tmp_path / "again.jsonl"
    record = {
        "id": "again-1",
        "outlet": "Another Outlet",
        "published": m["published"],
        "lang": doc["lang"],
        "text": doc["text"] + "\n\n(reposted)",
    }
    path.write_text(json.dumps(record, ensure_ascii=False) + "\n", encoding="utf-8")
    Ingestor(db).ingest([path])
    with db.connect() as conn:
        joined = (
            conn.execute(
                select(mentions.c.event_id)
                .join_from(mentions, events, events.c.id == mentions.c.event_id)
                .where(
                    mentions.c.sentence == m["sentence"],
                    mentions.c.subtype == "arson",
                    mentions.c.place_name == m["place"],
                )
            )
            .scalars()
            .all()
        )
    assert len(joined) == 2 and set(joined) == {
        other
    }  # nothing attaches to the retired event: the report joins the target


def test_queue_puts_the_least_confident_unreviewed_events_first(db):
    with db.connect() as conn:
        total, items = queue(conn, queries.EventFilter(period=P1401), limit=20)
    conf = [it["event"].confidence for it in items]
    assert total > 0 and conf == sorted(conf)
    assert all(it["event"].review_status == "machine" for it in items)
    first = items[0]["event"].id
    with db.begin() as conn:
        actions.confirm(conn, CODER, first)
    with db.connect() as conn:
        total2, items2 = queue(conn, queries.EventFilter(period=P1401), limit=20)
    assert total2 == total - 1 and first not in [it["event"].id for it in items2]


def test_reviewed_mentions_become_training_rows(db):
    from eventledger.review.training import reviewed_table

    ev = _event(db, subtype="arson")
    with db.begin() as conn:
        actions.correct(conn, CODER, ev.id, {"subtype": "vandalism"})
    with db.connect() as conn:
        table = reviewed_table(conn)
    assert "vandalism" in table.labels
