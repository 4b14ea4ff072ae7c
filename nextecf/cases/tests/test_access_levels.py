"""Access levels of documents against every kind of person, on every document route: who
reads a restricted, sealed or confidential document, what everyone else is answered (never
a 5xx), that every attempt is audited, and the view log of each opening."""

from __future__ import annotations

from dataclasses import dataclass

import pytest
from django.contrib.auth.models import AnonymousUser
from django.test import Client

from nextecf.access import PUBLIC_ONLY, case_reader, may_read_document, readable_documents
from nextecf.accounts.factories import AccountFactory
from nextecf.accounts.models import Account
from nextecf.audit.models import AuditEvent, Event
from nextecf.cases.factories import AppearanceFactory, DocketEntryFactory, DocumentFactory
from nextecf.cases.models import (
    AccessLevel,
    Appearance,
    Document,
    DocumentView,
    ProtectiveOrderAdmission,
)
from nextecf.courts.factories import CourtStaffFactory, FilerAccountFactory
from nextecf.courts.models import FilerAccount

LEVELS = [level.value for level in AccessLevel]
PERSONAS = [
    "stranger",
    "public",
    "other_filer",
    "counsel",  # counsel of record, not admitted under the protective order
    "admitted",  # counsel of record admitted under it
    "clerk",
    "other_clerk",
    "judge",  # a judge's chambers account: court staff of this court today
]
# Who reads a document of each level (the stranger is sent to log in).
READS = {
    "public": {"public", "other_filer", "counsel", "admitted", "clerk", "other_clerk", "judge"},
    "restricted": {"counsel", "admitted", "clerk", "judge"},
    "sealed": {"clerk", "judge"},
    "confidential": {"admitted", "clerk", "judge"},
}


@dataclass
class Matrix:
    accounts: dict[str, Account | None]
    document: Document  # filed by the government's (unlinked) counsel
    exhibit: Document  # its attachment, always public


@pytest.fixture
def matrix(cit_case, people, court) -> Matrix:
    admitted = AccountFactory(username="admitted1", first_name="Ada", last_name="Mitted")
    filer = FilerAccountFactory(court=court, login="admitd", account=admitted)
    AppearanceFactory(party=cit_case.defendant, filer=filer)
    ProtectiveOrderAdmission.objects.create(
        case=cit_case.case, filer=filer, admitted_by=people.clerk
    )
    judge = AccountFactory(username="judgeaccount", is_staff=True)
    CourtStaffFactory(court=court, account=judge)
    entry = DocketEntryFactory(
        case=cit_case.case, number=7, seq=7, text="Motion. (Gov, John)", filer=cit_case.government
    )
    document = DocumentFactory(entry=entry, page_count=2)
    exhibit = DocumentFactory(
        entry=entry, attachment_number=1, description="Exhibit 1", page_count=1
    )
    return Matrix(
        accounts={
            "stranger": None,
            "public": people.public,
            "other_filer": people.other_filer,
            "counsel": people.filer,
            "admitted": admitted,
            "clerk": people.clerk,
            "other_clerk": people.other_clerk,
            "judge": judge,
        },
        document=document,
        exhibit=exhibit,
    )


def client_for(matrix: Matrix, persona: str, signed_in) -> Client:
    account = matrix.accounts[persona]
    return Client() if account is None else signed_in(account)


def skip_id(document: Document) -> str:
    return document.doc_id[:3] + "1" + document.doc_id[4:]


@pytest.mark.parametrize("level", LEVELS)
@pytest.mark.parametrize("persona", PERSONAS)
def test_exactly_the_entitled_read_a_document_of_each_level(
    matrix, cit_case, signed_in, persona, level
):
    document = matrix.document
    Document.objects.filter(pk=document.pk).update(access_level=level)
    document.refresh_from_db()
    client = client_for(matrix, persona, signed_in)
    reads = persona in READS[level]
    url = f"/cit/doc1/{skip_id(document)}"
    denied_before = AuditEvent.objects.filter(event_type=Event.ACCESS_DENIED).count()
    confirm = client.get(url)
    pdf = client.post(url, {"got_receipt": "1"})
    multi = client.post(
        "/cit/cgi-bin/show_multidocs.pl",
        {"caseid": str(cit_case.case.pk), "document_7_0": document.doc_id, "got_receipt": "1"},
    )
    docket = client.post(
        "/cit/cgi-bin/DktRpt.pl",
        {"all_case_ids": str(cit_case.case.pk), "sort1": "oldest date first"},
    )
    for response in (confirm, pdf, multi, docket):
        assert response.status_code < 500
    if persona == "stranger":
        assert all(r.status_code == 302 for r in (confirm, pdf, multi, docket))
        return
    assert (pdf["Content-Type"] == "application/pdf") is reads
    assert (multi["Content-Type"] == "application/pdf") is reads
    assert (b"Download Confirmation" in confirm.content) is reads
    # The docket links the entry (to its attachment page) only for those who may open it.
    linked = f'{document.doc_id}" onclick'.encode() in docket.content
    assert linked is reads
    if level != "public":
        assert level.upper().encode() in docket.content  # the entry says what it is
    if not reads:
        words = (
            b"You do not have permission to view this document."
            if level == "restricted"
            else b"could not retrieve dktentry for dlsid"
        )
        assert words in confirm.content and words in pdf.content
        assert AuditEvent.objects.filter(event_type=Event.ACCESS_DENIED).count() > denied_before
        assert not DocumentView.objects.exists()
    elif level != "public":
        # Each opening is in the view log (the PDF and View Selected), with the role.
        assert DocumentView.objects.filter(document=document).count() == 2


@pytest.mark.parametrize("persona", PERSONAS)
def test_the_attachment_page_links_only_what_each_person_may_open(matrix, signed_in, persona):
    Document.objects.filter(pk=matrix.document.pk).update(access_level="sealed")
    response = client_for(matrix, persona, signed_in).get(f"/cit/doc1/{matrix.document.doc_id}")
    if persona == "stranger":
        assert response.status_code == 302
        return
    html = response.content.decode()
    assert response.status_code == 200 and "Exhibit 1" in html
    assert f'href="/cit/doc1/{skip_id(matrix.exhibit)}"' in html  # public for everyone
    assert (f'href="/cit/doc1/{skip_id(matrix.document)}"' in html) is (persona in READS["sealed"])


@pytest.mark.parametrize("persona", PERSONAS)
def test_the_view_log_for_the_filer_counsel_of_record_and_the_court_only(
    matrix, cit_case, people, signed_in, persona
):
    Document.objects.filter(pk=matrix.document.pk).update(access_level="confidential")
    signed_in(matrix.accounts["admitted"]).post(
        f"/cit/doc1/{skip_id(matrix.document)}",
        {"got_receipt": "1"},
        HTTP_USER_AGENT="Mozilla/5.0",
    )
    view = DocumentView.objects.get()
    assert view.name == "Ada Mitted" and view.channel == "web"
    assert view.role == "counsel admitted under the protective order"
    response = client_for(matrix, persona, signed_in).get(
        f"/cit/doc1/{matrix.document.doc_id}/views/"
    )
    sees = persona in {"counsel", "admitted", "clerk", "judge"}
    if persona == "stranger":
        assert response.status_code == 302
        return
    assert response.status_code == (200 if sees else 404)
    assert (b"Ada Mitted" in response.content) is sees
    if not sees:
        assert AuditEvent.objects.filter(event_type=Event.ACCESS_DENIED, reason="view_log").exists()


def test_court_staff_are_told_their_view_is_logged(matrix, people, signed_in):
    Document.objects.filter(pk=matrix.document.pk).update(access_level="sealed")
    page = signed_in(people.clerk).get(f"/cit/doc1/{skip_id(matrix.document)}").content
    assert b"Your view of this document is logged" in page and b"View log" in page
    public = Document.objects.get(pk=matrix.exhibit.pk)
    page = signed_in(people.clerk).get(f"/cit/doc1/{skip_id(public)}").content
    assert b"Your view of this document is logged" not in page


def test_a_removed_admission_no_longer_opens_confidential_documents(matrix):
    Document.objects.filter(pk=matrix.document.pk).update(access_level="confidential")
    document = Document.objects.select_related("entry__case").get(pk=matrix.document.pk)
    admitted = matrix.accounts["admitted"]
    assert may_read_document(admitted, document)
    ProtectiveOrderAdmission.objects.update(removed_at="2026-01-02T00:00:00Z")
    assert may_read_document(admitted, document).reason == "document_confidential"


@pytest.mark.parametrize("level", LEVELS)
def test_the_list_filter_agrees_with_the_yes_or_no(matrix, court, level):
    Document.objects.filter(pk=matrix.document.pk).update(access_level=level)
    for principal in [*matrix.accounts.values(), PUBLIC_ONLY]:
        person = principal if principal is not None else PUBLIC_ONLY
        listed = set(readable_documents(person, court).values_list("pk", flat=True))
        for document in Document.objects.filter(entry__case__court=court).select_related(
            "entry__case"
        ):
            assert (document.pk in listed) is bool(may_read_document(person, document)), (
                person,
                document.access_level,
            )


@pytest.mark.parametrize("level", ["sealed", "confidential"])
def test_full_text_search_finds_only_documents_the_person_may_read(matrix, court, level):
    from nextecf.access import visible_documents

    Document.objects.filter(pk=matrix.document.pk).update(access_level=level)
    for persona, account in matrix.accounts.items():
        person = account if account is not None else AnonymousUser()
        found = set(visible_documents(user=person, court=court).values_list("pk", flat=True))
        assert (matrix.document.pk in found) is (persona in READS[level]), persona
        across = set(visible_documents(user=person).values_list("pk", flat=True))
        assert across <= found | {matrix.document.pk} and (
            matrix.document.pk not in across or persona in READS[level]
        )


def test_a_token_limited_to_public_material_reads_public_documents_only(matrix):
    for level in LEVELS:
        Document.objects.filter(pk=matrix.document.pk).update(access_level=level)
        document = Document.objects.select_related("entry__case").get(pk=matrix.document.pk)
        assert bool(may_read_document(PUBLIC_ONLY, document)) is (level == "public")


def test_a_granted_account_reads_a_sealed_document(matrix, people):
    from nextecf.cases.models import DocumentGrant

    Document.objects.filter(pk=matrix.document.pk).update(access_level="sealed")
    document = Document.objects.select_related("entry__case").get(pk=matrix.document.pk)
    assert not may_read_document(people.other_filer, document)
    DocumentGrant.objects.create(
        document=document, account=people.other_filer, granted_by=people.clerk
    )
    assert may_read_document(people.other_filer, document)
    reader = case_reader(people.other_filer, document.entry.case)
    assert (
        str(reader.role(level="sealed", document_pk=document.pk)) == "granted access by the court"
    )


def crowded(case, admissions: int) -> None:
    """`admissions` more counsel of record in the case, each admitted under its order."""
    filers = FilerAccount.objects.bulk_create(
        FilerAccount(
            court=case.court,
            login=f"po{case.pk}x{n}",
            first_name="Counsel",
            last_name=f"No{n}",
            password="!",
        )
        for n in range(admissions)
    )
    party = case.parties.first()
    Appearance.objects.bulk_create(Appearance(party=party, filer=f) for f in filers)
    clerk = AccountFactory()
    ProtectiveOrderAdmission.objects.bulk_create(
        ProtectiveOrderAdmission(case=case, filer=f, admitted_by=clerk) for f in filers
    )


@pytest.mark.parametrize("level", ["confidential", "public"])
def test_opening_a_document_costs_the_same_queries_at_20000_entries_and_200_admissions(
    matrix, cit_case, signed_in, level
):
    """The Download Confirmation of a document, as admitted counsel: the same count of
    queries whatever the docket's size and the protective order's length."""
    client = signed_in(matrix.accounts["admitted"])
    Document.objects.filter(pk=matrix.document.pk).update(access_level=level)
    url = f"/cit/doc1/{skip_id(matrix.document)}"
    client.get(url)  # warm: the court and sign-on caches
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as small:
        assert b"Download Confirmation" in client.get(url).content
    bulk_entries(cit_case.case, 20_000, start=100)
    crowded(cit_case.case, 200)
    with CaptureQueriesContext(connection) as big:
        assert b"Download Confirmation" in client.get(url).content
    assert len(big) == len(small), [q["sql"] for q in big.captured_queries]
    # Sign-on, court, document, staff?, filer accounts, of record?, admitted?, receipt's
    # quote and its case caption; a public document needs none of the policy's questions.
    assert len(small) == (10 if level == "confidential" else 7)


def bulk_entries(case, count: int, *, start: int) -> None:
    from datetime import timedelta

    from django.utils import timezone

    from nextecf.cases.models import DocketEntry

    when = timezone.now() - timedelta(days=1)
    DocketEntry.objects.bulk_create(
        (
            DocketEntry(
                case=case,
                number=start + n,
                seq=start + n,
                date_filed=when.date(),
                entered_at=when,
                text=f"Motion no. {n}. (Doe, John)",
            )
            for n in range(count)
        ),
        batch_size=2000,
    )
