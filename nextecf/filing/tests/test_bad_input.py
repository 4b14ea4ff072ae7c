"""Bad input on the filing screens: every problem is named, answered without a server
error, and leaves nothing behind: no case, docket entry, document row, stored file,
payment, charge, email or filing."""

from __future__ import annotations

import pytest

from nextecf.audit.models import AuditEvent, Event
from nextecf.billing.models import SandboxCharge
from nextecf.filing.models import FilingDraft, StagedUpload
from nextecf.filing.tests.conftest import (
    DECLINED_CARD,
    GOOD_CARD,
    encrypted_pdf,
    pdf,
    staged_keys,
    upload,
)


@pytest.fixture
def summons_draft(people, as_filer, events):
    filer = as_filer(people.filer)
    draft = filer.draft_id(filer.start_open_case(events["summons"]))
    return filer, draft


@pytest.fixture
def letter_draft(people, as_filer, events, case):
    filer = as_filer(people.filer)
    draft = filer.draft_id(filer.start_in_case(events["letter"], case.number))
    filer.choose(draft, [case.parties.get(role="Plaintiff")])
    return filer, draft


@pytest.mark.parametrize(
    ("name", "data", "message"),
    [
        ("brief.docx", b"PK\x03\x04 word document", "brief.docx is not a PDF document."),
        ("damaged.pdf", b"%PDF-1.4\n1 0 obj garbage", "damaged.pdf is not a well-formed PDF"),
        ("empty.pdf", b"", "The submitted file is empty."),
        ("locked.pdf", encrypted_pdf(), "locked.pdf is encrypted or password-protected"),
    ],
)
def test_a_file_that_is_not_a_usable_pdf_is_named_and_not_kept(
    letter_draft, nothing_filed, name, data, message
):
    filer, draft = letter_draft
    response = filer.upload(draft, main=upload(name, data))
    assert response.status_code == 400
    assert message in response.content.decode()
    assert not StagedUpload.objects.exists() and staged_keys() == set()
    nothing_filed()


def test_an_oversize_pdf_is_refused_before_it_is_read(letter_draft, nothing_filed, settings):
    settings.MAX_PDF_BYTES = 2 * 1024 * 1024
    filer, draft = letter_draft
    big = pdf("x") + b"%" * (2 * 1024 * 1024)
    response = filer.upload(draft, attachment=upload("exhibits.pdf", big), description="Exhibits")
    assert response.status_code == 400
    page = response.content.decode()
    assert "exhibits.pdf is larger than the court&#x27;s limit of 2 MB." in page
    assert staged_keys() == set()
    nothing_filed()


def test_an_attachment_needs_a_description(letter_draft, nothing_filed):
    filer, draft = letter_draft
    response = filer.upload(draft, attachment=upload("a.pdf", pdf()))
    assert response.status_code == 400
    assert "Describe the attachment." in response.content.decode()
    assert staged_keys() == set()


def test_submit_without_the_main_document_is_refused(letter_draft, nothing_filed):
    filer, draft = letter_draft
    going_on = filer.upload(draft, go=True)
    assert going_on.status_code == 400
    assert "Main document: upload the main document" in going_on.content.decode()
    response = filer.submit(draft)
    assert response.status_code == 400
    assert "Main document: upload the main document (a PDF)." in response.content.decode()
    assert AuditEvent.objects.filter(
        event_type=Event.FILING_ERROR, reason="no_main_document"
    ).exists()
    nothing_filed()


@pytest.mark.parametrize(
    ("typed", "status", "message"),
    [
        ("banana", 400, "Enter a case number like 1:26-cv-00001, 26-00001 or 26-1."),
        ("26-0", 400, "Enter a case number like 1:26-cv-00001"),
        ("1:26-cv-123456", 400, "Enter a case number like 1:26-cv-00001"),
        ("", 400, "Enter a case number."),
        ("x" * 500, 400, "Enter a case number like 1:26-cv-00001."),
        ("26-00099", 404, "there is no case 1:26-cv-00099 in this court"),
    ],
)
def test_a_bad_case_number_is_named(
    people, as_filer, events, case, nothing_filed, typed, status, message
):
    response = as_filer(people.filer).start_in_case(events["letter"], typed)
    assert response.status_code == status
    assert message in response.content.decode()
    assert not FilingDraft.objects.exists()
    nothing_filed()


@pytest.mark.parametrize("raw", ["999999", "abc", "", "-1", "1" * 40])
@pytest.mark.parametrize("page", ["open", "file"])
def test_an_unknown_event_is_named(people, as_filer, events, nothing_filed, raw, page):
    client = as_filer(people.filer).client
    for response in (
        client.get(f"/cit/civil/{page}/", {"event": raw}),
        client.post(f"/cit/civil/{page}/", {"event": raw, "case_number": "26-1"}),
    ):
        assert response.status_code == 400
        assert "Event: no such event in this court" in response.content.decode()
    assert not FilingDraft.objects.exists()
    nothing_filed()


def test_events_of_the_wrong_kind_or_court_only_are_unknown(people, as_filer, events):
    client = as_filer(people.filer).client
    # A Summons is not an "other filing", a Complaint opens no case, an Order is the court's.
    assert client.get("/cit/civil/file/", {"event": events["summons"].pk}).status_code == 400
    assert client.get("/cit/civil/open/", {"event": events["complaint"].pk}).status_code == 400
    assert client.get("/cit/civil/file/", {"event": events["order"].pk}).status_code == 400


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("Letter\x00 to the court", "Null characters are not allowed."),
        ("Letter \x1b[31m red", "may not contain control characters"),
        ("Letter " + "y" * 5000, "must be at most 1000 characters (it has 5007)"),
        ("   ", "The docket text is required."),
    ],
)
def test_bad_docket_text_is_named(letter_draft, nothing_filed, text, message):
    filer, draft = letter_draft
    response = filer.docket_text(draft, text)
    assert response.status_code == 400
    assert message in response.content.decode()
    assert FilingDraft.objects.get(pk=draft).docket_text == ""
    nothing_filed()


def test_a_declined_card_files_nothing(summons_draft, nothing_filed):
    filer, draft = summons_draft
    filer.upload(draft, main=upload("summons.pdf", pdf()))
    response = filer.submit(draft, DECLINED_CARD, 35000)
    assert response.status_code == 400
    assert "Payment: card declined: insufficient funds." in response.content.decode()
    assert not SandboxCharge.objects.exists()
    payment = AuditEvent.objects.get(event_type=Event.PAYMENT)
    assert (payment.outcome, payment.reason) == ("failure", "card_declined")
    assert "4000000000000002" not in str(payment.detail)
    nothing_filed()


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"card_number": "4111 1111 1111 1112"}, "Enter a valid card number."),
        ({"card_number": "abcd"}, "Enter a valid card number."),
        ({"card_number": "5555 5555 5555 4444"}, "Payment: invalid card."),  # not a test card
        ({"exp_month": "13"}, "Enter the month as a number from 1 to 12."),
        ({"exp_year": "2020"}, "The card has expired or the year is wrong."),
        ({"cvv": "12"}, "The security code has 3 or 4 digits."),
        ({"cvv": "12a"}, "The security code has 3 or 4 digits."),
        ({"authorize": ""}, "Tick the box to authorize the charge."),
        ({"card_number": ""}, "Enter the card number."),
    ],
)
def test_an_invalid_card_is_named_and_files_nothing(summons_draft, nothing_filed, changes, message):
    filer, draft = summons_draft
    filer.upload(draft, main=upload("summons.pdf", pdf()))
    response = filer.submit(draft, {**GOOD_CARD, **changes}, 35000)
    assert response.status_code == 400
    assert message in response.content.decode()
    assert not SandboxCharge.objects.exists()
    nothing_filed()


def test_every_card_problem_is_named_at_once(summons_draft, nothing_filed):
    filer, draft = summons_draft
    filer.upload(draft, main=upload("summons.pdf", pdf()))
    bad = {
        **GOOD_CARD,
        "card_number": "4111 1111 1111 1112",
        "exp_year": "2020",
        "cvv": "12",
        "authorize": "",
    }
    page = filer.submit(draft, bad, 35000).content.decode()
    for message in (
        "Enter a valid card number.",
        "The card has expired or the year is wrong.",
        "The security code has 3 or 4 digits.",
        "Tick the box to authorize the charge.",
    ):
        assert message in page
    # A month that is not a month: named, and the expiry is not judged on it.
    page = filer.submit(draft, {**bad, "exp_month": "13"}, 35000).content.decode()
    assert "Enter the month as a number from 1 to 12." in page
    assert "Enter a valid card number." in page and "The security code has" in page
    assert "The card has expired" not in page
    assert not SandboxCharge.objects.exists()
    nothing_filed()


def test_a_fee_event_without_card_details_is_refused(summons_draft, nothing_filed):
    filer, draft = summons_draft
    filer.upload(draft, main=upload("summons.pdf", pdf()))
    response = filer.submit(draft)  # no card fields at all
    assert response.status_code == 400
    assert "Enter the card number." in response.content.decode()
    nothing_filed()


def test_party_choices_from_elsewhere_are_refused(people, as_filer, events, case):
    from nextecf.cases.factories import CaseFactory, PartyFactory

    stranger = PartyFactory(case=CaseFactory(court=case.court))
    filer = as_filer(people.filer)
    draft = filer.draft_id(filer.start_in_case(events["letter"], case.number))
    for bad, message in [
        ([str(stranger.pk)], "Choose parties of this case."),
        (["abc"], "Choose parties of this case."),
        (["\x00"], "Null characters are not allowed."),
        ([], "Choose the party (or parties) you file for."),
    ]:
        response = filer.client.post(filer.url(draft, "parties"), {"parties": bad})
        assert response.status_code == 400, bad
        assert f"Filing party: {message}" in response.content.decode()
    assert not FilingDraft.objects.get(pk=draft).parties.exists()


def test_a_malformed_draft_id_is_simply_not_found(people, as_filer, events):
    client = as_filer(people.filer).client
    for draft in ("short", "x" * 70, "bad%20id" + "y" * 20):
        assert client.get(f"/cit/civil/draft/{draft}/submit/").status_code == 404
        assert client.get(f"/cit/civil/receipt/{draft}/").status_code == 404
