"""The docket report's View multiple documents: a checkbox per document and View Selected,
which posts to show_multidocs.pl: the transaction receipt first, then one PDF of the
selected documents in docket order, each billed at its own pages (capped at $3.00)."""

from __future__ import annotations

import io
import re

import pytest
from pypdf import PdfReader

from nextecf.audit.models import AuditEvent, Event
from nextecf.billing.models import AccessCharge
from nextecf.cases.factories import CaseFactory, DocketEntryFactory, DocumentFactory
from nextecf.courts.factories import CourtFactory

MULTIDOCS = "/cit/cgi-bin/show_multidocs.pl"


def pick(*documents, case=None) -> dict[str, str]:
    fields = {f"document_{d.entry.number}_{d.attachment_number}": d.doc_id for d in documents}
    if case is not None:
        fields["caseid"] = str(case.pk)
    return fields


def pdf_pages(response) -> list[str]:
    data = b"".join(response.streaming_content)
    return [page.extract_text() for page in PdfReader(io.BytesIO(data)).pages]


def test_the_docket_report_offers_view_selected_with_the_option(cit_case, people, signed_in):
    client = signed_in(people.public)
    html = client.post(
        "/cit/cgi-bin/DktRpt.pl", {"case_num": cit_case.case.number, "view_multi_docs": "on"}
    ).content.decode()
    assert f'action="{MULTIDOCS}"' in html and 'value="View Selected"' in html
    assert f'name="caseid" value="{cit_case.case.pk}"' in html
    plain = client.post("/cit/cgi-bin/DktRpt.pl", {"case_num": cit_case.case.number})
    assert "View Selected" not in plain.content.decode()


def test_selected_documents_are_confirmed_then_combined_in_docket_order(
    cit_case, people, signed_in
):
    client = signed_in(people.public)
    # Selected out of order: served in docket order, the summons (1 page) first.
    fields = pick(cit_case.main, cit_case.summons, case=cit_case.case)
    confirm = client.post(MULTIDOCS, fields)
    html = confirm.content.decode()
    assert confirm.status_code == 200 and "Download Confirmation" in html
    assert (
        ' Billable Pages: </font></th><td align="left"><font size="-1" color="darkblue"> 4 ' in html
    )
    assert " 0.40 " in html
    assert not AccessCharge.objects.exists()  # the receipt is free
    view = client.post(MULTIDOCS, {**fields, "got_receipt": "1"})
    assert view["Content-Type"] == "application/pdf"
    pages = pdf_pages(view)
    assert len(pages) == cit_case.summons.pages + cit_case.main.pages == 4
    assert "Summons" in pages[0] and "Complaint" in pages[1]
    charges = AccessCharge.objects.order_by("pk")
    assert [(c.description, c.pages, c.cost_cents) for c in charges] == [
        ("Image1-0", 1, 10),
        ("Image2-0", 3, 30),
    ]
    viewed = AuditEvent.objects.filter(event_type=Event.DOCUMENT_VIEW)
    assert {v.detail["doc_id"] for v in viewed} == {cit_case.summons.doc_id, cit_case.main.doc_id}


def test_each_document_is_capped_at_three_dollars_and_opinions_are_free(
    cit_case, people, signed_in
):
    long = DocumentFactory(
        entry=cit_case.complaint, attachment_number=2, description="Record", page_count=45
    )
    client = signed_in(people.public)
    fields = pick(long, cit_case.summons, cit_case.opinion_doc)
    client.post(MULTIDOCS, {**fields, "got_receipt": "1"})
    charges = {c.description: (c.pages, c.cost_cents) for c in AccessCharge.objects.all()}
    assert charges == {"Image1-0": (1, 10), "Image2-2": (30, 300), "Image4-0": (30, 0)}


def test_a_sealed_document_among_them_is_refused_and_nothing_is_charged(
    cit_case, sealed_case, people, signed_in
):
    secret = sealed_case.entries.get().documents.get()
    client = signed_in(people.public)
    fields = {**pick(cit_case.summons), "document_9_0": secret.doc_id}
    for extra in ({}, {"got_receipt": "1"}):
        response = client.post(MULTIDOCS, {**fields, **extra})
        html = response.content.decode()
        assert response.status_code == 200 and response["Content-Type"].startswith("text/html")
        assert f"Document {secret.doc_id}: not found in this case." in html
        assert "Secret Importer" not in html
    assert not AccessCharge.objects.exists()
    assert AuditEvent.objects.filter(event_type=Event.ACCESS_DENIED).exists()


def test_the_filer_of_record_may_combine_the_sealed_case_documents(sealed_case, people, signed_in):
    secret = sealed_case.entries.get().documents.get()
    client = signed_in(people.filer)
    response = client.post(MULTIDOCS, {"document_1_0": secret.doc_id, "got_receipt": "1"})
    assert len(pdf_pages(response)) == 5


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        ({}, "Select at least one document"),
        ({"caseid": "1"}, "Select at least one document"),
        ({"document_1_0": "abc"}, "document_1_0: abc is not a document number."),
        ({"document_1_0": "12"}, "document_1_0: 12 is not a document number."),
        ({"document_1_0": "0149999999"}, "Document 0149999999: not found in this case."),
    ],
)
def test_bad_selections_get_a_clear_message_and_no_charge(
    cit_case, people, signed_in, fields, message
):
    response = signed_in(people.public).post(MULTIDOCS, {**fields, "got_receipt": "1"})
    assert response.status_code in (200, 400)
    assert message in response.content.decode()
    assert not AccessCharge.objects.exists()


def test_a_document_of_another_case_or_court_is_refused(cit_case, people, signed_in):
    other_case = CaseFactory(court=cit_case.case.court)
    elsewhere = DocumentFactory(entry=DocketEntryFactory(case=other_case, number=1))
    foreign = DocumentFactory(
        entry=DocketEntryFactory(case=CaseFactory(court=CourtFactory(pk="xyz")), number=1)
    )
    client = signed_in(people.public)
    for document in (elsewhere, foreign):
        fields = {**pick(cit_case.summons, case=cit_case.case), "document_7_0": document.doc_id}
        html = client.post(MULTIDOCS, {**fields, "got_receipt": "1"}).content.decode()
        assert f"Document {document.doc_id}: not found in this case." in html
    assert not AccessCharge.objects.exists()


def test_too_many_documents_are_refused(cit_case, people, signed_in, monkeypatch):
    monkeypatch.setattr("nextecf.cases.views.reports.MULTIDOCS_MAX_DOCUMENTS", 1)
    fields = pick(cit_case.summons, cit_case.main)
    response = signed_in(people.public).post(MULTIDOCS, {**fields, "got_receipt": "1"})
    assert response.status_code == 400 and "Select at most 1 documents" in response.content.decode()
    assert not AccessCharge.objects.exists()


def test_not_signed_on_goes_to_the_login_page_without_a_charge(cit_case, client):
    response = client.post(MULTIDOCS, {**pick(cit_case.summons), "got_receipt": "1"})
    assert response.status_code == 302 and "login" in response["Location"]
    assert not AccessCharge.objects.exists()


def test_the_boxes_checked_on_the_docket_report_post_as_they_are(cit_case, people, signed_in):
    """What the page's form sends (its checkboxes' names and values, the case id) is what
    show_multidocs reads: every document with a box, combined."""
    client = signed_in(people.public)
    html = client.post(
        "/cit/cgi-bin/DktRpt.pl", {"case_num": cit_case.case.number, "view_multi_docs": "on"}
    ).content.decode()
    boxes = dict(re.findall(r'type="checkbox" name="(document_\d+_0)" value="(\d+)"', html))
    assert set(boxes) == {"document_1_0", "document_2_0", "document_4_0"}
    response = client.post(
        MULTIDOCS, {**boxes, "caseid": str(cit_case.case.pk), "got_receipt": "1"}
    )
    # The summons, the complaint's main document and the opinion (not the attachment).
    assert len(pdf_pages(response)) == 1 + 3 + 40


def test_too_large_a_selection_is_refused(cit_case, people, signed_in, monkeypatch):
    monkeypatch.setattr("nextecf.cases.views.reports.MULTIDOCS_MAX_BYTES", 1024 * 1024)
    big = DocumentFactory(entry=cit_case.complaint, attachment_number=3, size_bytes=2 * 1024**2)
    response = signed_in(people.public).post(MULTIDOCS, {**pick(big), "got_receipt": "1"})
    assert response.status_code == 400 and "of at most 1 MB in all" in response.content.decode()
    assert not AccessCharge.objects.exists()
