"""Hypothesis profiles of the fuzz tests and the environment their cases run in.

``EVENTLEDGER_FUZZ_PROFILE`` picks the profile: ``ci`` (default: a small fixed budget, the same
examples on every run), ``dev`` (random examples, more of them) or ``long``. ``bench/fuzz.py`` runs
the same strategies and checks for minutes, in subprocesses that catch hangs.
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from tests.fuzz.harness import Env, register_profiles

register_profiles()


@pytest.fixture(scope="session")
def fuzz_env(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Env]:
    env = Env(tmp_path_factory.mktemp("fuzz"))
    env.warm_up()
    yield env
    env.close()
