"""The filing API (/api/v1) as a client uses it: httpx against a live server, with tokens
made as Manage My Account makes them."""

from __future__ import annotations

from datetime import timedelta

import pytest
import time_machine
from django.utils import timezone

from nextecf.access import may_read_document
from nextecf.accounts.models import ApiToken
from nextecf.api.tests.tokens import DECLINED_PAYMENT, GOOD_PAYMENT, ApiClient, make_token
from nextecf.audit.models import AuditEvent, Event
from nextecf.billing.models import AccessCharge
from nextecf.cases.factories import (
    AppearanceFactory,
    CaseFactory,
    DocketEntryFactory,
    DocumentFactory,
    PartyFactory,
)
from nextecf.cases.models import (
    AccessLevel,
    Case,
    DocketEntry,
    Document,
    Party,
    ProtectiveOrderAdmission,
)
from nextecf.filing.models import Filing, FilingDraft
from nextecf.filing.tests.conftest import Counts, Filer, pdf, staged_keys, upload

Scope = ApiToken.Scope
pytestmark = pytest.mark.usefixtures("transactional_db")


@pytest.fixture
def server(live_server, settings):
    settings.SITE_URL = live_server.url
    return live_server.url


def client_for(server: str, account, *scopes: Scope, court: str = "", **kwargs) -> ApiClient:
    _token, secret = make_token(account, *scopes, court=court, **kwargs)
    return ApiClient(server, secret)


def letter(case: Case, **extra):
    return {
        "event": "letter",
        "case_number": case.number,
        "parties": ["New Hampshire Ball Bearing, Inc."],
        **extra,
    }


# --- Tokens --------------------------------------------------------------------------------


def test_no_token_an_unknown_one_a_revoked_one_and_an_expired_one_get_401(
    server, people, case, events
):
    for secret in (None, "necf_not-a-token", "Basic abc"):
        answer = ApiClient(server, secret).get(f"/courts/cit/cases/{case.number}")
        assert answer.status_code == 401
        assert answer.headers["WWW-Authenticate"].startswith("Bearer")
    token, secret = make_token(people.filer, Scope.READ_PUBLIC)
    api = ApiClient(server, secret)
    assert api.get(f"/courts/cit/cases/{case.number}").status_code == 200

    with time_machine.travel(timezone.now() + timedelta(days=31)):
        answer = api.get(f"/courts/cit/cases/{case.number}")
    assert answer.status_code == 401
    assert answer.json()["error"] == "expired_token"

    token.revoked_at = timezone.now()
    token.save()
    answer = api.get(f"/courts/cit/cases/{case.number}")
    assert answer.status_code == 401
    assert answer.json()["error"] == "revoked_token"
    refused = AuditEvent.objects.filter(event_type=Event.API_TOKEN_REFUSED)
    assert set(refused.values_list("reason", flat=True)) >= {
        "no_token",
        "unknown_token",
        "expired_token",
        "revoked_token",
    }


def test_a_token_is_refused_from_an_address_its_allow_list_does_not_name(server, people, case):
    outside = client_for(server, people.filer, Scope.READ_PUBLIC, ips=["10.9.8.0/24"])
    answer = outside.get(f"/courts/cit/cases/{case.number}")
    assert answer.status_code == 401
    assert answer.json()["error"] == "ip_not_allowed"
    inside = client_for(server, people.filer, Scope.READ_PUBLIC, ips=["127.0.0.0/8"])
    assert inside.get(f"/courts/cit/cases/{case.number}").status_code == 200


def test_every_use_is_audited_under_the_tokens_name_and_its_last_use_kept(server, people, case):
    token, secret = make_token(people.filer, Scope.READ_PUBLIC, name="Docketing robot")
    ApiClient(server, secret).get(f"/courts/cit/cases/{case.number}/docket")
    call = AuditEvent.objects.get(event_type=Event.API_CALL)
    assert call.detail["token"] == "Docketing robot"
    assert call.actor == people.filer
    assert call.outcome == "success"
    token.refresh_from_db()
    assert token.last_used_at is not None
    assert token.last_used_ip == "127.0.0.1"


def test_a_token_never_opens_the_accounts_own_pages(server, people):
    """No password, email, MFA or token management with a token: the sign-on pages never
    take one (it is not a session), so they send the caller to the login."""
    _token, secret = make_token(people.filer, Scope.READ_PUBLIC, Scope.FILE, court="cit")
    import httpx

    for path in ("/account/", "/account/password/", "/account/mfa/", "/account/api-tokens/"):
        answer = httpx.get(
            server + path, headers={"Authorization": f"Bearer {secret}"}, follow_redirects=False
        )
        assert answer.status_code == 302
        assert answer.headers["Location"].startswith("/csologin/login/")
        answer = httpx.get(server + path, cookies={"NextGenCSO": secret}, follow_redirects=False)
        assert answer.status_code == 302


# --- Reading -------------------------------------------------------------------------------


def test_events_and_their_fees(server, people, events):
    api = client_for(server, people.public, Scope.READ_PUBLIC)
    listed = api.get("/courts/cit/events").json()
    by_code = {e["code"]: e for e in listed["events"]}
    assert by_code["summons"]["fee_cents"] == events["summons"].fee_cents
    assert by_code["summons"]["category"] == "open_case"
    assert "letter" in by_code
    fee = api.get("/courts/cit/fees", event="summons").json()
    assert fee == {"court": "cit", "event": "summons", "fee_cents": 35000, "currency": "USD"}
    answer = api.get("/courts/cit/fees", event="nope")
    assert answer.status_code == 422
    assert answer.json()["field"] == "event"


def test_a_docket_as_json_a_page_at_a_time(server, people, case, events):
    for n in range(1, 8):
        DocketEntry.objects.create(
            case=case, number=n, seq=n, date_filed=case.date_filed, text=f"ENTRY {n}"
        )
    api = client_for(server, people.public, Scope.READ_PUBLIC)
    first = api.get(f"/courts/cit/cases/{case.number}/docket", page_size=3).json()
    assert [e["text"] for e in first["entries"]] == ["ENTRY 1", "ENTRY 2", "ENTRY 3"]
    assert (first["total"], first["next_page"]) == (7, 2)
    last = api.get(f"/courts/cit/cases/{case.number}/docket", page_size=3, page=3).json()
    assert [e["text"] for e in last["entries"]] == ["ENTRY 7"]
    assert last["next_page"] is None
    answer = api.get(f"/courts/cit/cases/{case.number}/docket", page_size=0)
    assert answer.status_code == 422
    assert answer.json()["field"] == "page_size"
    caption = api.get(f"/courts/cit/cases/{case.number}").json()
    assert caption["title"] == case.title
    assert {p["name"] for p in caption["parties"]} == {
        "New Hampshire Ball Bearing, Inc.",
        "United States",
    }


def test_a_counsel_of_record_token_still_cannot_read_a_sealed_case(server, people, court):
    """The filer of record sees the sealed case on the court's pages; the same person's
    token, with every read scope, is told it does not exist."""
    sealed = CaseFactory(court=court, title="Sealed Co. v. United States", is_sealed=True)
    party = PartyFactory(case=sealed, name="Sealed Co.")
    filer = people.filer.filer_accounts.get(court=court)
    AppearanceFactory(party=party, filer=filer)
    DocketEntry.objects.create(
        case=sealed, number=1, seq=1, date_filed=sealed.date_filed, text="SEALED COMPLAINT"
    )
    api = client_for(server, people.filer, Scope.READ_PUBLIC, Scope.READ_OWN)
    for path in (f"/courts/cit/cases/{sealed.number}", f"/courts/cit/cases/{sealed.number}/docket"):
        answer = api.get(path)
        assert answer.status_code == 404
        assert "SEALED" not in answer.text
        assert answer.json()["field"] == "case_number"


def _document_in(case: Case, number: int, text: str, **document) -> Document:
    entry = DocketEntryFactory(case=case, number=number, seq=number, text=text)
    return DocumentFactory(entry=entry, page_count=3, **document)


def test_a_public_document_downloads_as_its_pdf_and_is_charged_as_doc1_charges(
    server, people, case
):
    document = _document_in(case, 1, "COMPLAINT against United States.")
    api = client_for(server, people.public, Scope.READ_PUBLIC)
    docket = api.get(f"/courts/cit/cases/{case.number}/docket").json()
    assert docket["entries"][0]["documents"][0]["doc_id"] == document.doc_id
    answer = api.get(f"/courts/cit/documents/{document.doc_id}")
    assert answer.status_code == 200
    assert answer.headers["Content-Type"] == "application/pdf"
    assert answer.content.startswith(b"%PDF")
    charge = AccessCharge.objects.get(account=people.public)
    assert (charge.description, charge.pages, charge.cost_cents) == ("Image1-0", 3, 30)
    call = AuditEvent.objects.filter(event_type=Event.API_CALL).latest("pk")
    assert call.outcome == "success"
    missing = api.get("/courts/cit/documents/999999999999")
    assert (missing.status_code, missing.json()["field"]) == (404, "doc_id")
    assert AccessCharge.objects.count() == 1


def test_an_admitted_counsels_token_cannot_read_the_confidential_document(
    server, people, case, court, filer_of_record
):
    """The filer of record, admitted under the case's protective order, reads the
    confidential exhibit on the court's pages; the same person's token, with every read
    scope, is told it does not exist and is charged nothing."""
    secret = _document_in(case, 1, "CONFIDENTIAL EXHIBIT 1.", access_level=AccessLevel.CONFIDENTIAL)
    ProtectiveOrderAdmission.objects.create(
        case=case, filer=filer_of_record, admitted_by=people.clerk
    )
    assert may_read_document(people.filer, secret)  # on the web
    api = client_for(server, people.filer, Scope.READ_PUBLIC, Scope.READ_OWN)
    docket = api.get(f"/courts/cit/cases/{case.number}/docket").json()
    assert docket["entries"][0]["documents"] == []
    answer = api.get(f"/courts/cit/documents/{secret.doc_id}")
    assert answer.status_code == 404
    assert answer.json() == {
        "error": "no_document",
        "message": "doc_id: no such document.",
        "field": "doc_id",
    }
    assert not AccessCharge.objects.exists()
    denied = AuditEvent.objects.get(event_type=Event.ACCESS_DENIED, actor=people.filer)
    assert denied.detail["doc_id"] == secret.doc_id


def test_a_stricken_entrys_document_is_not_served_to_a_token(server, people, case):
    document = _document_in(case, 1, "MOTION.")
    DocketEntry.objects.filter(pk=document.entry_id).update(
        stricken_at=timezone.now(), stricken_reason="Filed in the wrong case."
    )
    api = client_for(server, people.public, Scope.READ_PUBLIC)
    docket = api.get(f"/courts/cit/cases/{case.number}/docket").json()
    assert docket["entries"][0]["documents"] == []
    assert api.get(f"/courts/cit/documents/{document.doc_id}").status_code == 404
    assert not AccessCharge.objects.exists()


def test_read_own_reads_only_the_owners_cases(server, people, case, court):
    other = CaseFactory(court=court, title="Someone Else v. United States")
    api = client_for(server, people.filer, Scope.READ_OWN)
    assert api.get(f"/courts/cit/cases/{case.number}").status_code == 200
    assert api.get(f"/courts/cit/cases/{other.number}").status_code == 404
    filing_only = client_for(server, people.filer, Scope.FILE, court="cit")
    assert filing_only.get(f"/courts/cit/cases/{case.number}").status_code == 403


# --- Filing --------------------------------------------------------------------------------


def test_a_read_token_cannot_file(server, people, case, events, nothing_filed):
    api = client_for(server, people.filer, Scope.READ_PUBLIC, Scope.READ_OWN)
    answer = api.file("cit", letter(case), main=pdf("Letter"))
    assert answer.status_code == 403
    assert answer.json()["error"] == "token_scope"
    nothing_filed()


def test_a_filing_token_files_only_in_its_court(server, people, case, events, other_court):
    api = client_for(server, people.filer, Scope.FILE, court="ca9")
    answer = api.file("cit", letter(case), main=pdf("Letter"))
    assert answer.status_code == 403


def test_a_filing_through_the_api_is_the_same_docket_entry_as_one_through_the_web(
    server, people, case, events, filer_of_record, signed_in
):
    plaintiff = Party.objects.get(case=case, name="New Hampshire Ball Bearing, Inc.")
    web = Filer(signed_in(people.filer))
    web_draft = web.file(events["letter"], case, [plaintiff], main=upload("l.pdf", pdf("Letter")))
    api = client_for(server, people.filer, Scope.FILE, Scope.READ_OWN, court="cit")
    answer = api.file("cit", letter(case), main=pdf("Letter"))
    assert answer.status_code == 201, answer.text
    status = answer.json()

    by_web = Filing.objects.get(draft_id=web_draft)
    by_api = Filing.objects.get(draft_id=status["filing_id"])

    def shape(filing: Filing):
        entry = filing.entry
        return (
            entry.text,
            entry.event_id,
            entry.filer_id,
            entry.date_filed,
            [
                (d.attachment_number, d.description, d.pages, d.sha256)
                for d in entry.documents.all()
            ],
            sorted(filing.parties.values_list("pk", flat=True)),
            filing.account_id,
            filing.court_id,
        )

    assert shape(by_api) == shape(by_web)
    assert by_api.entry.number == by_web.entry.number + 1
    assert status["entry_number"] == by_api.entry.number
    assert status["docket_text"] == by_api.entry.text
    assert "Notice of Electronic Filing" in status["nef_html"]
    # Both sent NEFs to the same people, and were audited as filings by the same account.
    submitted = AuditEvent.objects.filter(event_type=Event.FILING_SUBMITTED)
    assert submitted.count() == 2
    assert {e.actor_id for e in submitted} == {people.filer.pk}
    # The status can be asked for again; the docket lists both.
    again = api.get(f"/courts/cit/filings/{status['filing_id']}").json()
    assert again["entry_number"] == status["entry_number"]
    docket = api.get(f"/courts/cit/cases/{case.number}/docket").json()
    assert [e["text"] for e in docket["entries"]][-2:] == [by_web.entry.text, by_api.entry.text]


def test_opening_a_case_with_its_fee(server, people, events, filer_of_record):
    api = client_for(server, people.filer, Scope.FILE, court="cit")
    metadata = {
        "event": "summons",
        "new_case": {
            "plaintiffs": ["Acme Bearings Corp."],
            "defendant": "United States",
            "jurisdiction": "1581a",
            "category": "Classification",
            "agency": "U.S. Customs and Border Protection",
        },
        "payment": GOOD_PAYMENT,
        "fee_cents": 35000,
    }
    answer = api.file("cit", metadata, main=pdf("Summons"), key="open-1")
    assert answer.status_code == 201, answer.text
    status = answer.json()
    assert status["opened_case"] is True
    assert status["fee_cents"] == 35000 and status["receipt"]
    opened = Case.objects.get(number=status["case_number"])
    assert opened.title == "Acme Bearings Corp. v. United States"


def test_a_retried_request_with_the_same_idempotency_key_files_once(
    server, people, case, events, filer_of_record
):
    api = client_for(server, people.filer, Scope.FILE, court="cit")
    first = api.file("cit", letter(case), main=pdf("Letter"), key="retry-7")
    second = api.file("cit", letter(case), main=pdf("Letter"), key="retry-7")
    assert (first.status_code, second.status_code) == (201, 200)
    assert second.json()["replayed"] is True
    assert second.json()["filing_id"] == first.json()["filing_id"]
    assert Filing.objects.count() == 1
    assert DocketEntry.objects.filter(case=case).count() == 1
    changed = api.file(
        "cit", letter(case, docket_text="LETTER again"), main=pdf("Letter"), key="retry-7"
    )
    assert changed.status_code == 422
    assert changed.json()["error"] == "idempotency_key_reused"
    assert Filing.objects.count() == 1


@pytest.mark.parametrize(
    ("metadata", "field"),
    [
        ("{not json", "metadata"),
        ({"event": "letter", "case_number": "1:26-cv-00001", "surprise": 1}, "surprise"),
        ({"event": "nope", "case_number": "x", "parties": ["y"]}, "event"),
        ({"event": "letter", "parties": ["New Hampshire Ball Bearing, Inc."]}, "case_number"),
        ({"event": "letter", "case_number": "CASE", "parties": ["Nobody"]}, "parties"),
        (
            {
                "event": "letter",
                "case_number": "CASE",
                "parties": ["New Hampshire Ball Bearing, Inc."],
                "docket_text": "Something else",
            },
            "docket_text",
        ),
        (
            {
                "event": "letter",
                "case_number": "CASE",
                "parties": ["New Hampshire Ball Bearing, Inc."],
                "attachment_descriptions": ["Exhibit"],
            },
            "attachment_descriptions",
        ),
        (
            {
                "event": "summons",
                "new_case": {"plaintiffs": ["A"], "defendant": "US", "jurisdiction": "9999z"},
                "payment": GOOD_PAYMENT,
            },
            "new_case.jurisdiction",
        ),
        (
            {
                "event": "summons",
                "new_case": {"plaintiffs": ["A"], "defendant": "US", "jurisdiction": "1581a"},
                "payment": {**GOOD_PAYMENT, "card_number": "4111111111111112"},
            },
            "card_number",
        ),
    ],
)
def test_bad_input_names_the_field_and_leaves_nothing_behind(
    server, people, case, events, filer_of_record, nothing_filed, metadata, field
):
    if isinstance(metadata, dict) and metadata.get("case_number") == "CASE":
        metadata = {**metadata, "case_number": case.number}
    api = client_for(server, people.filer, Scope.FILE, court="cit")
    staged = staged_keys()
    answer = api.file("cit", metadata, main=pdf("Letter"), key="bad-1")
    assert answer.status_code == 422, answer.text
    assert answer.json()["field"] == field
    nothing_filed()
    assert FilingDraft.objects.count() == 0
    assert staged_keys() == staged


def test_a_bad_pdf_or_a_declined_card_files_and_charges_nothing(
    server, people, case, events, filer_of_record, nothing_filed
):
    api = client_for(server, people.filer, Scope.FILE, court="cit")
    answer = api.file("cit", letter(case), main=b"%PDF-1.4 not really", key="k1")
    assert answer.status_code == 422
    assert answer.json()["field"] == "main_document"
    metadata = {
        "event": "summons",
        "new_case": {"plaintiffs": ["Acme"], "defendant": "United States", "jurisdiction": "1581a"},
        "payment": DECLINED_PAYMENT,
    }
    answer = api.file("cit", metadata, main=pdf("Summons"), key="k1")
    assert answer.status_code == 402
    assert answer.json()["field"] == "card_number"
    nothing_filed()
    assert FilingDraft.objects.count() == 0
    # The key was not spent by the refusals: a corrected request files.
    fixed = api.file("cit", {**metadata, "payment": GOOD_PAYMENT}, main=pdf("Summons"), key="k1")
    assert fixed.status_code == 201, fixed.text


def test_a_token_cannot_file_into_a_sealed_case_even_for_counsel_of_record(
    server, people, court, events, filer_of_record
):
    sealed = CaseFactory(court=court, title="Sealed v. United States", is_sealed=True)
    party = PartyFactory(case=sealed, name="Sealed Co.")
    AppearanceFactory(party=party, filer=filer_of_record)
    api = client_for(server, people.filer, Scope.FILE, court="cit")
    before = Counts.now()
    answer = api.file(
        "cit",
        {"event": "letter", "case_number": sealed.number, "parties": ["Sealed Co."]},
        main=pdf("Letter"),
    )
    assert answer.status_code == 404
    assert Counts.now() == before


def test_unknown_operations_and_wrong_methods_answer_json(server, people):
    api = client_for(server, people.public, Scope.READ_PUBLIC)
    assert api.get("/nope").status_code == 404
    assert api.get("/nope").json()["error"] == "not_found"
    answer = api.http.post("/courts/cit/events")
    assert answer.status_code == 405
    assert answer.headers["Allow"] == "GET"


# --- Staged filings -------------------------------------------------------------------------


def test_a_staged_filing_its_pdfs_one_at_a_time_then_submitted_once(
    server, people, case, events, filer_of_record
):
    api = client_for(server, people.filer, Scope.FILE, court="cit")
    staged = api.http.post(
        "/courts/cit/drafts",
        json={
            "event": "letter",
            "case_number": case.number,
            "parties": [case.parties.first().name],
        },
    )
    assert staged.status_code == 201, staged.text
    draft = staged.json()["draft_id"]
    documents = f"/courts/cit/drafts/{draft}/documents"
    main = api.http.post(
        documents, files=[("main_document", ("l.pdf", pdf("Letter"), "application/pdf"))]
    )
    assert main.status_code == 201, main.text
    unnamed = api.http.post(
        documents, files=[("attachment", ("a.pdf", pdf("Exhibit"), "application/pdf"))]
    )
    assert unnamed.status_code == 422 and unnamed.json()["field"] == "description"
    exhibit = api.http.post(
        documents,
        data={"description": "Exhibit A"},
        files=[("attachment", ("a.pdf", pdf("Exhibit"), "application/pdf"))],
    )
    assert [d["position"] for d in exhibit.json()["documents"]] == [0, 1]
    bad = api.http.post(
        documents, files=[("main_document", ("x.pdf", b"no pdf", "application/pdf"))]
    )
    assert bad.status_code == 422 and bad.json()["field"] == "main_document"

    first = api.http.post(f"/courts/cit/drafts/{draft}/submit", json={})
    again = api.http.post(f"/courts/cit/drafts/{draft}/submit", json={})
    assert (first.status_code, again.status_code) == (201, 200), first.text
    assert again.json()["replayed"] is True
    assert Filing.objects.count() == 1
    entry = Filing.objects.get().entry
    assert "(Attachments: # 1 Exhibit A)" in entry.text
    assert [d.description for d in entry.documents.all()] == ["Main Document", "Exhibit A"]
    # Another token of the same account cannot see or submit this token's draft.
    other = client_for(server, people.filer, Scope.FILE, court="cit")
    assert (
        other.http.post(
            f"/courts/cit/drafts/{draft}/documents",
            files=[("main_document", ("l.pdf", pdf("Letter"), "application/pdf"))],
        ).status_code
        == 404
    )


def test_a_staged_filing_can_be_dropped_and_a_bad_one_is_never_staged(
    server, people, case, events, filer_of_record, nothing_filed
):
    api = client_for(server, people.filer, Scope.FILE, court="cit")
    refused = api.http.post(
        "/courts/cit/drafts", json={"event": "letter", "case_number": case.number}
    )
    assert refused.status_code == 422 and refused.json()["field"] == "parties"
    assert FilingDraft.objects.count() == 0
    staged = api.http.post(
        "/courts/cit/drafts",
        json={
            "event": "letter",
            "case_number": case.number,
            "parties": [case.parties.first().name],
        },
    ).json()
    documents = f"/courts/cit/drafts/{staged['draft_id']}/documents"
    api.http.post(documents, files=[("main_document", ("l.pdf", pdf("Letter"), "application/pdf"))])
    assert api.http.delete(documents).status_code == 204
    assert FilingDraft.objects.count() == 0
    nothing_filed()


def test_an_address_with_a_line_break_is_a_json_404(server, people):
    api = client_for(server, people.public, Scope.READ_PUBLIC)
    answer = api.get("/courts/cit/cases/a%0Ab/docket")
    assert answer.status_code == 404
    assert answer.json()["error"] == "not_found"
