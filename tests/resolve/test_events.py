import datetime as dt

from eventledger.outlets import Outlet
from eventledger.records import Mention
from eventledger.resolve.events import EventState, best_date, claim_status, match_event, resolve_batch

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


def _mention(day: dt.date, precision: str = "day", subtype: str = "arson", place: str = "IR-23") -> Mention:
    from eventledger.geocode.gazetteer import default_gazetteer

    return Mention(
        category="violence", subtype=subtype, field="text", sent_start=0, sent_end=1, trig_start=0, trig_end=1,
        sentence="x", trigger="x", date=day, date_precision=precision, date_text=None,
        place=default_gazetteer().by_id(place), place_text=None, quantity=None, actor=None, claimant=None,
        target=None, confidence=0.9, coder="rules/test", codebook="political-action@test",
    )  # fmt: skip


def test_resolving_a_batch_is_one_event_per_subtype_place_and_day():
    batch = [
        _mention(D, "publication"),  # the publication day of a report of the same act…
        _mention(D - dt.timedelta(days=1)),  # …dated exactly by another: one event, on the exact day
        _mention(D, subtype="vandalism"),  # another subtype: another event
        _mention(D, place="IR-07"),  # another place: another event
    ]
    r = resolve_batch(batch, {})
    assert len(r.new) == 3 and r.merged_mentions == 1
    assert r.assigned[0] is r.assigned[1] and r.assigned[0].date == D - dt.timedelta(days=1)
    assert r.assigned[0].date_precision == "day" and sorted(r.assigned[0].new_mentions) == [0, 1]


def test_a_batch_joins_a_stored_event_and_leaves_the_candidates_unchanged():
    stored = EventState("arson", "IR-23", D, "day", id=7)
    candidates = {("arson", "IR-23"): [stored]}
    r = resolve_batch([_mention(D, "relative")], candidates)
    assert r.new == [] and r.assigned[0] is stored and r.merged_mentions == 1
    assert candidates == {("arson", "IR-23"): [stored]}  # the caller's index is not grown
    # the order of the batch does not change the result (precise dates are resolved first)
    a = resolve_batch([_mention(D + dt.timedelta(days=1), "publication"), _mention(D)], {})
    b = resolve_batch([_mention(D), _mention(D + dt.timedelta(days=1), "publication")], {})
    assert (
        [(e.date, e.date_precision) for e in a.new]
        == [(e.date, e.date_precision) for e in b.new]
        == [(D, "day")]
    )
