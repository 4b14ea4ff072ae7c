"""View a Document (doc1/<id>): Download Confirmation, the PDF, attachments, opinions and
free looks from a Notice of Electronic Filing."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from django.conf import settings
from django.test import Client
from django.utils import timezone

from nextecf.accounts.models import hash_token
from nextecf.audit.models import AuditEvent, Event
from nextecf.billing.models import AccessCharge
from nextecf.cases.factories import DocumentFactory
from nextecf.lib.storage import document_store
from nextecf.notices.models import FreeLook


def doc1(document, query: str = "") -> str:
    return f"/cit/doc1/{document.doc_id}{query}"


def pdf_bytes(response) -> bytes:
    return b"".join(response.streaming_content)


def free_look(document, token: str = "123456789012345678901234567890", **fields) -> FreeLook:
    now = timezone.now()
    return FreeLook.objects.create(
        document=document,
        recipient="jane@lawyer.example",
        token_hash=hash_token(token),
        expires_at=fields.pop("expires_at", now + timedelta(days=FreeLook.VALID_DAYS)),
        **fields,
    )


def test_a_document_is_confirmed_first_then_served_and_charged_once(cit_case, people, signed_in):
    client = signed_in(people.public)
    summons = cit_case.summons
    confirm = client.get(doc1(summons))
    assert confirm.status_code == 200
    html = confirm.content.decode()
    assert "Download Confirmation" in html and "View Document" in html
    assert "Transaction Receipt" in html and " Billable Pages: " in html
    assert f" {cit_case.case.number} " in html  # Case Number:
    assert not AccessCharge.objects.exists()  # the confirmation is free
    view = client.post(doc1(summons), {"got_receipt": "1"})
    assert view.status_code == 200
    assert view["Content-Type"] == "application/pdf"
    assert pdf_bytes(view) == document_store().read(summons.storage_key)
    charge = AccessCharge.objects.get()
    assert (charge.description, charge.pages, charge.cost_cents) == ("Image1-0", 1, 10)
    assert charge.account == people.public and charge.search_criteria == cit_case.case.number
    # A double submit does not charge twice.
    client.post(doc1(summons), {"got_receipt": "1"})
    assert AccessCharge.objects.count() == 1
    # Both views are in the audit log.
    views = AuditEvent.objects.filter(event_type=Event.DOCUMENT_VIEW)
    assert views.count() == 2
    assert {(v.detail["doc_id"], v.actor) for v in views} == {(summons.doc_id, people.public)}


def test_a_long_document_costs_at_most_three_dollars(cit_case, people, signed_in):
    long = DocumentFactory(
        entry=cit_case.complaint, attachment_number=2, description="Record", page_count=45
    )
    client = signed_in(people.public)
    assert " 30 " in client.get(doc1(long)).content.decode()
    client.post(doc1(long))
    charge = AccessCharge.objects.get()
    assert charge.pages == 30 and charge.cost_cents == 300


def test_pacer_software_posts_without_a_csrf_token(cit_case, people, signed_in):
    """juriscraper's download_pdf: a multipart POST to the 4th-digit-1 id, no CSRF token."""
    strict = Client(enforce_csrf_checks=True)
    strict.cookies = signed_in(people.public).cookies  # the sign-on, and no CSRF cookie
    summons = cit_case.summons
    skip = summons.doc_id[:3] + "1" + summons.doc_id[4:]
    fields = {"got_receipt": "1", "pdf_header": "1", "pdf_toggle_possible": "1"}
    case = {"caseid": str(cit_case.case.pk), "de_seq_num": "1"}
    response = strict.post(f"/cit/doc1/{skip}", {**fields, **case})
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    assert pdf_bytes(response) == document_store().read(summons.storage_key)
    assert AccessCharge.objects.get().description == "Image1-0"


def test_a_cross_site_post_charges_nobody(cit_case, people, signed_in):
    """doc1 takes POSTs without a CSRF token. A page elsewhere could make a signed-on
    browser post to it, but the sign-on cookie is SameSite=Lax, so the browser leaves it
    off that cross-site POST: the request arrives signed off and is sent to log in, and
    nothing is charged. And before that, its foreign Origin is refused outright (the
    Origin check of the CSRF-exempt views)."""
    signed = signed_in(people.public)
    cookie = signed.cookies[settings.SIGNON_COOKIE_NAME]
    assert cookie["samesite"] == "Lax" and cookie["httponly"]
    # What the browser sends cross-site: the same POST, without the Lax cookie.
    cross_site = Client(enforce_csrf_checks=True, headers={"Origin": "https://evil.example"})
    for doc_id in (cit_case.summons.doc_id, cit_case.main.doc_id):
        response = cross_site.post(f"/cit/doc1/{doc_id}", {"got_receipt": "1"})
        assert response.status_code == 403
        assert b"came from a page on another site" in response.content
        # Without the Origin (an old browser), the Lax cookie still stays off it.
        bare = Client(enforce_csrf_checks=True).post(f"/cit/doc1/{doc_id}", {"got_receipt": "1"})
        assert bare.status_code == 302
        assert bare["Location"].startswith("/csologin/login/")
    assert not AccessCharge.objects.exists()


def test_got_receipt_0_asks_for_the_receipt_only(cit_case, people, signed_in):
    """juriscraper's is_pdf_sealed posts got_receipt=0: the confirmation, never a charge."""
    response = signed_in(people.public).post(doc1(cit_case.summons), {"got_receipt": "0"})
    assert response.status_code == 200 and b"Download Confirmation" in response.content
    assert not AccessCharge.objects.exists()


def test_a_case_id_that_is_not_the_documents_is_refused(cit_case, people, signed_in):
    client = signed_in(people.public)
    wrong = client.post(doc1(cit_case.summons), {"got_receipt": "1", "caseid": "424242"})
    assert wrong.status_code == 200  # CM/ECF's own answer, which PACER software reads
    assert b"Cannot locate the case with caseid: 424242" in wrong.content
    assert not AccessCharge.objects.exists()


def test_a_filing_with_attachments_shows_its_parts_first(cit_case, people, signed_in):
    client = signed_in(people.public)
    page = client.get(doc1(cit_case.main))
    html = page.content.decode()
    assert "Documents are attached to this filing" in html
    # Each part links to its id with CM/ECF's 4th-digit flag set (open it, not this page).
    main, exhibit = (skipping(d.doc_id) for d in (cit_case.main, cit_case.exhibit))
    assert '<b>Document Number:</b> <input type="hidden" name="document_2_0"' in html
    assert f'href="/cit/doc1/{main}"' in html and f'href="/cit/doc1/{exhibit}"' in html
    assert 'name="document_2_1"' in html and "Exhibit A" in html
    assert "3 pages" in html and "2 pages" in html
    assert not AccessCharge.objects.exists()
    confirm = client.get(f"/cit/doc1/{main}")
    assert b"Download Confirmation" in confirm.content
    assert (
        b"Download Confirmation"
        in client.get(doc1(cit_case.main, "?skip_attachment_page=1")).content
    )
    assert b"Download Confirmation" in client.get(doc1(cit_case.exhibit)).content


def skipping(doc_id: str) -> str:
    return doc_id[:3] + "1" + doc_id[4:]


def test_pacer_software_may_rewrite_the_fourth_digit(cit_case, people, signed_in):
    client = signed_in(people.public)
    main = cit_case.main.doc_id
    as_parsed = main[:3] + "0" + main[4:]
    skipping = main[:3] + "1" + main[4:]
    if main[3] != "0":
        assert b"Documents are attached" in client.get(f"/cit/doc1/{as_parsed}").content
    if main[3] != "1":
        assert b"Download Confirmation" in client.get(f"/cit/doc1/{skipping}").content


def test_written_opinions_are_free(cit_case, people, signed_in):
    response = signed_in(people.public).get(doc1(cit_case.opinion_doc))
    assert response["Content-Type"] == "application/pdf"
    charge = AccessCharge.objects.get()
    assert charge.cost_cents == 0 and charge.free_reason == AccessCharge.Free.OPINION


@pytest.mark.parametrize(
    "doc_id", ["014999999999", "banana", "0" * 40, "014%2e%2e", "-1", "01400000000%20"]
)
def test_unknown_or_malformed_document_ids_are_not_found(cit_case, people, signed_in, doc_id):
    response = signed_in(people.public).get(f"/cit/doc1/{doc_id}")
    assert response.status_code == 200
    assert b"The requested document cannot be displayed" in response.content
    assert not AccessCharge.objects.exists()


def test_a_nul_in_the_address_is_refused(cit_case, people, signed_in):
    client = signed_in(people.public)
    assert client.get("/cit/doc1/014%00").status_code == 400
    assert client.get(doc1(cit_case.summons, "?magic_num=%00")).status_code == 400


def test_a_document_of_another_court_is_not_found_here(cit_case, people, signed_in, other_court):
    response = signed_in(people.public).get(f"/ca9/doc1/{cit_case.summons.doc_id}")
    assert response.status_code == 200
    assert b"The requested document cannot be displayed" in response.content


def test_a_missing_file_is_reported_without_a_charge(cit_case, people, signed_in):
    document_store().delete(cit_case.summons.storage_key)
    response = signed_in(people.public).post(doc1(cit_case.summons))
    assert response.status_code == 200 and b"document is not available" in response.content
    assert not AccessCharge.objects.exists()


def test_a_stranger_must_log_in(cit_case):
    response = Client().get(doc1(cit_case.summons))
    assert response.status_code == 302 and response["Location"].startswith("/csologin/login/")


# --- Free looks ------------------------------------------------------------------------------

TOKEN = "123456789012345678901234567890"


def nef_link(document, case, token: str = TOKEN) -> str:
    entry = document.entry
    return doc1(document, f"?caseid={case.pk}&de_seq_num={entry.seq}&magic_num={token}")


def test_a_free_look_opens_the_pdf_once_without_login(cit_case):
    look = free_look(cit_case.main)
    response = Client().get(nef_link(cit_case.main, cit_case.case))
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    assert pdf_bytes(response) == document_store().read(cit_case.main.storage_key)
    look.refresh_from_db()
    assert look.used_at is not None
    assert not AccessCharge.objects.exists()  # nobody to charge, and free anyway
    event = AuditEvent.objects.get(event_type=Event.FREE_LOOK, outcome="success")
    assert event.detail == {"doc_id": cit_case.main.doc_id, "free_look": look.pk}
    assert TOKEN not in str(AuditEvent.objects.values_list("detail", "path"))
    # The second use is an ordinary, billed view: the page says why and offers the login,
    # which comes back without the spent token.
    again = Client().get(nef_link(cit_case.main, cit_case.case))
    assert again.status_code == 200 and again["Content-Type"].startswith("text/html")
    page = again.content.decode()
    assert "This free-look link no longer opens the document" in page
    assert "has been used already, has expired" in page
    login = re.search(r'href="(/csologin/login/\?[^"]+)">log in with your PACER account', page)
    assert login, page
    assert "magic_num" not in login.group(1) and "caseid" in login.group(1)
    assert AuditEvent.objects.filter(event_type=Event.FREE_LOOK, reason="already_used").exists()


def test_a_signed_on_free_look_records_a_free_access(cit_case, people, signed_in):
    free_look(cit_case.main)
    client = signed_in(people.filer)
    response = client.get(nef_link(cit_case.main, cit_case.case))
    assert response["Content-Type"] == "application/pdf"
    charge = AccessCharge.objects.get()
    assert charge.free_reason == AccessCharge.Free.FREE_LOOK and charge.cost_cents == 0
    # Used up: the same link now asks for the ordinary confirmation.
    second = client.get(nef_link(cit_case.main, cit_case.case))
    assert b"Documents are attached to this filing" in second.content


def test_an_expired_free_look_is_an_ordinary_view(cit_case, people, signed_in):
    look = free_look(cit_case.summons, expires_at=timezone.now() - timedelta(seconds=1))
    expired = Client().get(nef_link(cit_case.summons, cit_case.case))
    assert b"This free-look link no longer opens the document" in expired.content
    page = signed_in(people.public).get(nef_link(cit_case.summons, cit_case.case))
    assert b"Download Confirmation" in page.content
    look.refresh_from_db()
    assert look.used_at is None
    assert AuditEvent.objects.filter(event_type=Event.FREE_LOOK, reason="expired").exists()


def test_a_token_for_another_document_or_a_wrong_token_gives_no_free_look(cit_case):
    free_look(cit_case.exhibit)
    for link in [
        nef_link(cit_case.summons, cit_case.case),
        nef_link(cit_case.exhibit, cit_case.case, token="999"),
        nef_link(cit_case.exhibit, cit_case.case, token="x" * 1000),
    ]:
        refused = Client().get(link)
        assert b"This free-look link no longer opens the document" in refused.content
        assert b"application/pdf" not in refused["Content-Type"].encode()
    assert not FreeLook.objects.exclude(used_at=None).exists()


def test_a_free_look_works_in_a_sealed_case(sealed_case):
    document = sealed_case.entries.get().documents.get()
    free_look(document)
    response = Client().get(doc1(document, f"?magic_num={TOKEN}"))
    assert response["Content-Type"] == "application/pdf"
