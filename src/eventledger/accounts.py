"""Users of the web app and the API: roles, argon2 password hashes, sessions, API tokens, login limits.

Roles: a **viewer** reads; a **coder** also reviews events; an **admin** also manages users.
Passwords are stored as argon2id hashes; session cookies and API tokens as SHA-256 digests of
random values, so a copy of the database opens no account.

Failed sign-ins are counted per (user name, client address) and per client address: a client
that guesses too often is refused for a while, but nobody can lock a user out of an address
they do not control. Over all addresses together, a user name's failures only slow its sign-ins
down (each attempt waits before the password is checked), so that guessing from many addresses
stays slow while the owner can still sign in.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import re
import secrets
from dataclasses import dataclass

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError, VerifyMismatchError
from sqlalchemy import Connection, delete, func, insert, select, update

from eventledger.errors import AuthError, ConfigError, NotFoundError
from eventledger.store.schema import api_tokens, login_failures, sessions, users
from eventledger.store.writer import now

ROLES = ("viewer", "coder", "admin")
LANGS = ("en", "fa")
MIN_PASSWORD = 8
SESSION_DAYS = 7
TOKEN_PREFIX = "elt_"
MAX_NAME = 80
MAX_PASSWORD = 1024
# failed logins allowed in the window before further attempts are refused
LOGIN_WINDOW = dt.timedelta(minutes=15)
MAX_FAILURES_PER_USER = 5  # for one user name from one client address
MAX_FAILURES_PER_CLIENT = 20  # for any user names from one client address
# after this many failures for a user name (from all addresses), each attempt waits before the
# password is checked: SLOW_FIRST seconds, doubling with every further failure, at most SLOW_MAX
SLOW_AFTER = 5
SLOW_FIRST = 0.5
SLOW_MAX = 8.0
_NAME_RE = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.@-]{0,79}$")
_MAX_KEY = 200  # login_failures.key

_hasher = PasswordHasher()


@dataclass(frozen=True, slots=True)
class User:
    id: int
    username: str
    role: str
    lang: str = "en"
    codebook: str | None = None  # the codebook chosen in the web app

    @property
    def can_review(self) -> bool:
        return self.role in ("coder", "admin")

    @property
    def is_admin(self) -> bool:
        return self.role == "admin"


def _digest(secret: str) -> str:
    return hashlib.sha256(secret.encode()).hexdigest()


def _user(row: object) -> User:
    return User(row.id, row.username, row.role, row.lang, getattr(row, "codebook", None))  # type: ignore[attr-defined]


def check_password_rules(password: str) -> None:
    if len(password) < MIN_PASSWORD:
        raise ConfigError(f"the password must have at least {MIN_PASSWORD} characters")
    if len(password) > MAX_PASSWORD:
        raise ConfigError(f"the password must have at most {MAX_PASSWORD} characters")


def add_user(conn: Connection, username: str, password: str, role: str = "viewer", lang: str = "en") -> User:
    if not _NAME_RE.match(username):
        raise ConfigError(
            f"user name {username!r}: use 1-80 letters, digits, '.', '_', '-' or '@', starting with a letter or digit"
        )
    if role not in ROLES:
        raise ConfigError(f"unknown role {role!r}: choose {', '.join(ROLES)}")
    if lang not in LANGS:
        raise ConfigError(f"unknown language {lang!r}: choose {', '.join(LANGS)}")
    check_password_rules(password)
    if conn.execute(select(users.c.id).where(users.c.username == username)).first():
        raise ConfigError(f"user {username!r} exists already")
    uid = conn.execute(
        insert(users)
        .values(
            username=username,
            password_hash=_hasher.hash(password),
            role=role,
            lang=lang,
            disabled=False,
            created_at=now(),
        )
        .returning(users.c.id)
    ).scalar_one()
    return User(int(uid), username, role, lang)


def get_user(conn: Connection, username: str) -> User:
    row = conn.execute(select(users).where(users.c.username == username, users.c.disabled.is_(False))).first()
    if row is None:
        raise NotFoundError(f"no user {username!r}")
    return _user(row)


def list_users(conn: Connection) -> list[dict[str, object]]:
    rows = conn.execute(select(users).order_by(users.c.username)).all()
    n_tokens: dict[int, int] = {
        int(uid): int(n)
        for uid, n in conn.execute(select(api_tokens.c.user_id, func.count()).group_by(api_tokens.c.user_id))
    }
    return [
        {
            "username": r.username,
            "role": r.role,
            "lang": r.lang,
            "disabled": bool(r.disabled),
            "created_at": r.created_at.isoformat(),
            "api_tokens": int(n_tokens.get(r.id, 0)),
        }
        for r in rows
    ]


def set_password(conn: Connection, username: str, password: str) -> None:
    check_password_rules(password)
    user = get_user(conn, username)
    conn.execute(update(users).where(users.c.id == user.id).values(password_hash=_hasher.hash(password)))
    conn.execute(delete(sessions).where(sessions.c.user_id == user.id))


def set_role(conn: Connection, username: str, role: str) -> None:
    if role not in ROLES:
        raise ConfigError(f"unknown role {role!r}: choose {', '.join(ROLES)}")
    user = get_user(conn, username)
    conn.execute(update(users).where(users.c.id == user.id).values(role=role))


def set_lang(conn: Connection, user_id: int, lang: str) -> None:
    if lang not in LANGS:
        raise ConfigError(f"unknown language {lang!r}: choose {', '.join(LANGS)}")
    conn.execute(update(users).where(users.c.id == user_id).values(lang=lang))


def set_codebook(conn: Connection, user_id: int, codebook: str | None) -> None:
    """Remember the codebook a user chose in the web app (its id; None: the app's default)."""
    conn.execute(update(users).where(users.c.id == user_id).values(codebook=codebook))


def disable_user(conn: Connection, username: str) -> None:
    """Close an account: its sessions and tokens stop working at once; its audit entries stay."""
    user = get_user(conn, username)
    conn.execute(update(users).where(users.c.id == user.id).values(disabled=True))
    conn.execute(delete(sessions).where(sessions.c.user_id == user.id))
    conn.execute(delete(api_tokens).where(api_tokens.c.user_id == user.id))


# --- logging in --------------------------------------------------------------------------------------
def _recent_failures(conn: Connection, key: str, since: dt.datetime) -> int:
    return int(
        conn.execute(
            select(func.count())
            .select_from(login_failures)
            .where(login_failures.c.key == key, login_failures.c.at >= since)
        ).scalar_one()
    )


def _key(kind: str, value: str) -> str:
    """A ``login_failures`` key; a value too long for the column is kept as its digest."""
    key = f"{kind}:{value.lower()}"
    return key if len(key) <= _MAX_KEY else f"{kind}#{_digest(key)}"


def login_delay(conn: Connection, username: str) -> float:
    """Seconds a sign-in as ``username`` waits before its password is checked (0 mostly).

    Counts the user name's failures in the window from every address: none up to SLOW_AFTER,
    then SLOW_FIRST seconds doubling with each further failure, at most SLOW_MAX.
    """
    n = _recent_failures(conn, _key("user", username), now() - LOGIN_WINDOW)
    if n < SLOW_AFTER:
        return 0.0
    return float(min(SLOW_MAX, SLOW_FIRST * 2 ** min(n - SLOW_AFTER, 16)))


def authenticate(conn: Connection, username: str, password: str, client: str = "local") -> User:
    """The user with this name and password; AuthError (one message for every failure) otherwise.

    After too many failures for one user name from one client, or for any names from one client,
    within the window, that client's attempts are refused until the window has passed, right
    password or not; other clients are not affected (see :func:`login_delay` for them).
    """
    at = now()
    since = at - LOGIN_WINDOW
    conn.execute(delete(login_failures).where(login_failures.c.at < since))
    user_key, client_key = _key("user", username), _key("client", client)
    pair_key = _key("pair", f"{username}|{client}")
    if (
        _recent_failures(conn, pair_key, since) >= MAX_FAILURES_PER_USER
        or _recent_failures(conn, client_key, since) >= MAX_FAILURES_PER_CLIENT
    ):
        minutes = int(LOGIN_WINDOW.total_seconds() // 60)
        raise AuthError(f"too many failed logins: try again in {minutes} minutes")
    row = conn.execute(select(users).where(users.c.username == username, users.c.disabled.is_(False))).first()
    ok = False
    try:
        if row is not None:
            ok = _hasher.verify(row.password_hash, password)
        else:
            _hasher.hash(password)  # spend the same time whether or not the user exists
    except (VerifyMismatchError, VerificationError, InvalidHashError):
        ok = False
    if not ok or row is None:
        conn.execute(
            insert(login_failures),
            [{"key": key, "at": at} for key in (user_key, pair_key, client_key)],
        )
        raise AuthError("wrong user name or password")
    conn.execute(delete(login_failures).where(login_failures.c.key.in_((user_key, pair_key))))
    if _hasher.check_needs_rehash(row.password_hash):
        conn.execute(update(users).where(users.c.id == row.id).values(password_hash=_hasher.hash(password)))
    return _user(row)


# --- sessions (the web app's cookie) ----------------------------------------------------------------
def open_session(conn: Connection, user: User) -> tuple[str, str]:
    """A new session: (cookie value, CSRF token). Only the cookie's digest is stored."""
    token, csrf = secrets.token_urlsafe(32), secrets.token_urlsafe(32)
    at = now()
    conn.execute(delete(sessions).where(sessions.c.expires_at < at))
    conn.execute(
        insert(sessions).values(
            token_hash=_digest(token),
            user_id=user.id,
            csrf=csrf,
            created_at=at,
            expires_at=at + dt.timedelta(days=SESSION_DAYS),
        )
    )
    return token, csrf


def session_user(conn: Connection, token: str) -> tuple[User, str] | None:
    """The user and CSRF token of a live session cookie, else None."""
    if not token:
        return None
    row = conn.execute(
        select(users, sessions.c.csrf)
        .join(sessions, sessions.c.user_id == users.c.id)
        .where(
            sessions.c.token_hash == _digest(token),
            sessions.c.expires_at > now(),
            users.c.disabled.is_(False),
        )
    ).first()
    return (_user(row), row.csrf) if row is not None else None


def close_session(conn: Connection, token: str) -> None:
    conn.execute(delete(sessions).where(sessions.c.token_hash == _digest(token)))


# --- API tokens -------------------------------------------------------------------------------------
def new_token(conn: Connection, username: str) -> str:
    """A new API token for a user (printed once; only its digest is kept)."""
    user = get_user(conn, username)
    token = TOKEN_PREFIX + secrets.token_urlsafe(32)
    conn.execute(insert(api_tokens).values(user_id=user.id, token_hash=_digest(token), created_at=now()))
    return token


def token_user(conn: Connection, token: str) -> User:
    row = conn.execute(
        select(users, api_tokens.c.id.label("token_id"), api_tokens.c.last_used)
        .join(api_tokens, api_tokens.c.user_id == users.c.id)
        .where(api_tokens.c.token_hash == _digest(token), users.c.disabled.is_(False))
    ).first()
    if row is None:
        raise AuthError("unknown or revoked API token")
    at = now()
    if row.last_used is None or at - row.last_used > dt.timedelta(minutes=1):  # not a write per request
        conn.execute(update(api_tokens).where(api_tokens.c.id == row.token_id).values(last_used=at))
    return _user(row)


def revoke_tokens(conn: Connection, username: str) -> int:
    user = get_user(conn, username)
    return int(conn.execute(delete(api_tokens).where(api_tokens.c.user_id == user.id)).rowcount or 0)


def revoke_token(conn: Connection, token_id: int) -> None:
    """One API token stops working at once (the others of its user go on)."""
    if not conn.execute(delete(api_tokens).where(api_tokens.c.id == token_id)).rowcount:
        raise NotFoundError(f"no API token #{token_id}")


def list_tokens(conn: Connection) -> list[dict[str, object]]:
    """Every API token: its id, user, when made and last used (never the token: only its digest is kept)."""
    rows = conn.execute(
        select(api_tokens.c.id, users.c.username, api_tokens.c.created_at, api_tokens.c.last_used)
        .join(users, users.c.id == api_tokens.c.user_id)
        .order_by(users.c.username, api_tokens.c.id)
    )
    return [
        {"id": int(r.id), "username": r.username, "created_at": r.created_at, "last_used": r.last_used}
        for r in rows
    ]
