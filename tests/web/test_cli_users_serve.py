"""`eventledger users ...` and `eventledger serve` as a user runs them."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
import time

import httpx
from click.testing import CliRunner

from eventledger.cli import cli
from tests.web.conftest import PASSWORDS, csrf_of, free_port


def run(*args: str, input: str | None = None):
    return CliRunner().invoke(cli, list(args), input=input, obj={})


def test_users_add_reads_one_line_of_stdin_and_list_and_token(tmp_path):
    db = str(tmp_path / "u.db")
    r = run("--db", db, "users", "add", "ana", "--role", "coder", input="a long password\n")
    assert r.exit_code == 0, r.output
    assert "added ana (coder)" in r.output
    listed = json.loads(run("--db", db, "users", "list", "--format", "json").output)
    assert [(u["username"], u["role"]) for u in listed] == [("ana", "coder")]
    token = run("--db", db, "users", "token", "ana").output.strip()
    assert token.startswith("elt_") and len(token) > 40
    assert json.loads(run("--db", db, "users", "list", "--format", "json").output)[0]["api_tokens"] == 1
    r = run("--db", db, "users", "role", "ana", "admin")
    assert r.exit_code == 0 and "admin" in r.output
    r = run("--db", db, "users", "passwd", "ana", input="another long one\n")
    assert r.exit_code == 0
    r = run("--db", db, "users", "disable", "ana")
    assert r.exit_code == 5 and "last admin" in r.output  # the web app would have nobody to manage it
    run("--db", db, "users", "add", "root", "--role", "admin", input="a long password\n")
    r = run("--db", db, "users", "disable", "ana")
    assert r.exit_code == 0
    r = run("--db", db, "users", "enable", "ana")
    assert r.exit_code == 0 and "enabled" in r.output


def test_users_add_refuses_a_short_password_in_one_line(tmp_path):
    r = run("--db", str(tmp_path / "u.db"), "users", "add", "ana", input="short\n")
    assert r.exit_code == 2  # ConfigError
    assert r.output.strip().splitlines()[-1] == "error: the password must have at least 8 characters"


def _serve(db, *extra: str) -> tuple[subprocess.Popen[bytes], str]:
    port = free_port()
    proc = subprocess.Popen(
        [sys.executable, "-m", "eventledger", "--db", str(db), "serve", "--port", str(port), *extra],
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
    )
    base = f"http://127.0.0.1:{port}"
    for _ in range(200):
        try:
            if httpx.get(f"{base}/healthz").status_code == 200:
                break
        except httpx.TransportError:
            time.sleep(0.1)
    return proc, base


def test_serve_runs_the_app_over_the_database(demo_db, tmp_path):
    db = tmp_path / "serve.db"
    shutil.copy(demo_db, db)
    proc, base = _serve(db, "--public")
    try:
        r = httpx.get(f"{base}/api/tally?period=1401")
        assert r.status_code == 200 and r.json()["total"] > 0
        assert httpx.post(f"{base}/api/events/1/review", json={"action": "confirm"}).status_code == 401
    finally:
        proc.terminate()
        out = proc.communicate(timeout=10)[0].decode()
    assert f"{base}/" in out and "public" in out


def test_serve_on_a_missing_database_says_so(tmp_path):
    r = run("--db", str(tmp_path / "none.db"), "serve")
    assert r.exit_code == 1 and "database not found" in r.output


def _guess_from_rotating_addresses(base: str) -> int:
    """Five wrong passwords for ana, each claiming another X-Forwarded-For, then the right one."""
    with httpx.Client(base_url=base, timeout=60) as c:
        token = csrf_of(c.get("/login").text)
        for i in range(5):
            form = {"username": "ana", "password": "wrong-guess", "csrf_token": token}
            r = c.post("/login", data=form, headers={"X-Forwarded-For": f"203.0.113.{i}"})
            assert r.status_code == 401
        form = {"username": "ana", "password": PASSWORDS["ana"], "csrf_token": token}
        return c.post("/login", data=form, headers={"X-Forwarded-For": "203.0.113.99"}).status_code


def test_serve_believes_x_forwarded_for_only_from_a_trusted_proxy(web_db, tmp_path):
    fresh = tmp_path / "fresh.db"  # the second server starts without the first one's failures
    shutil.copy(web_db, fresh)
    proc, base = _serve(web_db)
    try:  # a local client cannot pick its address: all five guesses count against 127.0.0.1
        assert _guess_from_rotating_addresses(base) == 401
    finally:
        proc.terminate()
        proc.communicate(timeout=10)
    proc, base = _serve(fresh, "--trusted-proxy", "127.0.0.1")
    try:  # behind a proxy on 127.0.0.1 the addresses it reports are the clients'
        assert _guess_from_rotating_addresses(base) == 303
    finally:
        proc.terminate()
        proc.communicate(timeout=10)


def test_user_changes_made_on_the_command_line_are_audited_under_the_operator(tmp_path):
    import getpass

    from sqlalchemy import select

    from eventledger.store.db import Store
    from eventledger.store.schema import audit

    db = str(tmp_path / "u.db")
    run("--db", db, "users", "add", "root", "--role", "admin", input="a long password\n")
    run("--db", db, "users", "add", "bob", input="a long password\n")
    run("--db", db, "users", "role", "bob", "coder")
    run("--db", db, "users", "token", "bob")
    run("--db", db, "users", "token", "bob", "--revoke")
    r = run("--db", db, "users", "role", "root", "viewer")
    assert r.exit_code == 5 and "last admin" in r.output  # nobody left to manage users: refused
    with Store.open(db, create=False).connect() as conn:
        rows = conn.execute(
            select(audit.c.username, audit.c.action, audit.c.target).order_by(audit.c.id)
        ).all()
    who = f"cli:{getpass.getuser()}"
    assert rows == [
        (who, "user-add", "user:root"),
        (who, "user-add", "user:bob"),
        (who, "user-role", "user:bob"),
        (who, "token-new", "user:bob"),
        (who, "token-revoke", "user:bob"),
    ]
