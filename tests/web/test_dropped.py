"""The web app's list of dropped candidates and the flags a recode leaves, with the review queue's security."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from sqlalchemy import select, update

from eventledger.records import Mention
from eventledger.store import writer
from eventledger.store.db import Store
from eventledger.store.schema import documents, events, mentions
from tests.web.conftest import sign_in

HOSTILE = "They <script>document.title='pwned-dropped'</script> did not set fire to <b>anything</b>."


def _seed(db: Path) -> tuple[int, int]:
    """One hostile dropped candidate in the report of an event; returns (event id, document id)."""
    s = Store.open(db)
    with s.begin() as conn:
        eid, doc = conn.execute(
            select(mentions.c.event_id, mentions.c.document_id)
            .join(documents, documents.c.id == mentions.c.document_id)
            .where(mentions.c.event_id.is_not(None), documents.c.current.is_(True))
            .order_by(mentions.c.id)
            .limit(1)
        ).one()
        run_id = conn.execute(select(documents.c.run_id).where(documents.c.id == doc)).scalar_one()
        start = HOSTILE.index("set fire to")
        m = Mention(
            category="violence", subtype="arson", field="text", sent_start=0, sent_end=len(HOSTILE),
            trig_start=start, trig_end=start + 11, sentence=HOSTILE, trigger="set fire to",
            date=dt.date(2023, 2, 16), date_precision="publication", date_text=None, place=None, place_text=None,
            quantity=None, actor=None, claimant=None, target=None, confidence=0.25, coder="rules/test",
            codebook="political-action@test", flags=("dropped:negated", "gate:0.25"),
        )  # fmt: skip
        writer.store_dropped(conn, [(doc, [m])], run_id)
    s.close()
    return int(eid), int(doc)


def test_dropped_page_is_for_coders_and_escapes_the_reports(client, web_db):
    eid, _ = _seed(web_db)
    assert client.get("/dropped", follow_redirects=False).status_code in (303, 401)  # signed out
    sign_in(client, "vic")
    assert client.get("/dropped").status_code == 403  # a viewer
    assert "pwned-dropped" not in client.get(f"/events/{eid}").text  # viewers do not get the list
    client.post("/logout", data={"csrf_token": sign_in(client, "vic")})
    sign_in(client, "ana")
    page = client.get("/dropped")
    assert page.status_code == 200 and "Content-Security-Policy" in page.headers
    # the seeded candidate's report is an old one: with the sample's own candidates it may fall
    # beyond the first page of the unfiltered list (newest first), never beyond its reason's
    html = client.get("/dropped?reason=negated").text
    assert "<script>document.title='pwned-dropped'" not in html
    assert "&lt;script&gt;document.title=" in html and "&lt;b&gt;anything&lt;/b&gt;" in html
    assert "negated" in html and "<mark><strong>set fire to</strong></mark>" in html
    assert client.get("/dropped?reason=negated").text.count("pwned-dropped") == 1
    assert "pwned-dropped" not in client.get("/dropped?reason=intent").text
    assert "pwned-dropped" not in client.get("/dropped?period=1390").text
    assert 'href="/dropped"' in client.get("/review").text  # linked from the review queue
    event_page = client.get(f"/events/{eid}").text
    assert 'id="dropped"' in event_page and "&lt;script&gt;document.title=&#39;pwned-dropped" in event_page


def test_flagged_events_show_their_flag_in_the_queue_and_can_be_dismissed(client, web_db):
    s = Store.open(web_db)
    with s.begin() as conn:
        eid = conn.execute(
            select(events.c.id).where(events.c.review_status == "machine").limit(1)
        ).scalar_one()
        conn.execute(update(events).where(events.c.id == eid).values(review_status="confirmed"))
        conn.execute(
            update(events).where(events.c.id == eid).values(review_flag="recode run 9: <i>no longer fits</i>")
        )
    s.close()
    token = sign_in(client, "ana")
    queue = client.get("/review").text
    assert queue.index(f'<tr id="q{eid}">') < queue.index('<tr id="q', queue.index("<tbody>") + 1) + 1
    assert "&lt;i&gt;no longer fits&lt;/i&gt;" in queue and 'value="dismiss"' in queue
    assert "recode run 9" in client.get(f"/events/{eid}").text
    r = client.post(
        f"/events/{eid}/review",
        data={"action": "dismiss", "csrf_token": token},
        headers={"HX-Request": "true"},
    )
    assert r.status_code == 200 and r.text.startswith(f'<tr id="q{eid}">')
    assert f'<tr id="q{eid}">' not in client.get("/review").text
    assert (
        client.post(f"/events/{eid}/review", data={"action": "dismiss", "csrf_token": token}).status_code
        == 422
    )
