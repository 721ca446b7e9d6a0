"""The code stays as clean as it is: ruff, ruff format and strict mypy run with the tests (CI runs them)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
PATHS = ["src", "tests", "tools", "bench"]


def _run(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", *args], cwd=ROOT, capture_output=True, text=True, timeout=600
    )


def test_ruff_check():
    res = _run("ruff", "check", *PATHS)
    assert res.returncode == 0, res.stdout[-4000:] + res.stderr[-2000:]


def test_ruff_format():
    res = _run("ruff", "format", "--check", *PATHS)
    assert res.returncode == 0, res.stdout[-4000:] + res.stderr[-2000:]


def test_mypy_strict():
    res = _run("mypy", "src")  # strict, per pyproject.toml
    assert res.returncode == 0, res.stdout[-4000:] + res.stderr[-2000:]
