"""A judge signs and dockets an order (filing.staff.order_sign, the Chambers pages): the
PDF gets the header stamp and the signature block, the entry its "Signed by" text, the
parties an NEF; bad input changes nothing."""

from __future__ import annotations

import io

import pytest
import time_machine
from django.core.files.uploadedfile import SimpleUploadedFile
from pypdf import PdfReader

from nextecf.audit.models import AuditEvent, Event
from nextecf.cases.factories import (
    AppearanceFactory,
    CaseFactory,
    DocketEntryFactory,
    DocumentFactory,
    EventTypeFactory,
    PartyFactory,
)
from nextecf.cases.models import DocketEntry, SignedOrder
from nextecf.courts.factories import FilerAccountFactory
from nextecf.filing.staff import CheckedPdf, OrderRefused, order_sign
from nextecf.lib.actor import Actor
from nextecf.lib.pdf import make_pdf
from nextecf.lib.storage import document_store
from nextecf.notices import nef
from nextecf.outbox.models import OutboundEmail
from nextecf.tests.staff_personas import persona_client

TODAY = "2026-04-14 15:00:00Z"


@pytest.fixture
def chambers_case(court, staff_people):
    EventTypeFactory(court=court, code="order", name="Order", docket_text="ORDER", category="court")
    proposed_event = EventTypeFactory(
        court=court, code="proposed-order", name="Proposed Order", docket_text="Proposed Order"
    )
    case = CaseFactory(court=court, judge=staff_people.judge_record)
    counsel = FilerAccountFactory(court=court, login="counsel", email="counsel@firm.example")
    AppearanceFactory(party=PartyFactory(case=case), filer=counsel)
    proposed = DocketEntryFactory(
        case=case,
        number=7,
        seq=7,
        event=proposed_event,
        text="PROPOSED ORDER granting consent motion.",
    )
    DocumentFactory(
        entry=proposed,
        data=make_pdf([["IT IS HEREBY ORDERED that the motion is granted."]]),
        page_count=1,
    )
    return case, proposed


def pdf_text(entry: DocketEntry) -> str:
    document = entry.documents.get(attachment_number=0)
    reader = PdfReader(io.BytesIO(document_store().read(document.storage_key)))
    return "\n".join(page.extract_text() for page in reader.pages)


@time_machine.travel(TODAY, tick=False)
def test_the_judge_signs_a_proposed_order(court, staff_people, chambers_case):
    case, proposed = chambers_case
    entry = order_sign(
        actor=Actor.system(court=court),
        signer=staff_people.judge,
        case=case,
        judge=staff_people.judge_record,
        text="granting the consent motion for an extension of time",
        proposed=proposed,
    )
    assert entry.number == 8 and entry.event.code == "order"
    assert entry.text == (
        "ORDER granting the consent motion for an extension of time. "
        "Signed by Judge Gary S. Katzmann on 4/14/2026."
    )
    text = pdf_text(entry)
    assert "IT IS HEREBY ORDERED" in text
    assert "/s/ Gary S. Katzmann" in text and "Gary S. Katzmann, Judge" in text
    assert "Dated: April 14, 2026" in text
    assert f"Case {case.number}-GSK" in text and "Document 8" in text and "Page 1 of 1" in text
    signed = SignedOrder.objects.get(entry=entry)
    assert signed.proposed == proposed and signed.signed_by == staff_people.judge
    assert [e.to for e in OutboundEmail.objects.filter(kind=nef.KIND)] == ["counsel@firm.example"]
    assert AuditEvent.objects.filter(event_type=Event.ORDER_SIGNED).count() == 1
    # Signed once only.
    with pytest.raises(OrderRefused, match="signed already"):
        order_sign(
            actor=Actor.system(court=court),
            signer=staff_people.judge,
            case=case,
            judge=staff_people.judge_record,
            text="again",
            proposed=proposed,
        )
    assert case.entries.count() == 2


def _refused(court, case, people, **overrides):
    before = (
        DocketEntry.objects.count(),
        SignedOrder.objects.count(),
        OutboundEmail.objects.count(),
    )
    order_pdf = make_pdf([["Order"]])
    arguments = {
        "actor": Actor.system(court=court),
        "signer": people.judge,
        "case": case,
        "judge": people.judge_record,
        "text": "granting the motion",
        "order": CheckedPdf(io.BytesIO(order_pdf), 1, len(order_pdf), "order.pdf", ""),
        **overrides,
    }
    with pytest.raises(OrderRefused) as caught:
        order_sign(**arguments)
    after = (
        DocketEntry.objects.count(),
        SignedOrder.objects.count(),
        OutboundEmail.objects.count(),
    )
    assert after == before
    return caught.value


def test_bad_input_changes_nothing(court, other_court, staff_people, chambers_case):
    case, proposed = chambers_case
    assert _refused(court, case, staff_people, text="   ").field == "text"
    assert (
        "Only Judge Gary S. Katzmann"
        in _refused(court, case, staff_people, signer=staff_people.other_chambers).message
    )
    assert _refused(court, case, staff_people, proposed=proposed).field == "order"  # both
    motion = DocketEntryFactory(
        case=case, number=9, seq=9, event=EventTypeFactory(court=court, code="motion")
    )
    assert _refused(court, case, staff_people, order=None, proposed=motion).field == "proposed"
    elsewhere = DocketEntryFactory(case=CaseFactory(court=court), event=proposed.event)
    assert _refused(court, case, staff_people, order=None, proposed=elsewhere).field == "proposed"


def test_a_non_pdf_order_is_refused_on_the_page_and_nothing_is_docketed(
    court, staff_people, chambers_case
):
    case, _ = chambers_case
    _, client = persona_client(staff_people, "judge", court)
    url = f"/cit/staff/chambers/cases/{case.pk}/sign/"
    before = DocketEntry.objects.count()
    response = client.post(
        url,
        {"text": "granting", "order": SimpleUploadedFile("order.pdf", b"<html>not a pdf</html>")},
    )
    assert response.status_code == 400
    assert "The order contains HTML; file a plain PDF document." in response.content.decode()
    response = client.post(url, {"text": ""})
    assert "Enter the order&#x27;s docket text." in response.content.decode()
    assert DocketEntry.objects.count() == before
    assert not OutboundEmail.objects.exists()


@time_machine.travel(TODAY, tick=False)
def test_chambers_lists_the_proposed_order_and_the_judge_signs_it_on_the_page(
    court, staff_people, chambers_case
):
    case, proposed = chambers_case
    DocketEntryFactory(
        case=case,
        number=6,
        seq=6,
        event=EventTypeFactory(court=court, code="motion"),
        text="MOTION for extension",
    )
    _, client = persona_client(staff_people, "judge", court)
    html = client.get("/cit/staff/chambers/").content.decode()
    assert "PROPOSED ORDER granting consent motion." in html and "MOTION for extension" in html
    assert "Chambers</a>" in client.get("/cit/staff/").content.decode()
    url = f"/cit/staff/chambers/cases/{case.pk}/sign/"
    assert (
        "PROPOSED ORDER granting consent motion."
        in client.get(url, {"proposed": proposed.pk}).content.decode()
    )
    response = client.post(url, {"proposed": proposed.pk, "text": "granting the consent motion"})
    assert response.status_code == 302
    after = client.get("/cit/staff/chambers/").content.decode()
    assert "Order docketed as document 8: ORDER granting the consent motion." in after
    assert 'Sign and docket<span class="visually-hidden"> proposed order 7' not in after


def test_chambers_staff_see_their_judges_cases_but_cannot_sign(court, staff_people, chambers_case):
    case, _ = chambers_case
    _, client = persona_client(staff_people, "other_chambers", court)
    # Another judge's chambers: the case is not theirs.
    assert client.get(f"/cit/staff/chambers/cases/{case.pk}/sign/").status_code == 404
    assert "PROPOSED ORDER granting" not in client.get("/cit/staff/chambers/").content.decode()


def test_the_judges_own_chambers_staff_prepare_but_the_judge_signs(
    court, staff_people, chambers_case
):
    from django.test import Client

    from conftest import login
    from nextecf.courts.factories import staff_account
    from nextecf.courts.models import StaffRole

    case, proposed = chambers_case
    clerk = staff_account(
        court, StaffRole.CHAMBERS, username="gsklawclerk", acts_for=staff_people.judge
    )
    client = Client()
    assert login(client, clerk.username, court=court.pk).status_code == 302
    assert (
        "PROPOSED ORDER granting consent motion."
        in client.get("/cit/staff/chambers/").content.decode()
    )
    url = f"/cit/staff/chambers/cases/{case.pk}/sign/"
    assert "Only Judge Gary S. Katzmann can sign" in client.get(url).content.decode()
    response = client.post(url, {"proposed": proposed.pk, "text": "granting"})
    assert response.status_code == 400
    assert not SignedOrder.objects.exists() and case.entries.count() == 1
