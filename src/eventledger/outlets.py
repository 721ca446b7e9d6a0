"""Outlets and their stance towards the actors they report on.

The stance decides the claim status of events: ``actor`` (the actor's own outlet: its reports are
claims), ``state`` (state media), ``independent`` and ``unknown``. Stances are configuration, kept
in the store and loaded from a YAML file::

    outlets:
      - name: Sepideh Telegram
        stance: actor
        actor: sepideh-network
        lang: fa
      - name: Iran Monitor
        stance: independent

Outlet names are shown to every reader and exported, so personal data in them (a channel named
after a phone number or an e-mail address) is redacted in every :class:`Outlet` (from the file or
``outlets set``) as in every stored report (:func:`eventledger.normalize.redact.redact_name`): both
spell the name the same way, so stances still apply.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from eventledger.errors import ConfigError
from eventledger.normalize.redact import redact_name
from eventledger.records import Stance

STANCES: tuple[Stance, ...] = ("actor", "state", "independent", "unknown")


@dataclass(frozen=True)
class Outlet:
    name: str
    stance: Stance = "unknown"
    actor: str | None = None
    lang: str | None = None

    def __post_init__(self) -> None:
        object.__setattr__(self, "name", redact_name(self.name))


def parse_outlets(data: Any, source: str) -> list[Outlet]:
    if not isinstance(data, dict) or not isinstance(data.get("outlets"), list):
        raise ConfigError(f"{source}: expected a mapping with an 'outlets' list")
    out: list[Outlet] = []
    seen: set[str] = set()
    for i, item in enumerate(data["outlets"]):
        where = f"{source}: outlets[{i}]"
        if not isinstance(item, dict) or not isinstance(item.get("name"), str) or not item["name"].strip():
            raise ConfigError(f"{where}: each outlet needs a 'name'")
        name = redact_name(item["name"].strip())
        stance = item.get("stance", "unknown")
        if stance not in STANCES:
            raise ConfigError(f"{where} ({name}): stance {stance!r} is not one of {', '.join(STANCES)}")
        if stance == "actor" and not item.get("actor"):
            raise ConfigError(f"{where} ({name}): an outlet with stance 'actor' must name its actor")
        if name in seen:
            raise ConfigError(
                f"{where}: outlet {name!r} is listed twice (personal data in names is redacted)"
            )
        seen.add(name)
        out.append(Outlet(name, stance, item.get("actor"), item.get("lang")))
    return out


def load_outlets(path: str | Path) -> list[Outlet]:
    p = Path(path)
    try:
        data = yaml.safe_load(p.read_text(encoding="utf-8"))
    except FileNotFoundError as exc:
        raise ConfigError(f"outlets file not found: {p}") from exc
    except (yaml.YAMLError, UnicodeDecodeError) as exc:
        raise ConfigError(f"{p}: not valid YAML: {exc}") from exc
    return parse_outlets(data, str(p))
