"""Place look-up: the project's Iran gazetteer and the in-text place finder.

* :class:`~eventledger.geocode.gazetteer.Gazetteer` reads the packaged CSVs in
  ``eventledger/data/gazetteer`` (31 provinces, ~2,460 Iranian places, countries, cities abroad).
* :func:`~eventledger.geocode.matcher.find_places` finds place names in normalised Persian or
  English text and resolves them to :class:`~eventledger.records.Place` records.
"""

from __future__ import annotations

from eventledger.geocode.gazetteer import Gazetteer, default_gazetteer
from eventledger.geocode.matcher import PlaceMatch, find_places

__all__ = ["Gazetteer", "PlaceMatch", "default_gazetteer", "find_places"]
