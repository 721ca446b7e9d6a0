"""Hostile query parameters, path values and review bodies: never a 5xx, never a leaking error body."""

from __future__ import annotations

from hypothesis import example, given

from tests.fuzz.harness import Env, check_api, fuzz_settings
from tests.fuzz.strategies import ApiRequest, api_requests

BIG = str(2**63)


@fuzz_settings()
@given(req=api_requests())
@example(req=ApiRequest("GET", "/api/events/{id}", BIG, (), "adm", True))
@example(req=ApiRequest("GET", "/events", "1", (("page", str(2**63 - 1)),), "adm", False))
@example(req=ApiRequest("GET", "/api/events", "1", (("q", "\x00"),), "vic", True))
@example(req=ApiRequest("GET", "/", "1", (("period", "9999"), ("calendar", "gregorian")), "adm", False))
@example(req=ApiRequest("GET", "/api/tally", "1", (("period", "0001-01-01..9999-12-31"),), "adm", True))
@example(
    req=ApiRequest(
        "POST", "/api/events/{id}/review", "1", (), "ana", True, {"action": "correct", "quantity": 1e30}
    )
)
@example(
    req=ApiRequest(
        "POST", "/api/events/{id}/review", "1", (), "ana", True, {"action": "confirm", "note": "\ud800"}
    )
)
def test_api_and_pages_answer_hostile_requests_without_5xx_or_leaks(fuzz_env: Env, req: ApiRequest) -> None:
    check_api(fuzz_env, req)
