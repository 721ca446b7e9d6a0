"""The package version: one definition, read by pyproject.toml (setuptools ``attr:``) and the code."""

from __future__ import annotations

__version__ = "0.1.0"
