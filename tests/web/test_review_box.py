"""The review box of an event page: one note, what was typed kept after an error, a warning before
merging events of different places or subtypes, and a queue count that follows reviews made in place."""

from __future__ import annotations

import re

from sqlalchemy import func, select

from eventledger.store.db import Store
from eventledger.store.schema import audit, events
from tests.web.conftest import sign_in


def _audit_count(db) -> int:
    with Store.open(db, create=False).connect() as conn:
        return int(conn.execute(select(func.count()).select_from(audit)).scalar_one())


def _two_events(db, *, same_subtype: bool) -> tuple[int, int]:
    """Two live events in different provinces (of the same subtype, or not)."""
    with Store.open(db, create=False).connect() as conn:
        rows = conn.execute(
            select(events.c.id, events.c.subtype, events.c.admin1)
            .where(events.c.review_status == "machine", events.c.admin1.is_not(None))
            .order_by(events.c.id)
        ).all()
    for a in rows:
        for b in rows:
            if a.admin1 != b.admin1 and (a.subtype == b.subtype) == same_subtype:
                return a.id, b.id
    raise AssertionError("the demo corpus lacks such a pair")


def test_the_review_box_has_one_title_and_one_note(client):
    sign_in(client, "ana")
    page = client.get("/events/1").text
    box = page[page.index('id="review"') :]
    box = box[: box.index("</section>")]
    assert "Review this event" in box and "Review queue" not in box
    assert box.count('name="note"') == 1
    for action in ("confirm", "reject", "correct", "merge"):
        assert f'name="action" value="{action}"' in box


def test_a_bad_date_or_place_shows_the_error_and_keeps_what_was_typed(client, web_db):
    token = sign_in(client, "ana")
    before = _audit_count(web_db)
    r = client.post(
        "/events/1/review",
        data={
            "action": "correct",
            "date": "1401-13-40",
            "place": "Qom",
            "note": "my careful note",
            "csrf_token": token,
        },
    )
    assert r.status_code == 422
    assert 'data-testid="review-error"' in r.text and "1401-13-40" in r.text
    assert (
        'value="1401-13-40"' in r.text and 'value="Qom"' in r.text and "my careful note</textarea>" in r.text
    )
    r = client.post(
        "/events/1/review",
        data={"action": "correct", "place": "Nowhereville-xyz", "note": "n2", "csrf_token": token},
    )
    assert r.status_code in (404, 422) and 'value="Nowhereville-xyz"' in r.text and "n2</textarea>" in r.text
    assert _audit_count(web_db) == before


def test_confirm_does_not_silently_drop_a_typed_correction(client, web_db):
    token = sign_in(client, "ana")
    before = _audit_count(web_db)
    r = client.post("/events/1/review", data={"action": "confirm", "place": "Qom", "csrf_token": token})
    assert r.status_code == 422 and "press Correct" in r.text and 'value="Qom"' in r.text
    assert _audit_count(web_db) == before
    # the box as the browser sends it (the current subtype and quantity) confirms as before
    page = client.get("/events/1").text
    subtype = re.search(r'<option value="([a-z_-]+)" selected>', page).group(1)
    quantity = re.search(r'name="quantity" inputmode="numeric" size="5" value="([^"]*)"', page).group(1)
    r = client.post(
        "/events/1/review",
        data={
            "action": "confirm",
            "subtype": subtype,
            "quantity": quantity,
            "place": "",
            "csrf_token": token,
        },
        follow_redirects=False,
    )
    assert r.status_code == 303


def test_merging_events_of_different_provinces_asks_first(client, web_db):
    token = sign_in(client, "ana")
    a, b = _two_events(web_db, same_subtype=True)
    r = client.post(
        f"/events/{a}/review", data={"action": "merge", "events": str(b), "note": "same", "csrf_token": token}
    )
    assert r.status_code == 409 and 'data-testid="merge-warning"' in r.text
    assert f"#{b}" in r.text and f'value="{b}"' in r.text
    with Store.open(web_db, create=False).connect() as conn:
        assert conn.execute(select(events.c.review_status).where(events.c.id == b)).scalar_one() == "machine"
    r = client.post(
        f"/events/{a}/review",
        data={"action": "merge", "events": str(b), "force": "1", "csrf_token": token},
        follow_redirects=False,
    )
    assert r.status_code == 303
    with Store.open(web_db, create=False).connect() as conn:
        assert conn.execute(select(events.c.review_status).where(events.c.id == b)).scalar_one() == "merged"


def test_merging_events_of_different_subtypes_asks_first_in_persian_too(client, web_db):
    token = sign_in(client, "adm")  # reads Persian
    a, b = _two_events(web_db, same_subtype=False)
    r = client.post(f"/events/{a}/review", data={"action": "merge", "events": str(b), "csrf_token": token})
    assert r.status_code == 409 and "از نوع" in r.text


def test_the_queue_count_follows_a_confirm_made_in_place(client):
    token = sign_in(client, "ana")
    page = client.get("/review?period=1401").text
    waiting = int(re.search(r'id="queue-count" data-count="(\d+)"', page).group(1))
    first = re.search(r'<tr id="q(\d+)">', page).group(1)
    r = client.post(
        f"/events/{first}/review",
        data={"action": "confirm", "csrf_token": token},
        headers={"HX-Request": "true", "HX-Current-URL": "http://testserver/review?period=1401"},
    )
    assert r.status_code == 200
    m = re.search(r'<span id="queue-count" hx-swap-oob="true" data-count="(\d+)">', r.text)
    assert m and int(m.group(1)) == waiting - 1


def test_a_persian_reviewer_sees_persian_digits_and_confirms_with_them(client):
    token = sign_in(client, "adm")  # reads Persian
    page = client.get("/events/1").text
    quantity = re.search(r'name="quantity" inputmode="numeric" size="5" value="([^"]*)"', page).group(1)
    assert not re.search(r"[0-9]", quantity)  # «۲», not "2"
    subtype = re.search(r'<option value="([a-z_-]+)" selected>', page).group(1)
    r = client.post(
        "/events/1/review",
        data={"action": "confirm", "subtype": subtype, "quantity": quantity, "csrf_token": token},
        follow_redirects=False,
    )
    assert r.status_code == 303
    dashboard = client.get("/").text
    period = re.search(r'<input name="period" value="([^"]*)"', dashboard).group(1)
    assert period and not re.search(r"[0-9]", period)
    assert client.get("/events", params={"period": period}).status_code == 200  # read back as typed
