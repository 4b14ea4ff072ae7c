"""The demo's content is data (cases/demo_data/*.toml): every reference in it resolves."""

from __future__ import annotations

from datetime import date

from nextecf.cases.catalogue import CIT_EVENTS
from nextecf.cases.demo import demo_court
from nextecf.cases.models import Case, EventType, Party
from nextecf.cases.numbers import normalize_case_number


def test_every_judge_attorney_and_event_a_demo_case_names_is_in_the_data():
    demo = demo_court()
    initials = {judge[1] for judge in demo.judges}
    logins = {a.login for a in demo.attorneys} | {demo.record_only.login}
    events = {spec.code for spec in CIT_EVENTS} | {event[0] for event in demo.events}
    for case in demo.cases:
        assert {case.judge, *case.panel} - {None} <= initials, case.number
        assert {login for p in case.parties for login, _ in p.attorneys} <= logins
        assert {e.by for e in case.entries} - {None} <= logins
        assert {e.event for e in case.entries} - {None} <= events, case.number


def test_the_demo_data_holds_values_the_models_accept():
    demo = demo_court()
    assert {event[2] for event in demo.events} <= set(EventType.Category.values)
    for case in demo.cases:
        assert normalize_case_number(case.number) == case.number
        assert case.jurisdiction in Case.Jurisdiction.values
        assert {p.role for p in case.parties} <= set(Party.Role.values)
        days = [entry.day for entry in case.entries]
        assert days == sorted(days) and days[0] == case.date_filed
        assert all(isinstance(day, date) for day in days)
        assert all(doc.body for entry in case.entries for doc in entry.docs)


def test_the_demo_cases_flags_are_the_courts_and_the_panel_is_in_its_order(db):
    from nextecf.cases.demo import load_demo_cases
    from nextecf.cases.selectors import panel_of
    from nextecf.courts.factories import CourtFactory

    demo = demo_court()
    vocabulary = {name for name, _ in demo.case_flags}
    assert vocabulary and all(set(case.flags) <= vocabulary for case in demo.cases)
    court = CourtFactory()
    load_demo_cases(court, password="Demo-Password-1", clerk=None)
    for spec in demo.cases:
        case = Case.objects.get(court=court, number=spec.number)
        case.full_clean()  # the flags are names of the court's vocabulary
        assert case.flags == spec.flags and case.jury_demand == spec.jury_demand
        assert [judge.initials for judge in panel_of(case)] == spec.panel
