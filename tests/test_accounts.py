"""Users, passwords, sessions, API tokens and the login rate limit (real SQLite store)."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from eventledger import accounts
from eventledger.errors import AuthError, ConfigError, NotFoundError
from eventledger.store.schema import api_tokens, sessions, users


def test_passwords_are_stored_as_argon2_hashes(store):
    with store.begin() as conn:
        accounts.add_user(conn, "ana", "correct horse", "coder")
        stored = conn.execute(select(users.c.password_hash)).scalar_one()
    assert stored.startswith("$argon2id$") and "correct horse" not in stored


@pytest.mark.parametrize(
    ("name", "password", "role", "message"),
    [
        ("ana", "short", "coder", "at least 8"),
        ("bad name", "long enough", "coder", "user name"),
        ("ana", "long enough", "boss", "unknown role"),
    ],
)
def test_bad_users_are_refused(store, name, password, role, message):
    with pytest.raises(ConfigError, match=message), store.begin() as conn:
        accounts.add_user(conn, name, password, role)


def test_user_names_are_unique(store):
    with store.begin() as conn:
        accounts.add_user(conn, "ana", "long enough")
    with pytest.raises(ConfigError, match="exists already"), store.begin() as conn:
        accounts.add_user(conn, "ana", "long enough too")


def test_authenticate_and_sessions(store):
    with store.begin() as conn:
        accounts.add_user(conn, "ana", "correct horse", "coder", "fa")
        user = accounts.authenticate(conn, "ana", "correct horse", "1.2.3.4")
        token, csrf = accounts.open_session(conn, user)
        stored = conn.execute(select(sessions.c.token_hash)).scalar_one()
    assert (user.username, user.role, user.lang) == ("ana", "coder", "fa")
    assert token not in stored  # only a digest of the cookie is kept
    with store.connect() as conn:
        found = accounts.session_user(conn, token)
        assert found is not None and found[0].username == "ana" and found[1] == csrf
        assert accounts.session_user(conn, "forged") is None
    with store.begin() as conn:
        accounts.close_session(conn, token)
        assert accounts.session_user(conn, token) is None


def test_wrong_password_and_unknown_user_give_the_same_message(store):
    with store.begin() as conn:
        accounts.add_user(conn, "ana", "correct horse")
    messages = []
    for name, pw in (("ana", "wrong horse"), ("nobody", "wrong horse")):
        with store.begin() as conn:
            try:
                accounts.authenticate(conn, name, pw)
            except AuthError as exc:
                messages.append(str(exc))
    assert messages == ["wrong user name or password"] * 2


def test_login_rate_limit_refuses_even_the_right_password(store):
    with store.begin() as conn:
        accounts.add_user(conn, "ana", "correct horse")
    for _ in range(accounts.MAX_FAILURES_PER_USER):
        with store.begin() as conn, pytest.raises(AuthError, match="wrong"):
            accounts.authenticate(conn, "ana", "guess", "5.6.7.8")
    # the address that guessed is refused, right password or not ...
    with store.begin() as conn, pytest.raises(AuthError, match="too many failed logins"):
        accounts.authenticate(conn, "ana", "correct horse", "5.6.7.8")
    # ... but a guesser cannot lock the owner out of another address
    with store.begin() as conn:
        assert accounts.authenticate(conn, "ana", "correct horse", "9.9.9.9").username == "ana"


def test_api_tokens(store):
    with store.begin() as conn:
        accounts.add_user(conn, "bot", "long enough", "viewer")
        token = accounts.new_token(conn, "bot")
        assert token.startswith("elt_")
        assert token not in conn.execute(select(api_tokens.c.token_hash)).scalar_one()
        assert accounts.token_user(conn, token).username == "bot"
        with pytest.raises(AuthError):
            accounts.token_user(conn, token + "x")
        assert accounts.revoke_tokens(conn, "bot") == 1
        with pytest.raises(AuthError):
            accounts.token_user(conn, token)


def test_disabled_users_lose_sessions_and_tokens(store):
    with store.begin() as conn:
        user = accounts.add_user(conn, "ana", "correct horse", "coder")
        cookie, _ = accounts.open_session(conn, user)
        token = accounts.new_token(conn, "ana")
        accounts.disable_user(conn, "ana")
        assert accounts.session_user(conn, cookie) is None
        with pytest.raises(AuthError):
            accounts.token_user(conn, token)
        with pytest.raises(NotFoundError):
            accounts.get_user(conn, "ana")
    with store.begin() as conn, pytest.raises(AuthError):
        accounts.authenticate(conn, "ana", "correct horse")


def test_new_password_signs_out_everywhere(store):
    with store.begin() as conn:
        user = accounts.add_user(conn, "ana", "correct horse")
        cookie, _ = accounts.open_session(conn, user)
        accounts.set_password(conn, "ana", "battery staple")
        assert accounts.session_user(conn, cookie) is None
        assert accounts.authenticate(conn, "ana", "battery staple").username == "ana"
