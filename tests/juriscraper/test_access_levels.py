"""juriscraper 4.0.1 against sealed, restricted and confidential entries, a consolidated
docket and a Case Under Seal: it reads them without error, finds no document link where
the reader may not open one, and its is_entry_sealed agrees with our levels (an entry sealed or
confidential is sealed; a restricted one answers CM/ECF's "You do not have permission to
view this document.", which is_pdf_sealed looks for: 4.0.1's is_pdf_sealed compares text
with bytes and raises whatever the page says, so its words are checked here directly)."""

from __future__ import annotations

from datetime import date

import pytest

from nextecf.cases.factories import CaseFactory, DocketEntryFactory, DocumentFactory
from nextecf.cases.models import Case
from tests.juriscraper.conftest import at

LEVELS = {5: "sealed", 6: "restricted", 7: "confidential", 8: "public"}


@pytest.fixture
def leveled_case(simple_case, events) -> Case:
    for number, level in LEVELS.items():
        entry = DocketEntryFactory(
            case=simple_case,
            number=number,
            seq=number,
            event=events["motion"],
            date_filed=date(2026, 3, number),
            entered_at=at(date(2026, 3, number)),
            text=f"Motion no. {number}. (Lawyer, Jane)",
        )
        DocumentFactory(entry=entry, page_count=1, access_level=level)
    return simple_case


def test_a_docket_with_sealed_restricted_and_confidential_entries(pacer, leveled_case):
    from juriscraper.pacer import DocketReport

    async def fetch(session):
        report = DocketReport("cit", pacer_session=session)
        await report.query(str(leveled_case.pk), show_parties_and_counsel=True)
        return report.data

    data = pacer.run(fetch)
    rows = {int(e["document_number"]): e for e in data["docket_entries"] if e["document_number"]}
    for number, level in LEVELS.items():
        # Every entry is listed; only the public one is a link for this public reader.
        assert (rows[number].get("pacer_doc_id") is not None) is (level == "public"), level
        if level != "public":
            assert rows[number]["description"].startswith(level.upper())


def test_is_entry_sealed_agrees_with_our_levels(pacer, leveled_case):
    from juriscraper.pacer import DocketReport

    doc_ids = {
        number: leveled_case.entries.get(number=number).documents.get().doc_id for number in LEVELS
    }

    async def fetch(session):
        report = DocketReport("cit", pacer_session=session)
        answers = {}
        for number, doc_id in doc_ids.items():
            entry = await report.is_entry_sealed(str(leveled_case.pk), doc_id)
            page, _url = await report._query_pdf_download(
                str(leveled_case.pk), doc_id, None, got_receipt="0"
            )
            pdf = b"You do not have permission to view this document." in page.content
            answers[number] = (entry, pdf)
        return answers

    answers = pacer.run(fetch)
    assert answers == {
        5: (True, False),  # sealed
        6: (False, True),  # restricted: "You do not have permission to view this document."
        7: (True, False),  # confidential
        8: (False, False),  # public
    }


def test_a_consolidated_docket_reads_without_error(pacer, simple_case, court):
    from juriscraper.pacer import DocketReport

    member = CaseFactory(court=court, title="Other Importer v. United States")
    member.lead_case = simple_case
    member.save()

    async def fetch(session):
        lead = DocketReport("cit", pacer_session=session)
        await lead.query(str(simple_case.pk), show_parties_and_counsel=True)
        other = DocketReport("cit", pacer_session=session)
        await other.query(str(member.pk), show_parties_and_counsel=True)
        return lead.data, lead.response.text, other.data

    lead, html, other = pacer.run(fetch)
    assert lead["docket_number"].startswith(simple_case.number)
    assert other["docket_number"].startswith(member.number)
    assert len(lead["docket_entries"]) == 4 and lead["case_name"]
    assert "<b>Lead Docket:</b>" in html and member.number in html
