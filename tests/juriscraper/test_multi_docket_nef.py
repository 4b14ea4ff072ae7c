"""A filing docketed in a lead case and a consolidated member case sends one NEF that
juriscraper 4.0.1 reads as a multi-docket notice: one docket per case, each with its own
document number, doc1 link and free look, the docket text and short description in each."""

from __future__ import annotations

from datetime import date

from nextecf.cases.factories import (
    AppearanceFactory,
    CaseFactory,
    DocketEntryFactory,
    DocumentFactory,
    PartyFactory,
)
from nextecf.cases.models import Party
from nextecf.notices.nef import nef_queue
from tests.juriscraper import expected
from tests.juriscraper.conftest import attorney


def test_a_multi_docket_nef_reads_as_one_docket_per_case(
    simple_case, court, events, mailoutbox, django_capture_on_commit_callbacks
):
    from juriscraper.pacer.email import S3NotificationEmail

    member = CaseFactory(
        court=court,
        title="Bravo Hangers Co. v. United States",
        date_filed=date(2026, 1, 20),
        lead_case=simple_case,
    )
    plaintiff = PartyFactory(case=member, name="Bravo Hangers Co.", role=Party.Role.PLAINTIFF)
    AppearanceFactory(party=plaintiff, filer=attorney(court, "bbravo", "Bea", "Bravo"), lead=True)
    text = "Motion to stay. Filed by Jane Q. Lawyer. (Lawyer, Jane)"
    lead_entry = DocketEntryFactory(
        case=simple_case, number=5, seq=6, event=events["motion"], text=text
    )
    member_entry = DocketEntryFactory(
        case=member, number=1, seq=1, event=events["motion"], text=text
    )
    lead_doc = DocumentFactory(entry=lead_entry)
    member_doc = DocumentFactory(entry=member_entry, sha256=lead_doc.sha256)
    with django_capture_on_commit_callbacks(execute=True):
        nef_queue(entry=lead_entry, also=[member_entry])
    # Jane Q. Lawyer and John Gov (lead case), Bea Bravo (member case): one email each.
    assert sorted(m.to[0] for m in mailoutbox) == [
        "bbravo@bravo.example",
        "jgov@gov.example",
        "jlawyer@lawyer.example",
    ]

    parser = S3NotificationEmail("cit")
    parser._parse_text(mailoutbox[0].message().as_string())
    dockets = parser.data["dockets"]
    assert [d["docket_number"] for d in dockets] == [simple_case.number, member.number]
    assert [d["case_name"] for d in dockets] == [simple_case.title, member.title]
    lead_parsed, member_parsed = (d["docket_entries"][0] for d in dockets)
    assert (lead_parsed["document_number"], member_parsed["document_number"]) == ("5", "1")
    assert lead_parsed["description"] == member_parsed["description"] == text
    assert lead_parsed["short_description"] == member_parsed["short_description"] == "Motion"
    assert lead_parsed["pacer_case_id"] == str(simple_case.pk)
    assert member_parsed["pacer_case_id"] == str(member.pk)
    assert member_parsed["pacer_doc_id"] == expected.as_parsed(member_doc.doc_id)
    assert lead_parsed["pacer_seq_no"] == "6" and member_parsed["pacer_seq_no"] == "1"
    assert sorted(r["name"] for r in parser.data["email_recipients"]) == [
        "Bea Bravo",
        "Jane Q. Lawyer",
        "John Gov",
    ]
    assert len(lead_parsed["pacer_magic_num"]) == 8
    assert len(member_parsed["pacer_magic_num"]) == 8
    assert lead_parsed["pacer_magic_num"] != member_parsed["pacer_magic_num"]
