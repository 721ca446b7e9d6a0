"""Reviewers' decisions as training data for the classifier (``eventledger model train --from-reviews``)."""

from __future__ import annotations

import hashlib

from sqlalchemy import Connection, select

from eventledger.errors import InputError
from eventledger.learn.data import Table
from eventledger.store.schema import mentions


def reviewed_table(conn: Connection) -> Table:
    """Confirmed and corrected mentions of the store as training rows (sentence → subtype)."""
    rows = conn.execute(
        select(mentions.c.id, mentions.c.sentence, mentions.c.subtype).where(
            mentions.c.review_status.in_(("confirmed", "corrected"))
        )
    ).all()
    if not rows:
        raise InputError("no confirmed or corrected mentions in the store yet: review some first")
    digest = hashlib.sha256(
        "\n".join(f"{r.id}\t{r.subtype}\t{r.sentence}" for r in rows).encode()
    ).hexdigest()
    return Table([r.sentence for r in rows], [r.subtype for r in rows], [r.id for r in rows], digest)
