"""What court staff do to a case that a filer cannot: docket a court entry (an order, an
opinion, a judgment) with its PDF, numbered like every other entry."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from functools import partial

from django.db import transaction
from django.utils import timezone

from nextecf.accounts.models import Account
from nextecf.audit.models import Event
from nextecf.audit.services import audit_record
from nextecf.cases.models import Case, DocketEntry, Document, EventType
from nextecf.cases.tasks import document_text_job
from nextecf.lib.actor import Actor
from nextecf.lib.storage import document_store
from nextecf.notices.nef import nef_queue


@dataclass(frozen=True)
class CheckedPdf:
    """A PDF that passed pdf_check: its bytes, page count and name as uploaded."""

    data: bytes
    pages: int
    filename: str
    description: str


def court_entry_create(
    *,
    actor: Actor,
    staff: Account,
    case: Case,
    event: EventType,
    date_filed: date,
    text: str,
    documents: list[CheckedPdf],
) -> DocketEntry:
    """Docket a court entry: the next number and seq are taken under a row lock on the
    case, so two entries (a filer's and the clerk's) never share a number. The entry, its
    documents, the audit row and the queued NEFs commit together; a blob stored for a
    transaction that then fails is an orphan for `BlobStore.sweep_orphans`."""
    if event.court_id != case.court_id:
        raise ValueError("the event belongs to another court")
    store = document_store()
    with transaction.atomic():
        locked = Case.objects.select_for_update().get(pk=case.pk)
        number, seq = DocketEntry.objects.next_numbers(locked)
        entry = DocketEntry.objects.create(
            case=locked,
            number=number,
            seq=seq,
            date_filed=date_filed,
            entered_at=timezone.now(),
            event=event,
            text=text,
            filer=None,
            entered_by=staff,
        )
        for position, pdf in enumerate(documents):
            key = store.put(pdf.data)
            document = Document.objects.create(
                entry=entry,
                attachment_number=position,
                description=pdf.description if position else "Main Document",
                sha256=key,
                storage_key=key,
                pages=pdf.pages,
                size_bytes=len(pdf.data),
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
                "number": number,
                "event": event.code,
                "documents": [
                    {"attachment": i, "pages": d.pages, "bytes": len(d.data)}
                    for i, d in enumerate(documents)
                ],
            },
        )
        # Orders and opinions are served like filings: an NEF to every noticed attorney.
        nef_queue(entry=entry)
    return entry
