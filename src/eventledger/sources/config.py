"""The sources file: what to monitor, how often, and each outlet's stance.

TOML::

    [[source]]
    name = "Iran Monitor"                       # also the outlet name, unless `outlet` is given
    kind = "rss"                                # rss | atom | html | sitemap | telegram-web
    url = "https://iranmonitor.example/feed.xml"
    stance = "independent"                      # actor | state | independent | unknown
    lang = "en"                                 # optional; detected when absent
    interval = "30m"                            # poll interval: 90s, 15m, 2h, 1d (default 1h)

or the same as YAML under a ``sources:`` list. ``actor`` names the actor of an outlet whose stance
is ``actor``; ``max_pages`` limits Telegram web pages (default 3) and ``max_items`` sitemap pages.
"""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from eventledger.errors import ConfigError
from eventledger.outlets import STANCES, Outlet
from eventledger.sources.kinds import URL_KINDS

DEFAULT_INTERVAL = 3600
_INTERVAL = re.compile(r"^\s*(\d+)\s*([smhd]?)\s*$")
_UNITS = {"": 1, "s": 1, "m": 60, "h": 3600, "d": 86400}


@dataclass(frozen=True)
class SourceSpec:
    name: str
    kind: str
    url: str
    outlet: str
    stance: str = "unknown"
    actor: str | None = None
    lang: str | None = None
    interval_s: int = DEFAULT_INTERVAL
    max_pages: int = 3
    max_items: int = 200

    def outlet_config(self) -> Outlet:
        return Outlet(self.outlet, self.stance, self.actor, self.lang)  # type: ignore[arg-type]


def parse_interval(value: Any, where: str) -> int:
    if isinstance(value, int) and value > 0:
        return value
    m = _INTERVAL.match(str(value))
    if not m or int(m.group(1)) <= 0:
        raise ConfigError(f"{where}: interval {value!r} is not like 90s, 15m, 2h or 1d")
    return int(m.group(1)) * _UNITS[m.group(2)]


def parse_sources(data: Any, source: str) -> list[SourceSpec]:
    items = data.get("source") or data.get("sources") if isinstance(data, dict) else None
    if not isinstance(items, list):
        raise ConfigError(f"{source}: expected a list of sources ([[source]] in TOML, sources: in YAML)")
    out: list[SourceSpec] = []
    names: set[str] = set()
    for i, item in enumerate(items):
        where = f"{source}: source {i + 1}"
        if not isinstance(item, dict):
            raise ConfigError(f"{where}: expected a table of settings")
        name = str(item.get("name") or "").strip()
        if not name:
            raise ConfigError(f"{where}: 'name' is required")
        where = f"{source}: source {name!r}"
        if name in names:
            raise ConfigError(f"{where}: listed twice")
        names.add(name)
        kind = str(item.get("kind") or "").strip()
        if kind not in URL_KINDS:
            raise ConfigError(f"{where}: kind {kind!r} is not one of {', '.join(URL_KINDS)}")
        url = str(item.get("url") or "").strip()
        if not re.match(r"^https?://", url):
            raise ConfigError(f"{where}: 'url' must be an http(s) URL")
        stance = str(item.get("stance", "unknown"))
        if stance not in STANCES:
            raise ConfigError(f"{where}: stance {stance!r} is not one of {', '.join(STANCES)}")
        if stance == "actor" and not item.get("actor"):
            raise ConfigError(f"{where}: a source with stance 'actor' must name its actor")
        unknown = set(item) - {
            "name",
            "kind",
            "url",
            "outlet",
            "stance",
            "actor",
            "lang",
            "interval",
            "max_pages",
            "max_items",
        }
        if unknown:
            raise ConfigError(f"{where}: unknown setting(s) {', '.join(sorted(unknown))}")
        out.append(
            SourceSpec(
                name=name,
                kind=kind,
                url=url,
                outlet=str(item.get("outlet") or name),
                stance=stance,
                actor=item.get("actor"),
                lang=item.get("lang"),
                interval_s=parse_interval(item.get("interval", DEFAULT_INTERVAL), where),
                max_pages=int(item.get("max_pages", 3)),
                max_items=int(item.get("max_items", 200)),
            )
        )
    return out


def load_sources(path: str | Path) -> list[SourceSpec]:
    p = Path(path)
    try:
        raw = p.read_bytes()
    except FileNotFoundError as exc:
        raise ConfigError(f"sources file not found: {p}") from exc
    try:
        data = (
            tomllib.loads(raw.decode("utf-8")) if p.suffix == ".toml" else yaml.safe_load(raw.decode("utf-8"))
        )
    except (tomllib.TOMLDecodeError, yaml.YAMLError, UnicodeDecodeError) as exc:
        raise ConfigError(f"{p}: cannot read the sources file: {exc}") from exc
    return parse_sources(data, str(p))
