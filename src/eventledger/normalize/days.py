"""The calendar day of a publication time: days are counted in Tehran, whatever the outlet's zone."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

TEHRAN = ZoneInfo("Asia/Tehran")


def local_datetime(published: dt.datetime) -> dt.datetime:
    """A publication time in Tehran (a naive time is taken as UTC)."""
    if published.tzinfo is None:
        published = published.replace(tzinfo=dt.UTC)
    return published.astimezone(TEHRAN)


def local_date(published: dt.datetime) -> dt.date:
    """The Tehran calendar day of a publication time."""
    return local_datetime(published).date()
