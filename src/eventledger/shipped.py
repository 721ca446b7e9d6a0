"""Files shipped inside the package: codebooks, gazetteer, model label maps, the sample, web assets.

One lookup for "a shipped file by name, or a path": a name without a suffix is the YAML file of that
name in ``eventledger/data/<folder>``; anything else is a path as given. Callers check that the file
exists and say what was missing in their own words.
"""

from __future__ import annotations

from importlib import resources
from pathlib import Path


def shipped_path(*parts: str) -> Path:
    """A file or folder inside the installed package (``shipped_path("data", "sample")``)."""
    return Path(str(resources.files("eventledger").joinpath(*parts)))


def shipped_or_path(name_or_path: str | Path, folder: str) -> Path:
    """``data/<folder>/<name>.yaml`` for a bare name (no suffix, not an existing path), else the path."""
    p = Path(name_or_path)
    if p.suffix or p.exists():
        return p
    return shipped_path("data", folder, f"{name_or_path}.yaml")


def shipped_names(folder: str) -> list[str]:
    """The names of the YAML files shipped in ``data/<folder>``."""
    return sorted(x.name.removesuffix(".yaml") for x in shipped_path("data", folder).glob("*.yaml"))
