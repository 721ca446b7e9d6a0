"""eventledger: media reports in; coded, sourced, de-duplicated events and period statistics out."""

from __future__ import annotations

__version__ = "0.1.0"

__all__ = ["__version__"]
