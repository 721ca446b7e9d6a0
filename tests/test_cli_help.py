"""Every command of the CLI explains itself: a help text for each command and each option."""

from __future__ import annotations

import click
import pytest
from click.testing import CliRunner

from eventledger.cli import cli as main


def _commands(
    group: click.Group, prefix: tuple[str, ...] = ()
) -> list[tuple[tuple[str, ...], click.Command]]:
    out = []
    for name, cmd in sorted(group.commands.items()):
        out.append(((*prefix, name), cmd))
        if isinstance(cmd, click.Group):
            out.extend(_commands(cmd, (*prefix, name)))
    return out


COMMANDS = _commands(main)


def test_there_are_commands():
    assert len(COMMANDS) > 20


@pytest.mark.parametrize(("path", "cmd"), COMMANDS, ids=[" ".join(p) for p, _ in COMMANDS])
def test_each_command_has_help(path: tuple[str, ...], cmd: click.Command):
    assert (cmd.help or "").strip(), f"`eventledger {' '.join(path)}` has no help text"
    undocumented = [
        p.opts[0]
        for p in cmd.params
        if isinstance(p, click.Option) and not p.hidden and not (p.help or "").strip()
    ]
    assert undocumented == [], f"`eventledger {' '.join(path)}`: options without help {undocumented}"
    res = CliRunner().invoke(main, [*path, "--help"])
    assert res.exit_code == 0 and "Usage:" in res.output
