"""Who may see the API docs, who may revert whose change, and sign-in limits no one can turn
against another user."""

from __future__ import annotations

import contextlib
import time

from fastapi.testclient import TestClient

from eventledger import accounts
from eventledger.errors import AuthError
from eventledger.store.db import Store
from eventledger.web.app import create_app
from tests.web.conftest import PASSWORDS, csrf_of, sign_in


def _bearer(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


# --- API docs -----------------------------------------------------------------------------------------------
def test_api_docs_need_sign_in_unless_the_server_is_public(client, public_client, tokens):
    docs = client.get("/docs", follow_redirects=False)
    assert docs.status_code == 303 and docs.headers["location"] == "/login?next=%2Fdocs"
    spec = client.get("/openapi.json")
    assert spec.status_code == 401 and "paths" not in spec.text
    assert client.get("/openapi.json", headers=_bearer(tokens["vic"])).json()["paths"]
    sign_in(client, "vic")
    assert client.get("/docs").status_code == 200
    assert "/api/events" in client.get("/openapi.json").json()["paths"]
    assert public_client.get("/docs").status_code == 200
    assert public_client.get("/openapi.json").status_code == 200


# --- reverting an admin's change --------------------------------------------------------------------------
def _confirm(c: TestClient, token: str, event_id: int) -> int:
    r = c.post(f"/api/events/{event_id}/review", json={"action": "confirm"}, headers=_bearer(token))
    assert r.status_code == 200, r.text
    return int(r.json()["audit_id"])


def test_only_its_author_or_an_admin_reverts_an_admins_change(client, tokens, web_db):
    store = Store.open(web_db)
    with store.begin() as conn:
        accounts.add_user(conn, "bob", "bob-password-1", "coder")
        bob = accounts.new_token(conn, "bob")
    store.close()
    by_admin = _confirm(client, tokens["adm"], 1)
    r = client.post(f"/api/audit/{by_admin}/revert", headers=_bearer(tokens["ana"]))
    assert r.status_code == 403
    assert r.json()["error"] == (
        f"change #{by_admin} was made by the admin 'adm': only they or another admin may revert it"
    )
    token = sign_in(client, "ana")  # the same rule through the audit page's button
    page = client.post(f"/audit/{by_admin}/revert", data={"csrf_token": token}, follow_redirects=False)
    assert page.status_code == 403
    assert client.post(f"/api/audit/{by_admin}/revert", headers=_bearer(tokens["adm"])).status_code == 200

    by_coder = _confirm(client, tokens["ana"], 2)  # a coder's change: any coder may revert it
    assert client.post(f"/api/audit/{by_coder}/revert", headers=_bearer(bob)).status_code == 200
    again = _confirm(client, tokens["ana"], 2)
    assert client.post(f"/api/audit/{again}/revert", headers=_bearer(tokens["adm"])).status_code == 200


# --- sign-in limits -----------------------------------------------------------------------------------------
def _login(c: TestClient, name: str, password: str) -> tuple[int, str]:
    token = csrf_of(c.get("/login").text)
    r = c.post(
        "/login",
        data={"username": name, "password": password, "csrf_token": token},
        follow_redirects=False,
    )
    return r.status_code, r.text


def test_an_attacker_cannot_lock_a_user_out_of_their_own_address(web_db, monkeypatch):
    monkeypatch.setattr(accounts, "SLOW_FIRST", 0.2)
    monkeypatch.setattr(accounts, "SLOW_MAX", 0.2)
    attacker = TestClient(create_app(web_db), client=("198.51.100.7", 40000))
    admin = TestClient(create_app(web_db), client=("192.0.2.10", 40000))
    for _ in range(accounts.MAX_FAILURES_PER_USER):
        status, text = _login(attacker, "adm", "wrong-guess")
        assert status == 401 and "wrong user name or password" in text
    status, text = _login(attacker, "adm", PASSWORDS["adm"])
    assert status == 401 and "too many failed logins" in text  # the attacker's address is refused
    t0 = time.perf_counter()
    status, _ = _login(admin, "adm", PASSWORDS["adm"])  # the admin, from their own address
    assert status == 303
    assert time.perf_counter() - t0 >= 0.2  # slowed down (guesses from many addresses stay slow), not refused
    status, _ = _login(admin, "adm", PASSWORDS["adm"])
    assert status == 303


def test_one_address_guessing_many_names_is_refused_for_all_of_them(web_db, monkeypatch):
    monkeypatch.setattr(accounts, "MAX_FAILURES_PER_CLIENT", 6)  # 20 by default: fewer slow hashes
    guesser = TestClient(create_app(web_db), client=("198.51.100.8", 40000))
    for i in range(accounts.MAX_FAILURES_PER_CLIENT):
        assert _login(guesser, f"nobody{i}", "wrong-guess")[0] == 401
    status, text = _login(guesser, "ana", PASSWORDS["ana"])
    assert status == 401 and "too many failed logins" in text
    other = TestClient(create_app(web_db), client=("192.0.2.11", 40000))
    assert _login(other, "ana", PASSWORDS["ana"])[0] == 303


def test_the_delay_grows_with_failures_from_every_address_and_has_a_ceiling(web_db):
    store = Store.open(web_db)
    with store.begin() as conn:
        for i in range(accounts.SLOW_AFTER + 6):
            assert accounts.login_delay(conn, "ana") == (
                0.0
                if i < accounts.SLOW_AFTER
                else min(accounts.SLOW_MAX, accounts.SLOW_FIRST * 2 ** (i - accounts.SLOW_AFTER))
            )
            with contextlib.suppress(AuthError):
                accounts.authenticate(conn, "ana", "wrong-guess", f"203.0.113.{i}")
        assert accounts.login_delay(conn, "ana") == accounts.SLOW_MAX
        accounts.authenticate(conn, "ana", PASSWORDS["ana"], "203.0.113.200")
        assert accounts.login_delay(conn, "ana") == 0.0  # a good sign-in clears the count
    store.close()
