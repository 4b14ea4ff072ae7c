"""Assigning a case to a judge or a three-judge panel: the panel sits in the order the
court gives, never by the judges' database ids."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError

from nextecf.audit.models import AuditEvent, Event
from nextecf.cases.factories import CaseFactory, JudgeFactory
from nextecf.cases.selectors import full_case_number, panel_of
from nextecf.cases.services import case_assign
from nextecf.lib.actor import Actor
from nextecf.tests.staff_personas import persona_client


@pytest.fixture
def judges(court):
    # Created (and so numbered) in the order that used to leak into the case number.
    return {
        initials: JudgeFactory(court=court, name=name, initials=initials)
        for initials, name in [
            ("GWC", "Gregory W. Carman"),
            ("LMG", "Leo M. Gordon"),
            ("TCS", "Timothy C. Stanceu"),
        ]
    }


def test_a_panel_sits_in_the_courts_order_not_by_id(court, judges):
    case = CaseFactory(court=court)
    panel = [judges["GWC"], judges["TCS"], judges["LMG"]]
    case_assign(actor=Actor.system(court=court), case=case, judge=judges["GWC"], panel=panel)
    assert full_case_number(case, panel_of(case)) == f"{case.number}-GWC-TCS-LMG"
    event = AuditEvent.objects.get(event_type=Event.CASE_ASSIGNED)
    assert event.detail["after"] == "GWC-TCS-LMG" and event.detail["before"] == "N/A"


def test_reassigning_a_panel_to_one_judge_clears_the_panel(court, judges):
    case = CaseFactory(court=court)
    actor = Actor.system(court=court)
    case_assign(actor=actor, case=case, judge=None, panel=list(judges.values()))
    case = case_assign(actor=actor, case=case, judge=judges["LMG"], panel=[])
    assert panel_of(case) == [] and case.judge == judges["LMG"]
    assert full_case_number(case, []) == f"{case.number}-LMG"
    last = AuditEvent.objects.filter(event_type=Event.CASE_ASSIGNED).latest("pk")
    assert last.detail["before"] == "GWC-LMG-TCS" and last.detail["after"] == "LMG"


@pytest.mark.parametrize(
    ("choose", "field"),
    [
        (lambda j, other: (None, [j["GWC"], j["TCS"]]), "panel"),
        (lambda j, other: (None, [j["GWC"], j["GWC"], j["TCS"]]), "panel"),
        (lambda j, other: (other, []), "judge"),
        (lambda j, other: (None, [j["GWC"], j["TCS"], other]), "panel"),
        (
            lambda j, other: (j["LMG"], [j["GWC"], j["TCS"], JudgeFactory(court=j["GWC"].court)]),
            "judge",
        ),
    ],
)
def test_a_bad_assignment_changes_nothing(court, other_court, judges, choose, field):
    case = CaseFactory(court=court, judge=judges["GWC"])
    judge, panel = choose(judges, JudgeFactory(court=other_court, initials="XYZ"))
    with pytest.raises(ValidationError) as caught:
        case_assign(actor=Actor.system(court=court), case=case, judge=judge, panel=panel)
    assert field in caught.value.message_dict
    case.refresh_from_db()
    assert case.judge == judges["GWC"] and panel_of(case) == []
    assert not AuditEvent.objects.filter(event_type=Event.CASE_ASSIGNED).exists()


def test_the_clerk_seats_a_panel_seat_by_seat(court, staff_people, judges):
    case = CaseFactory(court=court)
    _, client = persona_client(staff_people, "clerk", court)
    url = f"/cit/staff/cases/{case.pk}/assignment/"
    assert "Panel seat 3" in client.get(url).content.decode()
    seats = {"seat_1": judges["GWC"].pk, "seat_2": judges["TCS"].pk, "seat_3": judges["LMG"].pk}
    response = client.post(url, seats)
    assert response.status_code == 302
    listing = client.get("/cit/staff/cases/").content.decode()
    assert f"Case {case.number}-GWC-TCS-LMG assigned." in listing
    assert f"<td>{case.number}-GWC-TCS-LMG</td>" in listing
    # The form shows the seats as they are.
    page = client.get(url).content.decode()
    assert f"Assign {case.number}-GWC-TCS-LMG" in page


def test_the_page_names_the_field_at_fault_and_changes_nothing(court, staff_people, judges):
    case = CaseFactory(court=court)
    _, client = persona_client(staff_people, "clerk", court)
    url = f"/cit/staff/cases/{case.pk}/assignment/"
    response = client.post(url, {"seat_1": judges["GWC"].pk, "seat_2": "not-a-judge"})
    assert response.status_code == 400
    response = client.post(url, {"seat_1": judges["GWC"].pk, "seat_2": judges["TCS"].pk})
    assert response.status_code == 400
    assert "A panel has 3 judges; choose 3 or none." in response.content.decode()
    assert panel_of(case) == []


def test_a_case_of_another_court_is_not_found(court, other_court, staff_people):
    elsewhere = CaseFactory(court=other_court)
    _, client = persona_client(staff_people, "clerk", court)
    assert client.get(f"/cit/staff/cases/{elsewhere.pk}/assignment/").status_code == 404
