"""Cases for the query, docket, document and report tests: an ordinary case with the
persona matrix's filer of record on it, and a sealed one."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

import pytest
from django.utils import timezone

from nextecf.cases.factories import (
    AppearanceFactory,
    CaseFactory,
    DocketEntryFactory,
    DocumentFactory,
    EventTypeFactory,
    JudgeFactory,
    PartyFactory,
)
from nextecf.cases.models import Case, DocketEntry, Document, EventType, Judge, Party
from nextecf.courts.factories import FilerAccountFactory
from nextecf.courts.models import FilerAccount

ZONE = timezone.get_fixed_timezone(-300)


def at(day: date, hour: int = 10) -> datetime:
    return datetime(day.year, day.month, day.day, hour, 0, tzinfo=ZONE)


@dataclass
class CitCase:
    case: Case
    judge: Judge
    plaintiff: Party
    defendant: Party
    lead: FilerAccount  # the persona matrix's filer of record
    government: FilerAccount
    complaint: DocketEntry  # no. 2, with an attachment
    main: Document  # the complaint's main document (3 pages)
    exhibit: Document  # its attachment (2 pages)
    summons: Document  # no. 1, alone (1 page)
    opinion: DocketEntry  # no. 4, a written opinion
    opinion_doc: Document


@pytest.fixture
def judge(court) -> Judge:
    return JudgeFactory(court=court, name="Gary S. Katzmann", initials="GSK")


@pytest.fixture
def events(court) -> dict[str, EventType]:
    return {
        "summons": EventTypeFactory(
            court=court, code="summons", name="Summons", docket_text="Summons"
        ),
        "complaint": EventTypeFactory(
            court=court, code="complaint", name="Complaint", docket_text="Complaint"
        ),
        "opinion": EventTypeFactory(
            court=court,
            code="opinion",
            name="Slip Opinion",
            docket_text="Slip Opinion",
            category=EventType.Category.COURT,
            is_opinion=True,
        ),
    }


@pytest.fixture
def cit_case(court, people, judge, events) -> CitCase:
    case = CaseFactory(
        court=court,
        title="Acme Imports, LLC v. United States",
        judge=judge,
        date_filed=date(2026, 1, 16),
        product_description="Steel wire hangers",
        export_country="China",
    )
    lead = FilerAccount.objects.get(court=court, account=people.filer)
    lead.first_name, lead.middle_name, lead.last_name = "Jane", "Q.", "Lawyer"
    lead.firm, lead.address = "Lawyer & Co.", "1 Main Street\nNew York, NY 10001"
    lead.phone, lead.fax, lead.email = "(212) 555-0100", "(212) 555-0101", "jane@lawyer.example"
    lead.save()
    government = FilerAccountFactory(
        court=court,
        login="govatty",
        first_name="John",
        last_name="Gov",
        firm="U.S. Department of Justice",
        email="john.gov@usdoj.example",
    )
    plaintiff = PartyFactory(case=case, name="Acme Imports, LLC", role=Party.Role.PLAINTIFF)
    defendant = PartyFactory(case=case, name="United States", role=Party.Role.DEFENDANT, position=1)
    AppearanceFactory(party=plaintiff, filer=lead, lead=True)
    AppearanceFactory(party=defendant, filer=government, lead=False)
    summons_entry = DocketEntryFactory(
        case=case,
        number=1,
        seq=1,
        event=events["summons"],
        date_filed=date(2026, 1, 16),
        entered_at=at(date(2026, 1, 16)),
        text="Summons. Filed by Jane Q. Lawyer of Lawyer & Co. on behalf of Acme Imports, LLC. "
        "(Lawyer, Jane)",
        filer=lead,
    )
    summons = DocumentFactory(entry=summons_entry, page_count=1)
    complaint = DocketEntryFactory(
        case=case,
        number=2,
        seq=2,
        event=events["complaint"],
        date_filed=date(2026, 1, 20),
        entered_at=at(date(2026, 1, 20)),
        text="Complaint <against> the United States & others. (Lawyer, Jane)",
        filer=lead,
    )
    main = DocumentFactory(entry=complaint, page_count=3)
    exhibit = DocumentFactory(
        entry=complaint, attachment_number=1, description="Exhibit A", page_count=2
    )
    DocketEntryFactory(
        case=case,
        number=None,
        seq=3,
        date_filed=date(2026, 2, 2),
        entered_at=at(date(2026, 2, 2)),
        text="Minute entry: scheduling conference held.",
    )
    opinion = DocketEntryFactory(
        case=case,
        number=4,
        seq=4,
        event=events["opinion"],
        date_filed=date(2026, 3, 3),
        entered_at=at(date(2026, 3, 3)),
        text="Slip Opinion 26-12 granting judgment on the agency record.",
    )
    opinion_doc = DocumentFactory(entry=opinion, page_count=40)
    return CitCase(
        case=case,
        judge=judge,
        plaintiff=plaintiff,
        defendant=defendant,
        lead=lead,
        government=government,
        complaint=complaint,
        main=main,
        exhibit=exhibit,
        summons=summons,
        opinion=opinion,
        opinion_doc=opinion_doc,
    )


@pytest.fixture
def sealed_case(court, people) -> Case:
    """A sealed case on which the persona matrix's filer appears."""
    case = CaseFactory(court=court, title="Secret Importer, Inc. v. United States", is_sealed=True)
    party = PartyFactory(case=case, name="Secret Importer, Inc.")
    AppearanceFactory(
        party=party, filer=FilerAccount.objects.get(court=court, account=people.filer)
    )
    entry = DocketEntryFactory(case=case, text="Sealed complaint. (Lawyer, Jane)")
    DocumentFactory(entry=entry, page_count=5)
    return case
