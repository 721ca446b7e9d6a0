"""The store: migrations, resolution into events, claim status, atomic batches."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from sqlalchemy import func, inspect, select

from eventledger.aggregate.periods import parse_period
from eventledger.errors import StoreError
from eventledger.outlets import Outlet
from eventledger.pipeline import Ingestor
from eventledger.store import queries, writer
from eventledger.store.db import Store, head_revision
from eventledger.store.schema import documents, events, mentions


def count(store: Store, table) -> int:
    with store.connect() as conn:
        return int(conn.execute(select(func.count()).select_from(table)).scalar_one())


def jsonl(path: Path, rows: list[dict]) -> Path:
    path.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in rows), encoding="utf-8")
    return path


def test_new_database_is_migrated_to_head_and_reopening_is_a_no_op(tmp_path):
    path = tmp_path / "x.db"
    store = Store.open(path)
    with store.connect() as conn:
        assert {"documents", "mentions", "events", "runs", "run_errors", "outlets", "alembic_version"} <= set(
            inspect(conn).get_table_names()
        )
        assert conn.exec_driver_sql("select version_num from alembic_version").scalar_one() == head_revision()
    store.close()
    Store.open(path).close()


def test_missing_database_for_reading_is_a_clear_error(tmp_path):
    with pytest.raises(StoreError, match="database not found"):
        Store.open(tmp_path / "nope.db", create=False)


def test_database_in_missing_folder_is_a_clear_error(tmp_path):
    with pytest.raises(StoreError, match="does not exist"):
        Store.open(tmp_path / "no" / "such" / "x.db")


CLAIM = {"id": "st-1", "outlet": "Sepideh Telegram", "published": "2023-02-17T08:00:00+03:30", "lang": "fa",
         "text": "واحدهای سپیده دیشب در کرج تصاویر سرکوبگران را به آتش کشیدند."}  # fmt: skip
STATE = {"id": "v-1", "outlet": "Vatan News Agency", "published": "2023-02-18T10:00:00+03:30", "lang": "en",
         "text": "Rioters set fire to images of officials in Karaj on Thursday night, police said on Saturday."}  # fmt: skip
INDEP = {"id": "im-1", "outlet": "Iran Monitor", "published": "2023-02-17T12:00:00+03:30", "lang": "en",
         "text": "Videos verified by Iran Monitor show rioters setting fire to images of officials in Karaj late on Thursday."}  # fmt: skip
STANCES = [
    Outlet("Sepideh Telegram", "actor", "sepideh-network"),
    Outlet("Vatan News Agency", "state"),
    Outlet("Iran Monitor", "independent"),
]


def ingest(store: Store, path: Path, **kw):
    return Ingestor(store, **kw).ingest([path])


def test_reports_of_one_act_from_three_outlets_are_one_event(store, tmp_path):
    with store.begin() as conn:
        writer.upsert_outlets(conn, STANCES)
    r1 = ingest(store, jsonl(tmp_path / "a.jsonl", [CLAIM]))
    with store.connect() as conn:
        (ev,) = queries.list_events(conn, queries.EventFilter())
    assert (ev["subtype"], ev["place"]["name"], ev["date"], ev["claim_status"]) == (
        "arson",
        "Karaj",
        "2023-02-16",
        "claimed",
    )
    r2 = ingest(store, jsonl(tmp_path / "b.jsonl", [STATE, INDEP]))
    assert (r1.new_events, r2.new_events, r2.merged_mentions) == (1, 0, 2)
    with store.connect() as conn:
        (ev,) = queries.list_events(conn, queries.EventFilter())
        detail = queries.event_detail(conn, ev["id"])
    assert ev["claim_status"] == "corroborated" and ev["n_sources"] == 3
    assert [s["external_id"] for s in ev["sources"]] == ["st-1", "im-1", "v-1"]
    assert {m["sentence"] for m in detail["mentions"]} == {CLAIM["text"], STATE["text"], INDEP["text"]}


def test_claim_plus_state_media_is_reported_not_corroborated(store, tmp_path):
    with store.begin() as conn:
        writer.upsert_outlets(conn, STANCES)
    ingest(store, jsonl(tmp_path / "a.jsonl", [CLAIM, STATE]))
    with store.connect() as conn:
        (ev,) = queries.list_events(conn, queries.EventFilter())
    assert ev["claim_status"] == "reported"


def test_changing_an_outlet_stance_recomputes_claim_status(store, tmp_path):
    ingest(store, jsonl(tmp_path / "a.jsonl", [CLAIM]))
    with store.connect() as conn:
        assert (
            queries.list_events(conn, queries.EventFilter())[0]["claim_status"] == "reported"
        )  # stance unknown
    with store.begin() as conn:
        writer.upsert_outlets(conn, [Outlet("Sepideh Telegram", "actor", "sepideh-network")])
        assert writer.refresh_claims(conn, queries.load_stances(conn)) == 1
    with store.connect() as conn:
        assert queries.list_events(conn, queries.EventFilter())[0]["claim_status"] == "claimed"


def test_relative_and_publication_dates_merge_within_a_day_explicit_ones_do_not(store, tmp_path):
    rows = [
        {
            "id": "1",
            "outlet": "A",
            "published": "2023-02-18T09:00:00+03:30",
            "lang": "en",
            "text": "Slogans were written on walls in Arak on 17 February 2023.",
        },
        {
            "id": "2",
            "outlet": "B",
            "published": "2023-02-18T20:00:00+03:30",
            "lang": "en",
            "text": "Slogans were written on walls in Arak.",
        },
        {
            "id": "3",
            "outlet": "C",
            "published": "2023-02-19T09:00:00+03:30",
            "lang": "en",
            "text": "Slogans were written on walls in Arak on 19 February 2023.",
        },
    ]
    ingest(store, jsonl(tmp_path / "a.jsonl", rows))
    with store.connect() as conn:
        evs = queries.list_events(conn, queries.EventFilter())
    assert sorted((e["date"], e["n_sources"], e["date_precision"]) for e in evs) == [
        ("2023-02-17", 2, "day"),
        ("2023-02-19", 1, "day"),
    ]


def test_a_later_report_moves_the_day_and_a_plain_one_only_adds_a_source(store, tmp_path):
    """An event refreshed by later runs: a report giving the exact day moves the event (and what is
    ordered by day: the events list, the word search of a period, the daily counts); a report that
    changes neither day nor confidence adds a source and leaves the rest as it was."""
    base = {"lang": "en", "published": "2023-02-18T20:00:00+03:30"}
    ingest(store, jsonl(tmp_path / "a.jsonl", [{**base, "id": "1", "outlet": "A",
           "text": "Slogans were written on walls in Arak."}]))  # fmt: skip
    with store.connect() as conn:
        (first,) = queries.list_events(conn, queries.EventFilter())
    assert first["date"] == "2023-02-18"
    ingest(store, jsonl(tmp_path / "b.jsonl", [{**base, "id": "2", "outlet": "B",
           "text": "Slogans were written on walls in Arak on 17 February 2023."}]))  # fmt: skip
    ingest(store, jsonl(tmp_path / "c.jsonl", [{**base, "id": "3", "outlet": "C",
           "text": "Slogans were written on walls in Arak yesterday."}]))  # fmt: skip
    with store.connect() as conn:
        (ev,) = queries.list_events(conn, queries.EventFilter())
        found = queries.list_events(
            conn, queries.EventFilter(period=parse_period("2023-02-17..2023-02-17"), search="slogans")
        )
        daily = conn.exec_driver_sql("SELECT day, sum(n) FROM event_daily GROUP BY day").all()
    assert (ev["date"], ev["date_precision"], ev["n_sources"]) == ("2023-02-17", "day", 3)
    assert [e["id"] for e in found] == [ev["id"]]
    assert [(str(d), n) for d, n in daily] == [("2023-02-17", 1)]


def test_reingesting_the_same_input_adds_nothing(store, tmp_path):
    path = jsonl(tmp_path / "a.jsonl", [CLAIM, STATE, INDEP])
    first = ingest(store, path)
    before = (count(store, documents), count(store, mentions), count(store, events))
    second = ingest(store, path)
    assert first.documents == 3 and second.documents == 0 and second.duplicates == 3
    assert (count(store, documents), count(store, mentions), count(store, events)) == before


def test_same_text_under_another_id_the_same_day_is_a_copy(store, tmp_path):
    copy = {**INDEP, "id": "other-id", "outlet": "Regional Wire"}
    result = ingest(store, jsonl(tmp_path / "a.jsonl", [INDEP, copy]))
    assert (result.documents, result.duplicates) == (1, 1)


def test_a_failing_batch_writes_nothing(store, tmp_path, monkeypatch):
    def boom(*args, **kwargs):
        raise RuntimeError("disk on fire")

    monkeypatch.setattr(writer, "attach_mentions", boom)
    with pytest.raises(RuntimeError):
        ingest(store, jsonl(tmp_path / "a.jsonl", [CLAIM, STATE]))
    assert (count(store, documents), count(store, mentions), count(store, events)) == (0, 0, 0)
    with store.connect() as conn:
        run = conn.exec_driver_sql("select status from runs").scalar_one()
    assert run == "failed"


def test_every_record_error_is_kept_with_file_and_line(store, tmp_path):
    path = tmp_path / "a.jsonl"
    path.write_text(
        json.dumps(CLAIM, ensure_ascii=False) + "\n{broken\n" + json.dumps({"id": "x"}) + "\n",
        encoding="utf-8",
    )
    result = ingest(store, path)
    assert (result.documents, result.errors) == (1, 2)
    with store.connect() as conn:
        origins = [r[0] for r in conn.exec_driver_sql("select origin from run_errors order by id")]
    assert origins == [f"{path}:2", f"{path}:3"]


def test_runs_record_versions_and_counts(store, tmp_path):
    result = ingest(store, jsonl(tmp_path / "a.jsonl", [CLAIM]))
    with store.connect() as conn:
        row = conn.exec_driver_sql(
            "select versions, counts, status from runs where id = ?", (result.run_id,)
        ).one()
    versions, counts = json.loads(row[0]), json.loads(row[1])
    assert versions["codebook"].startswith("political-action@") and versions["coder"].startswith("rules/")
    assert versions["gazetteer"].startswith("gaz-") and counts["documents"] == 1 and row[2] == "ok"


def test_workers_give_the_same_result_as_one_process(tmp_path):
    rows = [
        dict(CLAIM, id=f"c{i}", text=CLAIM["text"].replace("کرج", city))
        for i, city in enumerate(["کرج", "رشت", "قم", "اراک"] * 30)
    ]
    for i, r in enumerate(rows):
        r["published"] = f"2023-02-{10 + i % 9:02d}T08:00:00+03:30"
    path = jsonl(tmp_path / "a.jsonl", rows)
    results = []
    for workers in (1, 2):
        store = Store.open(tmp_path / f"w{workers}.db")
        Ingestor(store, workers=workers, batch_size=16).ingest([path])
        with store.connect() as conn:
            results.append(queries.tally(conn, queries.EventFilter(), ["subtype", "place", "month"]))
        store.close()
    assert results[0] == results[1] and results[0]["total"] > 0


def test_daily_counts_follow_every_change(store, tmp_path):
    from sqlalchemy import func as f

    from eventledger.store.schema import event_daily

    def check():
        with store.connect() as conn:
            by_events = dict(
                conn.execute(select(events.c.category, f.count()).group_by(events.c.category)).all()
            )
            by_daily = dict(
                conn.execute(
                    select(event_daily.c.category, f.sum(event_daily.c.n)).group_by(event_daily.c.category)
                ).all()
            )
        assert by_events == {k: int(v) for k, v in by_daily.items()}
        return by_events

    with store.begin() as conn:
        writer.upsert_outlets(conn, STANCES)
    ingest(store, jsonl(tmp_path / "a.jsonl", [CLAIM]))
    assert check() == {"violence": 1}
    ingest(store, jsonl(tmp_path / "b.jsonl", [STATE, INDEP]))  # merges, the date may move
    check()
    changed = dict(CLAIM, text="واحدهای سپیده دیشب در کرج شعارنویسی کردند.")
    ingest(store, jsonl(tmp_path / "c.jsonl", [changed]))  # a new version: the arson keeps its other sources
    assert check() == {"violence": 1, "propaganda": 1}


def test_migrations_build_exactly_the_schema_the_code_uses(tmp_path):
    from alembic.autogenerate import compare_metadata
    from alembic.migration import MigrationContext

    from eventledger.store.schema import metadata
    from eventledger.store.search import HAND_WRITTEN

    s = Store.open(tmp_path / "migrated.db")
    with s.engine.connect() as conn:
        ctx = MigrationContext.configure(
            conn, opts={"include_object": lambda o, n, *a: not (n or "").startswith(HAND_WRITTEN)}
        )
        diff = compare_metadata(ctx, metadata)
    s.close()
    assert diff == []


def test_an_older_database_is_upgraded_with_its_data(demo_db, tmp_path):
    """Down to the schema of issue 3 (0002), then opened again: counts, search and outlets are rebuilt."""
    import shutil

    from alembic import command

    from eventledger.aggregate.periods import parse_period
    from eventledger.store.db import _alembic_config
    from eventledger.store.queries import summary_counts

    path = tmp_path / "old.db"
    shutil.copy(demo_db, path)
    s = Store.open(path)
    p = parse_period("1401")
    with s.connect() as conn:
        before = queries.tally(conn, queries.EventFilter(period=p), ["subtype", "outlet"])
    with s.engine.begin() as conn:
        cfg = _alembic_config()
        cfg.attributes["connection"] = conn
        command.downgrade(cfg, "0002")
    s.close()
    s = Store.open(path)  # upgrades to head
    with s.connect() as conn:
        assert conn.exec_driver_sql("select version_num from alembic_version").scalar_one() == head_revision()
        assert queries.tally(conn, queries.EventFilter(period=p), ["subtype", "outlet"]) == before
        assert summary_counts(conn, p)["total"] == before["total"]
        assert queries.count_events(conn, queries.EventFilter(search="Izeh")) >= 1
    s.close()


def test_a_database_error_never_shows_the_password():
    from eventledger.errors import StoreError

    with pytest.raises(StoreError) as caught:
        Store.open("postgresql+psycopg://analyst:s3cret-pw@127.0.0.1:1/ledger")
    assert "s3cret-pw" not in str(caught.value) and "analyst:***@127.0.0.1" in str(caught.value)


def test_resolution_reads_the_batchs_keys_not_the_whole_store(demo_db, tmp_path):
    """The events a batch may join are read key by key from the events' key index: the cost of a
    batch does not grow with the store (the planner's own choice scanned every stored event)."""
    import shutil

    path = tmp_path / "copy.db"
    shutil.copy(demo_db, path)
    store = Store.open(path)
    with store.begin() as conn:
        writer._batch_keys.create(conn, checkfirst=True)
        plan = [
            r[3]
            for r in conn.exec_driver_sql(
                "EXPLAIN QUERY PLAN " + writer.CANDIDATES.replace(":codebook", "'political-action'")
            )
        ]
    store.close()
    assert plan[0].startswith("SCAN k"), plan
    assert "SEARCH e USING INDEX ix_events_key" in plan[1], plan
