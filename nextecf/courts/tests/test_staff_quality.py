"""The workspace's quality-control pages and clerk docketing, through the web: a QC clerk
strikes a filing and everyone else sees it stricken on the docket report, the history, the
RSS feed, and cannot open its documents; bad input gets a message and changes nothing."""

from __future__ import annotations

from xml.etree import ElementTree

import pytest
from django.core.cache import cache
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from nextecf.cases.factories import AppearanceFactory, CaseFactory, EventTypeFactory, PartyFactory
from nextecf.cases.models import DocketEntry, Document
from nextecf.courts.models import FilerAccount
from nextecf.filing.factories import filed_entry
from nextecf.filing.models import Filing, QcStatus
from nextecf.lib.pdf import make_pdf
from nextecf.notices.models import FreeLook
from nextecf.outbox.models import OutboundEmail

QUEUE = "/cit/staff/qc/"
DOCKET = "/cit/staff/docket/"
REPORT = "/cit/cgi-bin/DktRpt.pl"


@pytest.fixture
def filing(court, staff_people) -> Filing:
    case = CaseFactory(court=court, title="Acme v. United States")
    filer = FilerAccount.objects.get(court=court, account=staff_people.filer)
    AppearanceFactory(party=PartyFactory(case=case, name="Acme Corp."), filer=filer)
    motion = EventTypeFactory(court=court, code="motion", name="Motion", docket_text="Motion")
    return filed_entry(case=case, filer=filer, event=motion, text="Motion to Dismiss. (Filer, S)")


def _docket_report(client: Client, case) -> str:
    fields = {"all_case_ids": case.pk, "date_range_type": "Filed", "sort1": "oldest date first"}
    return client.post(f"{REPORT}?1-L_1_0-1", fields).content.decode()


def test_the_queue_lists_what_waits_with_its_age(court, staff_people, filing, signed_in):
    qc = signed_in(staff_people.qc_clerk)
    page = qc.get(QUEUE)
    assert page.status_code == 200
    html = page.content.decode()
    assert f"/cit/staff/qc/{filing.pk}/" in html and "1 filing waiting" in html
    assert "0 minutes" in html and filing.case.number in html
    home = qc.get("/cit/staff/").content.decode()
    assert "QC queue" in home and "(1 waiting)" in home
    assert "Docket an event" not in home  # a QC clerk does not docket court events
    EventTypeFactory(court=court, code="answer", name="Answer", docket_text="Answer")
    filtered = qc.get(QUEUE, {"event": "answer"})
    assert "No filings are waiting for quality control with these filters" in (
        filtered.content.decode()
    )
    unknown = qc.get(QUEUE, {"event": "nonsense"}).content.decode()
    assert "Event: Select a valid choice." in unknown


def test_a_struck_filing_shows_stricken_everywhere_and_its_document_is_staff_only(
    court, staff_people, filing, signed_in
):
    qc = signed_in(staff_people.qc_clerk)
    response = qc.post(
        f"{QUEUE}{filing.pk}/", {"action": "strike", "strike-reason": "Filed in the wrong case."}
    )
    assert response.status_code == 302 and response["Location"] == QUEUE
    assert "stricken" in qc.get(QUEUE).content.decode()
    entry = DocketEntry.objects.get(pk=filing.entry_id)
    document = Document.objects.get(entry=entry)

    public = signed_in(staff_people.public)
    report = _docket_report(public, filing.case)
    assert "***STRICKEN on" in report and "Filed in the wrong case." in report
    assert document.doc_id[4:] not in report  # no link to the stricken document
    assert "NOTICE OF DOCKET CORRECTION re: 1 Motion: STRICKEN." in report
    history = public.post(
        f"/cit/cgi-bin/HistDocQry.pl?1-L_1_0-0-{filing.case.pk}",
        {"QueryType": "History", "DisplayDktText": "on"},
    ).content.decode()
    assert "Motion (STRICKEN)" in history and "***STRICKEN on" in history
    assert document.doc_id[4:] not in history
    refused = public.get(f"/cit/doc1/{document.doc_id}")
    assert b"Document not found" in refused.content

    staff_view = signed_in(staff_people.clerk).get(f"/cit/doc1/{document.doc_id}")
    assert b"Document not found" not in staff_view.content

    cache.clear()
    feed = Client().get("/cit/cgi-bin/rss_outside.pl").content
    root = ElementTree.fromstring(feed)  # noqa: S314 - our own server's answer, in a test
    descriptions = [item.findtext("description") or "" for item in root.iter("item")]
    # Listed by its number, as a sealed entry is, with no link to its document.
    assert "[Motion (STRICKEN)] (1)" in descriptions
    assert OutboundEmail.objects.filter(kind="nef").exists()


def test_the_free_look_of_a_stricken_document_opens_nothing(court, staff_people, filing):
    from nextecf.notices.nef import nef_queue

    nef_queue(entry=filing.entry)
    email = OutboundEmail.objects.get(kind="nef")
    link = email.html_body.split('href="', 2)[2].split('"', 1)[0].replace("&amp;", "&")
    from nextecf.filing.quality import filing_strike
    from nextecf.lib.actor import Actor

    filing_strike(
        actor=Actor(), clerk=staff_people.qc_clerk, court=court, filing_id=filing.pk, reason="X."
    )
    response = Client().get(link.split("http://testserver", 1)[-1].split("8000", 1)[-1])
    # The login (or the page saying the link no longer opens it), never the PDF.
    assert response.status_code in (200, 302)
    assert response.get("Content-Type") != "application/pdf"
    assert not FreeLook.objects.filter(used_at__isnull=False).exists()


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"action": "strike", "strike-reason": ""}, "This field is required."),
        ({"action": "deficiency", "deficiency-problem": ""}, "This field is required."),
        ({"action": "delete"}, "Choose Accept, Correct, Strike or Deficiency notice."),
    ],
)
def test_bad_input_on_the_qc_page_changes_nothing(
    court, staff_people, filing, signed_in, data, message
):
    response = signed_in(staff_people.qc_clerk).post(f"{QUEUE}{filing.pk}/", data)
    assert response.status_code == 400 and message in response.content.decode()
    assert Filing.objects.get(pk=filing.pk).qc_status == QcStatus.PENDING
    assert not OutboundEmail.objects.exists()


def test_the_second_clerk_is_told_the_filing_was_acted_on(court, staff_people, filing, signed_in):
    first, second = signed_in(staff_people.qc_clerk), signed_in(staff_people.administrator)
    page = second.get(f"{QUEUE}{filing.pk}/")
    assert b"Strike" in page.content
    assert first.post(f"{QUEUE}{filing.pk}/", {"action": "accept"}).status_code == 302
    late = second.post(f"{QUEUE}{filing.pk}/", {"action": "strike", "strike-reason": "Late."})
    assert late.status_code == 409
    assert "already acted on: Accepted by" in late.content.decode()
    assert Filing.objects.get(pk=filing.pk).qc_status == QcStatus.ACCEPTED


def test_a_correction_through_the_page(court, staff_people, filing, signed_in):
    client = signed_in(staff_people.qc_clerk)
    response = client.post(
        f"{QUEUE}{filing.pk}/",
        {
            "action": "correct",
            "correct-event": filing.event_id,
            "correct-text": "Motion to Dismiss for lack of jurisdiction. (Filer, S)",
            "correct-filer": filing.filer_id,
        },
    )
    assert response.status_code == 302
    page = client.get(f"{QUEUE}{filing.pk}/").content.decode()
    assert "Entry history" in page and "Motion to Dismiss. (Filer, S)" in page


def _docket(client: Client, case, event, **extra):
    data = {"case": case.number, "event": event.pk, "date_filed": "2026-03-09", **extra}
    return client.post(DOCKET, data)


def test_a_clerk_dockets_an_order_with_its_pdf(court, staff_people, filing, signed_in):
    order = EventTypeFactory(
        court=court, code="order", name="Order", docket_text="ORDER", category="court"
    )
    pdf = SimpleUploadedFile("order.pdf", make_pdf([["ORDER"], ["page 2"]]), "application/pdf")
    response = _docket(
        signed_in(staff_people.clerk),
        filing.case,
        order,
        text="ORDER granting extension. Signed by Judge Gary S. Katzmann on 3/9/2026.",
        main_document=pdf,
    )
    assert response.status_code == 302, response.content.decode()
    entry = DocketEntry.objects.filter(case=filing.case).order_by("seq").last()
    assert (entry.number, entry.event, entry.entered_by) == (2, order, staff_people.clerk)
    assert entry.documents.get().pages == 2
    assert OutboundEmail.objects.filter(kind="nef").count() == 1


def test_a_minute_entry_needs_no_pdf(court, staff_people, filing, signed_in):
    minute = EventTypeFactory(
        court=court,
        code="minute-entry",
        name="Minute Entry",
        docket_text="Minute Entry",
        category="court",
        requires_document=False,
    )
    response = _docket(signed_in(staff_people.clerk), filing.case, minute)
    assert response.status_code == 302
    entry = DocketEntry.objects.filter(case=filing.case).order_by("seq").last()
    assert entry.text == "Minute Entry." and not entry.documents.exists()


@pytest.mark.parametrize(
    ("upload", "case_number", "message"),
    [
        (SimpleUploadedFile("order.pdf", b"<html>not a pdf</html>"), None, "contains HTML"),
        (SimpleUploadedFile("order.pdf", b"plain text"), None, "is not a PDF document"),
        (None, None, "A Order needs its PDF"),
        (None, "1:99-cv-99999", "There is no case 1:99-cv-99999 in this court."),
    ],
)
def test_bad_docketing_input_changes_nothing(
    court, staff_people, filing, signed_in, upload, case_number, message
):
    order = EventTypeFactory(
        court=court, code="order", name="Order", docket_text="ORDER", category="court"
    )
    data = {
        "case": case_number or filing.case.number,
        "event": order.pk,
        "date_filed": "2026-03-09",
    }
    if upload is not None:
        data["main_document"] = upload
    before = DocketEntry.objects.count(), Document.objects.count()
    response = signed_in(staff_people.clerk).post(DOCKET, data)
    assert response.status_code == 400 and message in response.content.decode()
    assert (DocketEntry.objects.count(), Document.objects.count()) == before
    assert not OutboundEmail.objects.exists()


def test_a_filer_event_cannot_be_docketed_by_the_clerk(court, staff_people, filing, signed_in):
    response = _docket(signed_in(staff_people.clerk), filing.case, filing.event)
    assert response.status_code == 400
    assert "Select a valid choice" in response.content.decode()
