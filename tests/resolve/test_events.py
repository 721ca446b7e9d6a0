import datetime as dt

from eventledger.outlets import Outlet
from eventledger.resolve.events import EventState, best_date, claim_status, match_event

D = dt.date(2023, 2, 17)
STANCES = {
    "Sepideh Telegram": Outlet("Sepideh Telegram", "actor", "sepideh-network"),
    "Sepideh News": Outlet("Sepideh News", "actor", "sepideh-network"),
    "Vatan": Outlet("Vatan", "state"),
    "Iran Monitor": Outlet("Iran Monitor", "independent"),
    "Didban": Outlet("Didban", "independent"),
    "Wire": Outlet("Wire", "unknown"),
}


def ev(day, precision="day"):
    return EventState("arson", "gn:1", day, precision)


def test_same_day_matches():
    e = ev(D)
    assert match_event([e], D, "day") is e


def test_neighbouring_day_only_when_a_date_is_imprecise():
    precise = ev(D)
    assert match_event([precise], D + dt.timedelta(days=1), "day") is None
    assert match_event([precise], D + dt.timedelta(days=1), "relative") is precise
    loose = ev(D, "publication")
    assert match_event([loose], D - dt.timedelta(days=1), "day") is loose
    assert match_event([loose], D + dt.timedelta(days=2), "publication") is None


def test_exact_day_wins_over_neighbour():
    a, b = ev(D - dt.timedelta(days=1), "relative"), ev(D, "relative")
    assert match_event([a, b], D, "relative") is b


def test_best_date_prefers_explicit_then_earliest():
    assert best_date([(D, "publication"), (D - dt.timedelta(days=1), "relative")]) == (
        D - dt.timedelta(days=1),
        "relative",
    )
    assert best_date([(D, "day"), (D - dt.timedelta(days=1), "relative")]) == (D, "day")


def test_claim_status_from_outlet_stances():
    assert claim_status(["Sepideh Telegram"], STANCES) == "claimed"
    assert claim_status(["Sepideh Telegram", "Sepideh News"], STANCES) == "claimed"
    assert claim_status(["Sepideh Telegram", "Vatan"], STANCES) == "reported"
    assert (
        claim_status(["Wire", "Some New Outlet"], STANCES) == "reported"
    )  # unknown stances never corroborate
    assert claim_status(["Sepideh Telegram", "Vatan", "Iran Monitor"], STANCES) == "corroborated"
    assert claim_status(["Iran Monitor", "Didban"], STANCES) == "corroborated"
    assert claim_status(["Iran Monitor", "Iran Monitor"], STANCES) == "reported"
