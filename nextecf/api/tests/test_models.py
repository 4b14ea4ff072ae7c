"""The search models name the first wrong field as the hand-written parser did: unknown
fields before any value, then the fields in the order they are declared, and a rule about
two fields (a range, ssn with lastName) at the field PCL names."""

from __future__ import annotations

import pytest
import time_machine

from nextecf.api.schemas import CriteriaError, parse_case_search, parse_party_search


def refused(parse, body) -> tuple[str, str]:
    with pytest.raises(CriteriaError) as caught:
        parse(body)
    return caught.value.field, caught.value.problem


def test_an_unknown_field_is_named_before_any_wrong_value():
    assert refused(parse_case_search, {"caseTitle": 5, "bogus": 1}) == (
        "bogus",
        "is not a search field here",
    )


def test_wrong_values_are_named_in_the_order_the_fields_are_declared():
    body = {"jpmlNumber": "x", "caseTitle": 5, "caseId": "y"}
    assert refused(parse_case_search, body) == ("caseId", "must be a positive integer")


@time_machine.travel("2026-03-10 12:00 -0500", tick=False)
def test_a_range_ending_before_it_starts_names_its_start_even_nested():
    body = {
        "lastName": "x",
        "courtCase": {"dateFiledFrom": "2025-03-01", "dateFiledTo": "2025-01-01"},
    }
    assert refused(parse_party_search, body) == (
        "courtCase.dateFiledFrom",
        "is after dateFiledTo",
    )
    assert refused(parse_case_search, {"caseYearFrom": "26", "caseYearTo": 2025}) == (
        "caseYearFrom",
        "is after caseYearTo",
    )


def test_the_last_four_digits_of_an_ssn_alone_need_a_last_name_too():
    assert refused(parse_party_search, {"ssn4": "1234"}) == (
        "ssn4",
        "is allowed only with lastName",
    )
    criteria, parsed = parse_party_search({"lastName": "Doe", "ssn4": "1234"})
    assert criteria.has_ssn and "ssn4" not in parsed.echo and "SSN given" in parsed.summary


def test_a_field_name_that_is_not_printable_is_named_escaped():
    assert refused(parse_case_search, {"\ud800x": 1})[0] == "\\xd800x"


@time_machine.travel("2026-03-10 12:00 -0500", tick=False)
def test_values_are_read_as_pcl_clients_send_them():
    """A 2-digit year is the latest such year not after next year."""
    criteria, parsed = parse_case_search(
        {"courtId": [" CITDC "], "caseYear": "25", "caseNumberFull": "1:25-cv-7", "reportId": 9}
    )
    assert criteria.court_ids == ["citdc"] and criteria.case_year == 2025
    assert str(criteria.case_number_full) == "1:25-cv-00007"
    assert parsed.echo == {
        "courtId": ["citdc"],
        "caseYear": 2025,
        "caseNumberFull": "1:25-cv-00007",
        "reportId": "9",
    }
    assert parsed.summary == ["Court citdc", "Case Year 2025", "Case Number 1:25-cv-00007"]
