"""The README keeps its promises: the two set-up commands, every command, the CI script."""

from __future__ import annotations

import re
from pathlib import Path

from eventledger.cli import cli

ROOT = Path(__file__).resolve().parent.parent
README = (ROOT / "README.md").read_text(encoding="utf-8")

DEMO_COMMAND = "python3 -m venv .venv && . .venv/bin/activate && pip install . && eventledger demo"
TEST_COMMAND = 'python3 -m venv .venv && . .venv/bin/activate && pip install -e ".[test]" && pytest'


def test_readme_has_the_two_setup_commands():
    assert DEMO_COMMAND in README
    assert TEST_COMMAND in README


def test_ci_runs_the_readme_test_command():
    ci = (ROOT / ".ci" / "run").read_text(encoding="utf-8")
    assert TEST_COMMAND in ci


def test_every_command_is_documented():
    for name, command in cli.commands.items():
        assert re.search(rf"eventledger {name}\b", README), f"`eventledger {name}` is not in the README"
        for sub in getattr(command, "commands", {}):
            assert re.search(rf"eventledger {name} {sub}\b", README) or name == "runs", (
                f"`eventledger {name} {sub}` is not in the README"
            )


def test_every_codebook_subtype_is_in_the_readme(codebook):
    for sid in codebook.subtypes:
        assert f"`{sid}`" in README, sid
