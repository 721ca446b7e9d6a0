"""Fixtures for the gazetteer and place-finder tests."""

from __future__ import annotations

import pytest

from eventledger.geocode import Gazetteer, default_gazetteer


@pytest.fixture(scope="session")
def gazetteer() -> Gazetteer:
    return default_gazetteer()
