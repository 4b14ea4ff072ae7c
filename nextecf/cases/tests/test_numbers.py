"""The one case-number parser and the one rule for the next docket numbers."""

from __future__ import annotations

import pytest
from django.utils import timezone

from nextecf.audit.models import AuditEvent, Event
from nextecf.cases.factories import CaseFactory, DocketEntryFactory
from nextecf.cases.models import Case, DocketEntry
from nextecf.cases.numbers import TypedNumber, normalize_case_number, parse_case_number
from nextecf.filing.staff import court_entry_create, pdf_checked
from nextecf.lib.actor import Actor
from nextecf.lib.pdf import make_pdf


@pytest.mark.parametrize(
    ("typed", "parts"),
    [
        ("1:26-cv-00001-GSK", TypedNumber(1, 26, 2, "cv", 1)),
        ("26-219", TypedNumber(None, 26, 2, None, 219)),
        ("26 cv 12", TypedNumber(None, 26, 2, "cv", 12)),
        ("2600001", TypedNumber(None, 26, 2, None, 1)),
        ("1:2025cv00001", TypedNumber(1, 2025, 4, "cv", 1)),
        ("01:25-AP-7", TypedNumber(1, 25, 2, "ap", 7)),
        ("Court No. 21-00219", TypedNumber(None, 21, 2, None, 219)),
        ("26-0", TypedNumber(None, 26, 2, None, 0)),
    ],
)
def test_a_typed_case_number_is_read_into_its_parts(typed, parts):
    assert parse_case_number(typed) == parts


@pytest.mark.parametrize(
    "typed",
    [
        "",
        "26",
        "x:25-1",
        "25-cv-000001",
        "26-123456",
        "\u0662\u0666-\u0661",
        "26-1 court no.",
        "acme",
    ],
)
def test_what_is_no_case_number_at_all(typed):
    assert parse_case_number(typed) is None


@pytest.mark.parametrize(
    ("typed", "ours"),
    [
        ("Court No. 26-1", "1:26-cv-00001"),
        ("26cv1", "1:26-cv-00001"),
        ("1:2026cv00001", None),  # a 4-digit year is PCL's form, never one of our numbers
        ("2:26-cv-00001", None),
        ("26-cr-1", None),
        ("26-0", None),
    ],
)
def test_only_an_office_1_civil_number_names_one_of_our_cases(typed, ours):
    assert normalize_case_number(typed) == ours


def test_our_canonical_form_is_the_one_cases_are_numbered_in():
    assert Case.format_number(2026, 7) == normalize_case_number("26-7") == "1:26-cv-00007"


def test_the_next_docket_numbers_follow_the_last_number_and_the_last_seq(db):
    case = CaseFactory()
    assert DocketEntry.objects.next_numbers(case) == (1, 1)
    DocketEntryFactory(case=case, number=1, seq=1)
    DocketEntryFactory(case=case, number=None, seq=2)  # a minute entry has no number
    assert DocketEntry.objects.next_numbers(case) == (2, 3)
    assert DocketEntry.objects.next_numbers(CaseFactory(court=case.court)) == (1, 1)


def test_a_court_entry_takes_the_numbers_after_the_filers_entries(court, people, events):
    case = CaseFactory(court=court)
    DocketEntryFactory(case=case, number=1, seq=1)
    DocketEntryFactory(case=case, number=None, seq=2)
    pdf = pdf_checked(court=court, upload=make_pdf([["Order"]]), label="Order")
    entry = court_entry_create(
        actor=Actor(ip="192.0.2.9"),
        staff=people.clerk,
        case=case,
        event=events["opinion"],
        date_filed=timezone.localdate(),
        text="ORDER",
        documents=[pdf],
    )
    assert (entry.number, entry.seq) == (2, 3)
    row = AuditEvent.objects.get(event_type=Event.STAFF_CHANGE)
    assert (row.actor, row.ip, row.court) == (people.clerk, "192.0.2.9", court)
