"""The court's public pages: Help and Opinions need no login (the courts' own websites
publish slip opinions), the court home links them, and every opinion download is free and
audited as public access. A sealed case's opinion and anything that is not an opinion are
not found there."""

from __future__ import annotations

from datetime import date

import pytest
from django.test import Client

from nextecf.audit.models import AuditEvent, Event
from nextecf.billing.models import AccessCharge
from nextecf.cases.factories import (
    CaseFactory,
    DocketEntryFactory,
    DocumentFactory,
    EventTypeFactory,
)
from nextecf.lib.pdf import make_pdf

pytestmark = pytest.mark.django_db


@pytest.fixture
def opinions(court):
    opinion = EventTypeFactory(court=court, code="opinion", is_opinion=True)
    order = EventTypeFactory(court=court, code="order")
    public_case = CaseFactory(court=court, title="Meridian Optical v. United States")
    sealed_case = CaseFactory(court=court, title="Sealed Importer v. United States", is_sealed=True)
    slip = DocketEntryFactory(
        case=public_case,
        event=opinion,
        text="OPINION AND ORDER: Slip Op. 26-14",
        date_filed=date(2026, 3, 2),
    )
    older = DocketEntryFactory(
        case=public_case, event=opinion, text="OPINION: Slip Op. 25-90", date_filed=date(2025, 7, 1)
    )
    secret = DocketEntryFactory(case=sealed_case, event=opinion, text="SEALED OPINION")
    plain = DocketEntryFactory(case=public_case, event=order, text="SCHEDULING ORDER")
    return {
        "slip": DocumentFactory(entry=slip, data=make_pdf([["Slip Op. 26-14"]])),
        "older": DocumentFactory(entry=older),
        "secret": DocumentFactory(entry=secret),
        "plain": DocumentFactory(entry=plain),
    }


def test_the_opinions_page_lists_the_courts_written_opinions_without_login(court, opinions):
    response = Client().get(f"/{court.pk}/opinions/")
    assert response.status_code == 200
    page = response.content.decode()
    assert "OPINION AND ORDER: Slip Op. 26-14" in page and "OPINION: Slip Op. 25-90" in page
    assert page.index("Slip Op. 26-14") < page.index("Slip Op. 25-90")  # newest first
    assert "03/02/2026" in page
    assert "SEALED OPINION" not in page and "SCHEDULING ORDER" not in page
    assert f'href="/{court.pk}/opinions/{opinions["slip"].doc_id}.pdf"' in page
    assert 'aria-label="CM/ECF menu"' not in page  # the public frame, no CM/ECF menu bar


def test_an_opinion_downloads_free_without_login_and_is_audited(court, opinions):
    slip = opinions["slip"]
    response = Client().get(f"/{court.pk}/opinions/{slip.doc_id}.pdf")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert b"".join(response.streaming_content).startswith(b"%PDF")
    assert not AccessCharge.objects.exists()
    event = AuditEvent.objects.get(event_type=Event.DOCUMENT_VIEW)
    assert event.reason == "public_opinion" and event.actor is None
    assert event.detail["doc_id"] == slip.doc_id


@pytest.mark.parametrize("which", ["secret", "plain"])
def test_a_sealed_opinion_or_another_document_is_not_found_there(court, opinions, which):
    response = Client().get(f"/{court.pk}/opinions/{opinions[which].doc_id}.pdf")
    assert response.status_code == 404
    refused = AuditEvent.objects.get(event_type=Event.DOCUMENT_VIEW)
    assert refused.reason == "public_opinion_not_found" and refused.outcome == "failure"


@pytest.mark.parametrize("doc_id", ["nonsense", "0" * 40, "'; DROP TABLE x; --"])
def test_a_made_up_opinion_id_is_a_plain_404(court, opinions, doc_id):
    assert Client().get(f"/{court.pk}/opinions/{doc_id}.pdf").status_code == 404


def test_help_needs_no_login(court):
    response = Client().get(f"/{court.pk}/help/")
    assert response.status_code == 200
    page = response.content.decode()
    assert "CM/ECF Help Desk" in page and court.helpdesk_phone in page
    assert 'aria-label="CM/ECF menu"' not in page


def test_help_keeps_the_menu_bar_for_someone_signed_on(court, people, signed_in):
    page = signed_in(people.public, court=court.pk).get(f"/{court.pk}/help/").content.decode()
    assert 'aria-label="CM/ECF menu"' in page


def test_the_court_home_links_opinions_and_help(court):
    page = Client().get(f"/{court.pk}/").content.decode()
    assert f'href="/{court.pk}/opinions/">Opinions</a>' in page
    assert f'href="/{court.pk}/help/">Help</a>' in page
