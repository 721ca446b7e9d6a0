"""What an admin changes outside the events: users, API tokens, sources, outlets — each change audited.

The web app's admin pages and the CLI's ``users``/``outlets`` commands call these functions; every
one writes an :data:`~eventledger.store.schema.audit` row (who, when, what it touched as ``target``,
the values before and after) in the same transaction as the change, so that an admin change never
happens without its audit row. Secrets never reach the log: a password change records that it
happened, a new token only its id.

Admin changes are not reverted like event reviews: the opposite change (resume after pause, the old
role) is made and audited in its turn.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Connection, func, insert, select, update

from eventledger import accounts
from eventledger.errors import ConfigError, NotFoundError, PermissionDenied, ReviewError
from eventledger.outlets import STANCES, Outlet
from eventledger.review.actions import Reviewer
from eventledger.sources.config import DEFAULT_INTERVAL, parse_interval
from eventledger.sources.kinds import URL_KINDS
from eventledger.store import queries, writer
from eventledger.store.schema import api_tokens, audit, outlets, sources, users

ADMIN_ACTIONS: tuple[str, ...] = (
    "user-add",
    "user-role",
    "user-disable",
    "user-enable",
    "user-password",
    "token-new",
    "token-revoke",
    "source-add",
    "source-edit",
    "source-pause",
    "source-resume",
    "outlet-edit",
)
MAX_SOURCE_NAME = 200
MIN_INTERVAL_S = 60


@dataclass(frozen=True, slots=True)
class Change:
    """One audited admin change."""

    audit_id: int
    action: str
    target: str
    message: str  # what was done, in a sentence


def require_admin(actor: Reviewer) -> None:
    if actor.role != "admin":
        raise PermissionDenied(f"user {actor.username!r} is a {actor.role}: this change needs an admin")


def _audit(
    conn: Connection,
    actor: Reviewer,
    action: str,
    target: str,
    before: Mapping[str, Any] | None,
    after: Mapping[str, Any] | None,
    message: str,
    note: str | None = None,
) -> Change:
    audit_id = conn.execute(
        insert(audit)
        .values(
            at=writer.now(),
            user_id=actor.user_id,
            username=actor.username,
            action=action,
            event_id=None,
            target=target[:200],
            before={"admin": dict(before or {})},
            after={"admin": dict(after or {})},
            note=note or None,
        )
        .returning(audit.c.id)
    ).scalar_one()
    return Change(int(audit_id), action, target, message)


# --- users and tokens -------------------------------------------------------------------------------
def _user_row(conn: Connection, username: str) -> Any:
    row = conn.execute(select(users).where(users.c.username == username)).first()
    if row is None:
        raise NotFoundError(f"no user named {username!r}")
    return row


def _user_values(row: Any) -> dict[str, Any]:
    return {"role": row.role, "lang": row.lang, "disabled": bool(row.disabled)}


def _active_admins(conn: Connection) -> int:
    q = select(func.count()).select_from(users).where(users.c.role == "admin", users.c.disabled.is_(False))
    return int(conn.execute(q).scalar_one())


def add_user(
    conn: Connection, actor: Reviewer, username: str, password: str, role: str = "viewer", lang: str = "en"
) -> Change:
    require_admin(actor)
    user = accounts.add_user(conn, username, password, role, lang)
    after = {"role": user.role, "lang": user.lang, "disabled": False}
    return _audit(
        conn,
        actor,
        "user-add",
        f"user:{user.username}",
        None,
        after,
        f"user {user.username!r} added as {role}",
    )


def set_role(conn: Connection, actor: Reviewer, username: str, role: str) -> Change:
    """A new role; the last active admin keeps theirs (nobody could manage users any more)."""
    require_admin(actor)
    row = _user_row(conn, username)
    if row.role == "admin" and role != "admin" and not row.disabled and _active_admins(conn) <= 1:
        raise ReviewError(f"{username!r} is the last admin: make another user admin first")
    accounts.set_role(conn, username, role)
    after = {**_user_values(row), "role": role}
    return _audit(
        conn,
        actor,
        "user-role",
        f"user:{username}",
        _user_values(row),
        after,
        f"{username!r} is now a {role}",
    )


def disable_user(conn: Connection, actor: Reviewer, username: str) -> Change:
    """Sessions and tokens stop at once; the audit entries stay. Not yourself, not the last admin."""
    require_admin(actor)
    row = _user_row(conn, username)
    if row.username == actor.username:
        raise ReviewError("you cannot disable your own account: ask another admin")
    if row.role == "admin" and not row.disabled and _active_admins(conn) <= 1:
        raise ReviewError(f"{username!r} is the last admin: make another user admin first")
    accounts.disable_user(conn, username)
    after = {**_user_values(row), "disabled": True}
    return _audit(
        conn, actor, "user-disable", f"user:{username}", _user_values(row), after, f"{username!r} disabled"
    )


def enable_user(conn: Connection, actor: Reviewer, username: str) -> Change:
    require_admin(actor)
    row = _user_row(conn, username)
    conn.execute(update(users).where(users.c.id == row.id).values(disabled=False))
    after = {**_user_values(row), "disabled": False}
    return _audit(
        conn, actor, "user-enable", f"user:{username}", _user_values(row), after, f"{username!r} enabled"
    )


def reset_password(conn: Connection, actor: Reviewer, username: str, password: str) -> Change:
    """A new password (its sessions end); the audit row says only that it changed."""
    require_admin(actor)
    _user_row(conn, username)
    accounts.set_password(conn, username, password)
    return _audit(
        conn,
        actor,
        "user-password",
        f"user:{username}",
        None,
        {"password": "changed"},
        f"new password for {username!r}",
    )


def new_token(conn: Connection, actor: Reviewer, username: str) -> tuple[str, Change]:
    """A new API token (shown once; the audit row keeps its id, never the token)."""
    require_admin(actor)
    row = _user_row(conn, username)
    if row.disabled:
        raise ReviewError(f"{username!r} is disabled: enable the account before giving it a token")
    token = accounts.new_token(conn, username)
    token_id = conn.execute(
        select(func.max(api_tokens.c.id)).where(api_tokens.c.user_id == row.id)
    ).scalar_one()
    change = _audit(
        conn,
        actor,
        "token-new",
        f"user:{username}",
        None,
        {"token_id": token_id},
        f"API token #{token_id} for {username!r}",
    )
    return token, change


def revoke_token(conn: Connection, actor: Reviewer, token_id: int) -> Change:
    require_admin(actor)
    row = conn.execute(
        select(api_tokens.c.id, users.c.username)
        .join(users, users.c.id == api_tokens.c.user_id)
        .where(api_tokens.c.id == token_id)
    ).first()
    if row is None:
        raise NotFoundError(f"no API token #{token_id} (already revoked?)")
    accounts.revoke_token(conn, token_id)
    return _audit(
        conn,
        actor,
        "token-revoke",
        f"user:{row.username}",
        {"token_id": token_id},
        None,
        f"API token #{token_id} of {row.username!r} revoked",
    )


def revoke_tokens(conn: Connection, actor: Reviewer, username: str) -> list[Change]:
    """Every API token of a user revoked, each audited."""
    require_admin(actor)
    row = _user_row(conn, username)
    ids = conn.execute(select(api_tokens.c.id).where(api_tokens.c.user_id == row.id)).scalars().all()
    return [revoke_token(conn, actor, int(i)) for i in ids]


# --- sources -----------------------------------------------------------------------------------------
def _source_row(conn: Connection, name: str) -> Any:
    row = conn.execute(select(sources).where(sources.c.name == name)).first()
    if row is None:
        raise NotFoundError(f"no source named {name!r}")
    return row


def _source_values(row: Any) -> dict[str, Any]:
    return {
        "kind": row.kind,
        "url": row.url,
        "outlet": row.outlet,
        "lang": row.lang,
        "interval_s": row.interval_s,
        "paused": bool(row.paused),
        "origin": row.origin,
    }


def add_source(
    conn: Connection,
    actor: Reviewer,
    *,
    name: str,
    url: str,
    kind: str,
    outlet: str | None = None,
    stance: str | None = None,
    actor_id: str | None = None,
    lang: str | None = None,
    interval: str | int = DEFAULT_INTERVAL,
) -> Change:
    """A source ``watch`` polls from its next pass (``origin = 'web'``), its outlet registered.

    ``stance`` (optional) sets the outlet's stance; an outlet the store has keeps its own otherwise.
    """
    require_admin(actor)
    name = " ".join(name.split())
    if not name or len(name) > MAX_SOURCE_NAME:
        raise ConfigError(f"a source needs a name of 1 to {MAX_SOURCE_NAME} characters")
    if kind not in URL_KINDS:
        raise ConfigError(f"kind {kind!r} is not one of {', '.join(URL_KINDS)}")
    if not re.match(r"^https?://[^\s/]+", url):
        raise ConfigError(f"{url!r} is not an http(s) URL")
    if conn.execute(select(sources.c.name).where(sources.c.name == name)).first() is not None:
        raise ConfigError(f"a source named {name!r} exists already")
    interval_s = _interval(interval)
    outlet_name = Outlet(" ".join((outlet or name).split())).name  # redacted as stored
    known = queries.load_stances(conn)
    if stance is not None or outlet_name not in known:
        _check_stance(stance or "unknown", actor_id)
        old = known.get(outlet_name)
        writer.upsert_outlets(
            conn,
            [Outlet(outlet_name, stance or "unknown", actor_id or None, lang or (old.lang if old else None))],  # type: ignore[arg-type]
        )
        writer.refresh_claims(conn, queries.load_stances(conn))
    now = writer.now()
    values = {
        "name": name,
        "kind": kind,
        "url": url,
        "outlet": outlet_name,
        "lang": lang or None,
        "interval_s": interval_s,
        "consecutive_failures": 0,
        "items_seen": 0,
        "updated_at": now,
        "origin": "web",
        "paused": False,
        "stance": stance,
        "actor": actor_id or None,
        "added_by": actor.username,
    }
    conn.execute(insert(sources).values(**values))
    after = {k: values[k] for k in ("kind", "url", "outlet", "lang", "interval_s", "paused", "origin")}
    return _audit(conn, actor, "source-add", f"source:{name}", None, after, f"source {name!r} added ({kind})")


def _interval(value: str | int) -> int:
    seconds = parse_interval(value, "interval")
    if seconds < MIN_INTERVAL_S:
        raise ConfigError(
            f"interval {value!r}: at least {MIN_INTERVAL_S} seconds between two checks of a source"
        )
    return seconds


def _check_stance(stance: str, actor_id: str | None) -> None:
    if stance not in STANCES:
        raise ConfigError(f"stance {stance!r} is not one of {', '.join(STANCES)}")
    if stance == "actor" and not actor_id:
        raise ConfigError("an outlet with stance 'actor' must name its actor")


def edit_source(
    conn: Connection, actor: Reviewer, name: str, *, interval: str | int | None = None, lang: str | None = None,
    url: str | None = None,
) -> Change:  # fmt: skip
    """Change a web source's interval, language or URL (a file source is changed in its file)."""
    require_admin(actor)
    row = _source_row(conn, name)
    if row.origin != "web":
        raise ConfigError(
            f"source {name!r} comes from the sources file: change it there (here it can be paused or resumed)"
        )
    values: dict[str, Any] = {}
    if interval is not None and interval != "":
        values["interval_s"] = _interval(interval)
    if lang is not None:
        values["lang"] = lang or None
    if url:
        if not re.match(r"^https?://[^\s/]+", url):
            raise ConfigError(f"{url!r} is not an http(s) URL")
        values["url"] = url
    if not values:
        raise ConfigError("nothing to change")
    conn.execute(update(sources).where(sources.c.name == name).values(updated_at=writer.now(), **values))
    after = {**_source_values(row), **values}
    return _audit(
        conn, actor, "source-edit", f"source:{name}", _source_values(row), after, f"source {name!r} changed"
    )


def pause_source(conn: Connection, actor: Reviewer, name: str, *, paused: bool = True) -> Change:
    """``watch`` skips a paused source (file or web) until it is resumed."""
    require_admin(actor)
    row = _source_row(conn, name)
    if bool(row.paused) == paused:
        raise ReviewError(f"source {name!r} is {'paused' if paused else 'not paused'} already")
    conn.execute(update(sources).where(sources.c.name == name).values(paused=paused, updated_at=writer.now()))
    action = "source-pause" if paused else "source-resume"
    after = {**_source_values(row), "paused": paused}
    verb = "paused" if paused else "resumed"
    return _audit(
        conn, actor, action, f"source:{name}", _source_values(row), after, f"source {name!r} {verb}"
    )


# --- outlets -----------------------------------------------------------------------------------------
def _outlet_values(row: Any) -> dict[str, Any]:
    return {
        "stance": row.stance,
        "actor": row.actor,
        "lang": row.lang,
        "name_en": row.name_en,
        "name_fa": row.name_fa,
    }


def set_outlet(
    conn: Connection,
    actor: Reviewer,
    name: str,
    *,
    stance: str,
    actor_id: str | None = None,
    lang: str | None = None,
    name_en: str | None = None,
    name_fa: str | None = None,
    create: bool = False,
) -> tuple[Change, int]:
    """An outlet's stance, actor, language and display names; claim statuses follow.

    Returns the change and how many events' claim status changed. A name the store lacks is an
    error naming the outlets it may mean, unless ``create``. ``None`` keeps a value as it is."""
    from eventledger.store.validate import resolve_outlet

    require_admin(actor)
    _check_stance(stance, actor_id)
    name = Outlet(name).name  # redacted, as stored
    if not create:
        name = resolve_outlet(conn, name)
    row = conn.execute(select(outlets).where(outlets.c.name == name)).first()
    before = _outlet_values(row) if row is not None else None
    keep_lang = row.lang if row is not None else None
    writer.upsert_outlets(conn, [Outlet(name, stance, actor_id or None, lang or keep_lang)])  # type: ignore[arg-type]
    names: dict[str, Any] = {}
    if name_en is not None:
        names["name_en"] = " ".join(name_en.split())[:200] or None
    if name_fa is not None:
        names["name_fa"] = " ".join(name_fa.split())[:200] or None
    if names:
        conn.execute(update(outlets).where(outlets.c.name == name).values(**names))
    changed = writer.refresh_claims(conn, queries.load_stances(conn))
    after_row = conn.execute(select(outlets).where(outlets.c.name == name)).one()
    change = _audit(
        conn, actor, "outlet-edit", f"outlet:{name}", before, _outlet_values(after_row),
        f"{name}: {stance}; {changed} event claim status(es) changed.",
    )  # fmt: skip
    return change, changed


def outlet_names(conn: Connection) -> dict[str, dict[str, str]]:
    """Display names by outlet and language (only the outlets that have one)."""
    out: dict[str, dict[str, str]] = {}
    for r in conn.execute(select(outlets.c.name, outlets.c.name_en, outlets.c.name_fa)):
        names = {k: v for k, v in (("en", r.name_en), ("fa", r.name_fa)) if v}
        if names:
            out[r.name] = names
    return out
