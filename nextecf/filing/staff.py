"""What court staff do to a case that a filer cannot: docket a court entry (an order, a
minute entry, a clerk's notice, a judgment, summons issued, a scheduling order, an
opinion) with or without its PDF, numbered like every other entry."""

from __future__ import annotations

import io
from dataclasses import dataclass
from datetime import date
from functools import partial
from typing import IO

from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils import timezone

from nextecf.accounts.models import Account
from nextecf.audit.models import Event
from nextecf.audit.services import audit_record
from nextecf.cases.models import Case, DocketEntry, Document, EventType
from nextecf.cases.tasks import document_text_job
from nextecf.courts.models import Court
from nextecf.lib.actor import Actor
from nextecf.lib.storage import document_store
from nextecf.notices.nef import nef_queue

DOCKET_TEXT_MAX = 4000


class DocketingRefused(Exception):
    """The entry cannot be docketed; `message` names the field and the problem."""

    def __init__(self, message: str, *, field: str = "") -> None:
        super().__init__(message)
        self.message = message
        self.field = field


@dataclass(frozen=True)
class CheckedPdf:
    """A PDF that passed the court's pdf_check: an open file (an upload on disk, read a
    chunk at a time, never whole into memory), its page count and name as uploaded."""

    source: IO[bytes]
    pages: int
    size: int
    filename: str
    description: str


def pdf_checked(
    *, court: Court, upload: UploadedFile | IO[bytes] | bytes, label: str, description: str = ""
) -> CheckedPdf:
    """Check an uploaded PDF as filers' uploads are checked (nextecf/lib/pdf.py through
    Court.pdf_check: well-formed, unencrypted, inert, within the court's limits). Raises
    DocketingRefused naming the file."""
    if isinstance(upload, bytes):
        source: IO[bytes] = io.BytesIO(upload)
        filename = "document.pdf"
    elif isinstance(upload, UploadedFile):
        limit = court.max_pdf_bytes
        if (upload.size or 0) > limit:  # refused before reading it
            raise DocketingRefused(
                f"{label} is larger than the court's limit of {limit // (1024 * 1024)} MB."
            )
        source = upload.open("rb")
        filename = (upload.name or "document.pdf").rsplit("/", 1)[-1][-255:]
    else:
        source = upload
        filename = "document.pdf"
    check = court.pdf_check(source)
    if not check.ok:
        raise DocketingRefused(f"{label} {check.problem}.")
    source.seek(0, io.SEEK_END)
    size = source.tell()
    source.seek(0)
    return CheckedPdf(source, check.pages, size, filename, description)


def court_entry_create(
    *,
    actor: Actor,
    staff: Account,
    case: Case,
    event: EventType,
    date_filed: date,
    text: str,
    documents: list[CheckedPdf],
    numbered: bool = True,
    notify: bool = True,
) -> DocketEntry:
    """Docket a court entry: the next number and seq are taken under a row lock on the
    case, so two entries (a filer's and the clerk's) never share a number; an unnumbered
    entry (a minute entry, a notice of docket correction) takes a seq only. The entry, its
    documents, the audit row and the queued NEFs commit together; a blob stored for a
    transaction that then fails is an orphan for `BlobStore.sweep_orphans`."""
    if event.court_id != case.court_id:
        raise DocketingRefused("Choose an event of the case's own court.", field="event")
    cleaned = " ".join(text.split())
    if not cleaned:
        raise DocketingRefused("Docket text is required.", field="text")
    if len(cleaned) > DOCKET_TEXT_MAX:
        raise DocketingRefused(
            f"Docket text must be at most {DOCKET_TEXT_MAX} characters.", field="text"
        )
    if event.requires_document and not documents:
        raise DocketingRefused(
            f"A {event.name} needs its PDF; choose the file.", field="main_document"
        )
    if documents and not numbered:
        raise DocketingRefused("An entry with a document takes a number.", field="main_document")
    store = document_store()
    with transaction.atomic():
        locked = Case.objects.select_for_update().get(pk=case.pk)
        number, seq = DocketEntry.objects.next_numbers(locked)
        entry = DocketEntry.objects.create(
            case=locked,
            number=number if numbered else None,
            seq=seq,
            date_filed=date_filed,
            entered_at=timezone.now(),
            event=event,
            text=cleaned,
            filer=None,
            entered_by=staff,
        )
        for position, pdf in enumerate(documents):
            key, size = store.put_file(pdf.source)
            document = Document.objects.create(
                entry=entry,
                attachment_number=position,
                description=pdf.description if position else "Main Document",
                sha256=key,
                storage_key=key,
                pages=pdf.pages,
                size_bytes=size,
                original_filename=pdf.filename,
            )
            # Read for full-text search once the entry has committed (orders, opinions).
            transaction.on_commit(partial(document_text_job, document.pk), robust=True)
        audit_record(
            event=Event.STAFF_CHANGE,
            success=True,
            actor=actor.with_account(staff),
            court=locked.court,
            detail={
                "model": "docket_entry",
                "action": "added",
                "case": locked.number,
                "entry": entry.pk,
                "number": entry.number,
                "event": event.code,
                "documents": [
                    {"attachment": i, "pages": d.pages, "bytes": d.size}
                    for i, d in enumerate(documents)
                ],
            },
        )
        if notify:
            # Orders and notices are served like filings: an NEF to every noticed attorney.
            nef_queue(entry=entry)
    return entry
