"""The team deployment (deploy/): compose.yaml cannot run here (no Docker), so what it names is checked —
every eventledger command and option exists, the Dask commands and options exist, the environment
variables are ones the CLI reads, the image installs extras the project defines, the example sources
file loads."""

from __future__ import annotations

import re
import shutil
import subprocess
import tomllib
from pathlib import Path

import click
import pytest
import yaml

from eventledger.cli import cli
from eventledger.sources.config import load_sources

ROOT = Path(__file__).resolve().parents[1]
DEPLOY = ROOT / "deploy"


def compose() -> dict:
    return yaml.safe_load((DEPLOY / "compose.yaml").read_text(encoding="utf-8"))


def commands() -> dict[str, list[str]]:
    return {name: svc["command"] for name, svc in compose()["services"].items() if "command" in svc}


def _options(cmd: click.Command) -> set[str]:
    return {o for p in cmd.params for o in (*p.opts, *p.secondary_opts)}


def _envvars(cmd: click.Command) -> set[str]:
    return {p.envvar for p in cmd.params if isinstance(getattr(p, "envvar", None), str)}


def test_the_services_of_a_team_deployment_are_there():
    services = compose()["services"]
    assert {"postgres", "scheduler", "worker", "watcher", "web", "recode"} <= set(services)
    assert services["watcher"]["deploy"]["replicas"] >= 2  # several watchers share the store
    assert services["recode"]["profiles"] == ["batch"]  # a one-off job, not a service
    assert "8000:8000" in services["web"]["ports"]


@pytest.mark.parametrize("service", sorted(n for n, c in commands().items() if c[0] == "eventledger"))
def test_each_eventledger_command_and_option_exists(service):
    argv = commands()[service][1:]
    sub = cli.commands[argv[0]]
    known = _options(sub) | _options(cli) | {"--help"}
    for token in argv[1:]:
        if token.startswith("--"):
            assert token.split("=", 1)[0] in known, f"{service}: eventledger {argv[0]} has no option {token}"
    # the command parses as the container would run it (without running it)
    ctx = sub.make_context(argv[0], list(argv[1:]), resilient_parsing=True)
    assert ctx.command is sub


def test_the_environment_names_variables_the_cli_reads():
    env = compose()["x-eventledger"]["environment"]
    read = _envvars(cli) | {v for c in cli.commands.values() for v in _envvars(c)}
    # read by the CLI itself (the sources file, the server's settings)
    read |= set(
        re.findall(r'"(EVENTLEDGER_[A-Z_]+)"', (ROOT / "src/eventledger/cli.py").read_text(encoding="utf-8"))
    )
    for name in env:
        assert name in read, f"{name} is not read by any eventledger option"
    assert env["EVENTLEDGER_DB"].startswith("postgresql+psycopg://")


@pytest.mark.parametrize("service", ["scheduler", "worker"])
def test_the_dask_commands_and_options_exist(service):
    argv = commands()[service]
    assert argv[0] == "dask"
    exe = shutil.which("dask")
    if exe is None:
        pytest.skip("the [dask] extra is not installed")
    help_text = subprocess.run([exe, argv[1], "--help"], capture_output=True, text=True, check=True).stdout
    for token in argv[2:]:
        if token.startswith("--"):
            assert token in help_text, f"dask {argv[1]} has no option {token}"


def test_the_image_installs_extras_the_project_defines():
    extras = set(
        tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"][
            "optional-dependencies"
        ]
    )
    dockerfile = (DEPLOY / "Dockerfile").read_text(encoding="utf-8")
    (wanted,) = re.findall(r'pip install [^\n]*"\.\[([a-z,-]+)\]"', dockerfile)
    assert set(wanted.split(",")) <= extras
    assert {"postgres", "dask"} <= set(wanted.split(","))


def test_the_example_sources_file_loads():
    (spec,) = load_sources(DEPLOY / "sources.example.toml")
    assert spec.kind == "rss" and spec.url.startswith("https://")
