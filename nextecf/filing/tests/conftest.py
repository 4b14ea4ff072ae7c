"""Fixtures for the filing tests: the CIT catalogue, a case with parties and attorneys, PDFs
good and bad, and a `Filer` that drives the filing screens like a browser."""

from __future__ import annotations

import io
import re
from dataclasses import dataclass
from urllib.parse import parse_qs, urlsplit

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from pypdf import PdfWriter

from nextecf.billing.models import Payment, SandboxCharge
from nextecf.cases.catalogue import catalogue_install
from nextecf.cases.factories import AppearanceFactory, CaseFactory, PartyFactory
from nextecf.cases.models import Case, DocketEntry, Document, EventType, Party
from nextecf.courts.models import FilerAccount, NoticeAddress
from nextecf.filing.models import Filing, FilingDraft, StagedUpload
from nextecf.filing.services import staging_store
from nextecf.lib.pdf import make_pdf
from nextecf.lib.storage import document_store
from nextecf.notices.models import FreeLook
from nextecf.outbox.models import OutboundEmail

GOOD_CARD = {
    "card_number": "4111 1111 1111 1111",
    "exp_month": "12",
    "exp_year": "2030",
    "cvv": "123",
    "name_on_card": "John Doe",
    "authorize": "on",
}
DECLINED_CARD = {**GOOD_CARD, "card_number": "4000 0000 0000 0002"}
DRAFT_URL = re.compile(r"/[a-z0-9]+/civil/draft/([A-Za-z0-9_-]+)/")


def pdf(text: str = "Summons", pages: int = 1) -> bytes:
    return make_pdf([[text, f"Page {n + 1}"] for n in range(pages)], title=text)


def encrypted_pdf() -> bytes:
    writer = PdfWriter()
    writer.add_blank_page(612, 792)
    writer.encrypt("secret")
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def upload(name: str, data: bytes) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, data, content_type="application/pdf")


@pytest.fixture
def events(court) -> dict[str, EventType]:
    catalogue_install(court=court)
    return {event.code: event for event in EventType.objects.filter(court=court)}


@pytest.fixture
def filer_of_record(people, court) -> FilerAccount:
    filer = FilerAccount.objects.get(court=court, account=people.filer)
    filer.first_name, filer.last_name, filer.firm = "Frank", "Morgan", "White & Case, LLP"
    filer.email = "fmorgan@whitecase.example"
    filer.save()
    return filer


@pytest.fixture
def case(court, filer_of_record) -> Case:
    """Ball Bearing v. United States: the plaintiff represented by the filer of record
    (lead, noticed), the defendant by nobody yet."""
    case = CaseFactory(court=court, title="New Hampshire Ball Bearing, Inc. v. United States")
    plaintiff = PartyFactory(case=case, name="New Hampshire Ball Bearing, Inc.", position=0)
    PartyFactory(case=case, name="United States", role=Party.Role.DEFENDANT, position=1)
    AppearanceFactory(party=plaintiff, filer=filer_of_record, lead=True, to_be_noticed=True)
    NoticeAddress.objects.create(filer=filer_of_record, email="docketing@whitecase.example")
    return case


@dataclass
class Counts:
    cases: int
    entries: int
    documents: int
    payments: int
    live_charges: int
    emails: int
    free_looks: int
    filings: int
    blobs: int

    @classmethod
    def now(cls) -> Counts:
        return cls(
            cases=Case.objects.count(),
            entries=DocketEntry.objects.count(),
            documents=Document.objects.count(),
            payments=Payment.objects.count(),
            live_charges=SandboxCharge.objects.filter(status="approved").count(),
            emails=OutboundEmail.objects.count(),
            free_looks=FreeLook.objects.count(),
            filings=Filing.objects.count(),
            blobs=len(list(document_store().keys())),
        )


@pytest.fixture
def nothing_filed():
    """Call to assert that nothing of a filing exists: no case beyond those there were, no
    docket entry, document, stored document file, payment, live charge, email or filing."""
    before = Counts.now()

    def check() -> None:
        assert Counts.now() == before

    return check


def staged_keys() -> set[str]:
    return set(staging_store().keys())


class Filer:
    """A filer's browser on the filing screens of one court (the CIT unless told)."""

    def __init__(self, client: Client, court: str = "cit") -> None:
        self.client = client
        self.court = court
        # A refused POST answers with a redirect to its GET (post/redirect/get); like a
        # browser, the filer follows it, and the page shown carries the refusal's status.
        # Each refusal's redirect is kept, so a test can check that it was one.
        self.refusals: list[str] = []
        posted = client.post

        def post(path, data=None, **extra):
            response = posted(path, data, **extra)
            if response.status_code == 302 and "failed" in parse_qs(
                urlsplit(response["Location"]).query
            ):
                self.refusals.append(response["Location"])
                return client.get(response["Location"])
            return response

        client.post = post  # type: ignore[method-assign]

    def start_open_case(self, event: EventType, **data: str):
        fields = {
            "event": str(event.pk),
            "plaintiffs": "Acme Bearings Corp.",
            "defendant": "United States",
            "jurisdiction": "1581a",
            "category": "Classification 19USC § 1514(a)(2)",
            "agency": "U.S. Customs and Border Protection",
            "product_description": "Ball bearings",
            "export_country": "Japan",
            "constitutional_question": "N",
            "lead": "on",
            "to_be_noticed": "on",
        }
        fields.update(data)
        return self.client.post(f"/{self.court}/civil/open/", fields)

    def start_in_case(self, event: EventType, number: str):
        return self.client.post(
            f"/{self.court}/civil/file/", {"event": str(event.pk), "case_number": number}
        )

    @staticmethod
    def draft_id(response) -> str:
        match = DRAFT_URL.search(response["Location"])
        assert match, response["Location"]
        return match.group(1)

    def url(self, draft: str, step: str) -> str:
        return f"/{self.court}/civil/draft/{draft}/{step}/"

    def choose(self, draft: str, parties: list[Party], lead: bool = True, notice: bool = True):
        data: dict[str, object] = {"parties": [str(p.pk) for p in parties]}
        if lead:
            data["lead"] = "on"
        if notice:
            data["to_be_noticed"] = "on"
        return self.client.post(self.url(draft, "parties"), data)

    def upload(self, draft: str, main=None, attachment=None, description: str = "", go=False):
        data: dict[str, object] = {"attachment_description": description}
        if main is not None:
            data["main_document"] = main
        if attachment is not None:
            data["attachment"] = attachment
        if go:
            data["next"] = "1"
        return self.client.post(self.url(draft, "documents"), data)

    def docket_text(self, draft: str, text: str):
        return self.client.post(self.url(draft, "docket-text"), {"docket_text": text})

    def submit(self, draft: str, card: dict[str, str] | None = None, fee_cents: int = 0):
        data: dict[str, str] = {}
        if card is not None:
            data = {**card, "fee_cents": str(fee_cents)}
        return self.client.post(self.url(draft, "submit"), data)

    def open_case(self, event: EventType, card=GOOD_CARD, **data: str) -> str:
        """The whole Summons filing; returns the draft id (the receipt's key)."""
        response = self.start_open_case(event, **data)
        assert response.status_code == 302, response.content.decode()
        draft = self.draft_id(response)
        assert self.upload(draft, main=upload("summons.pdf", pdf("Summons"))).status_code == 302
        page = self.client.get(self.url(draft, "docket-text"))
        text = re.search(r"<textarea[^>]*>\s*(.*?)</textarea>", page.content.decode(), re.S)
        assert text, page.content.decode()
        assert self.docket_text(draft, _unescape(text.group(1))).status_code == 302
        response = self.submit(draft, card, event.fee_cents)
        assert response.status_code == 302, response.content.decode()
        assert response["Location"] == f"/{self.court}/civil/receipt/{draft}/"
        return draft

    def file(self, event: EventType, case: Case, parties: list[Party], **uploads) -> str:
        response = self.start_in_case(event, case.number)
        assert response.status_code == 302, response.content.decode()
        draft = self.draft_id(response)
        assert self.choose(draft, parties).status_code == 302
        main = uploads.get("main") or upload("document.pdf", pdf(event.name))
        assert self.upload(draft, main=main).status_code == 302
        response = self.submit(draft)
        assert response.status_code == 302, response.content.decode()
        return draft


def _unescape(text: str) -> str:
    import html

    return html.unescape(text)


@pytest.fixture
def as_filer(signed_in):
    def _as(account) -> Filer:
        return Filer(signed_in(account))

    return _as


def draft_of(draft_id: str) -> FilingDraft:
    return FilingDraft.objects.get(pk=draft_id)


def uploads_of(draft_id: str) -> list[StagedUpload]:
    return list(StagedUpload.objects.filter(draft_id=draft_id))
