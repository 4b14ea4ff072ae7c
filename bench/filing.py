"""Filing a 10 MB PDF, against hashing and storing the same bytes."""

from __future__ import annotations

import statistics
import tempfile
from pathlib import Path

from django.core.files.uploadedfile import SimpleUploadedFile

from bench.report import progress
from nextecf.accounts.factories import AccountFactory
from nextecf.accounts.models import SignOn, hash_token
from nextecf.cases.catalogue import catalogue_install
from nextecf.cases.factories import CaseFactory, PartyFactory
from nextecf.cases.models import EventType
from nextecf.courts.factories import CourtFactory, FilerAccountFactory
from nextecf.filing.services import (
    draft_choose_parties,
    draft_stage_upload,
    draft_start,
    filing_submit,
)
from nextecf.lib.actor import Actor
from nextecf.lib.pdf import make_pdf
from nextecf.lib.storage import BlobStore

SIZE = 10 * 1024 * 1024
RUNS = 5
UPLOAD_RATIO: list[float] = []


def ten_megabyte_pdfs(count: int) -> list[bytes]:
    """Distinct ~10 MB PDFs (distinct bytes, so no filing finds its blob already stored)."""
    line = "Lorem ipsum dolor sit amet, consectetur adipiscing elit, sed do eiusmod tempor. " * 2
    pages = [[line] * 400 for _ in range(SIZE // (len(line) * 400) + 1)]
    base = make_pdf(pages, title="Exhibit")
    # Bytes after %%EOF are ignored by PDF readers: a cheap way to make each file unique.
    return [base + f"\n% copy {n}\n".encode() for n in range(count)]


def filing_10mb_pdf_vs_hash_and_store_ratio() -> tuple[str, float, float]:
    """The filing's submit step (copy into the document store with its SHA-256, the docket
    entry, documents, audit event and queued notices in one transaction), against hashing
    and storing the same bytes once."""
    from bench.benchmarks import seconds

    court = CourtFactory()
    catalogue_install(court=court)
    event = EventType.objects.get(court=court, code="complaint")
    account = AccountFactory.create()
    filer = FilerAccountFactory(court=court, account=account)
    case = CaseFactory(court=court)
    party = PartyFactory(case=case)
    signon = SignOn.objects.create(account=account, token_hash=hash_token(SignOn.new_token()))
    pdfs = ten_megabyte_pdfs(2 * (RUNS + 1))
    progress(f"  {len(pdfs)} PDFs of {len(pdfs[0]) / 1024 / 1024:.1f} MB each")

    uploads: list[float] = []
    filings: list[float] = []
    stores: list[float] = []
    with tempfile.TemporaryDirectory(prefix="nextecf-bench-store-") as directory:
        baseline = BlobStore(Path(directory))
        for run in range(RUNS + 1):  # the first run warms up
            draft = draft_start(signon=signon, filer=filer, event=event, case=case)
            draft_choose_parties(draft=draft, parties=[party], lead=True, to_be_noticed=True)
            upload = SimpleUploadedFile("exhibit.pdf", pdfs[2 * run], "application/pdf")
            upload_time, _ = seconds(
                lambda u=upload, d=draft: draft_stage_upload(
                    draft=d, upload=u, description="", main=True
                )
            )
            draft.docket_text = event.docket_text
            draft.save(update_fields=["docket_text"])
            filing_time, outcome = seconds(
                lambda d=draft: filing_submit(
                    draft_id=d.pk, signon=signon, actor=Actor(account=account, signon=signon)
                )
            )
            if outcome.replayed or not outcome.filing.entry.documents.exists():
                raise RuntimeError("the filing did not file its document")
            store_time, _ = seconds(lambda data=pdfs[2 * run + 1]: baseline.put(data))
            if run:
                uploads.append(upload_time)
                filings.append(filing_time)
                stores.append(store_time)
    upload_median = statistics.median(uploads)
    filing_median, store_median = statistics.median(filings), statistics.median(stores)
    progress(f"  upload (PDF check, staging) median {upload_median * 1000:.1f} ms")
    progress(f"  filing submit median {filing_median * 1000:.1f} ms")
    progress(f"  hash and store median {store_median * 1000:.1f} ms")
    UPLOAD_RATIO.append(upload_median / store_median)
    return "filing_10mb_pdf_vs_hash_and_store_ratio", filing_median / store_median, 2


def filing_upload_10mb_pdf_vs_hash_and_store_ratio() -> tuple[str, float, float]:
    """Uploading the same PDF into a draft (pypdf reads every page to check it, then it is
    hashed and stored), measured in the run above; the check is the price of refusing a
    damaged or encrypted PDF before the filer submits."""
    if not UPLOAD_RATIO:
        filing_10mb_pdf_vs_hash_and_store_ratio()
    return "filing_upload_10mb_pdf_vs_hash_and_store_ratio", UPLOAD_RATIO[-1], 3
