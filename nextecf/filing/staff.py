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
from pypdf import PdfReader, PdfWriter
from reportlab.pdfgen.canvas import Canvas

from nextecf.accounts.models import Account
from nextecf.audit.models import Event
from nextecf.audit.services import audit_record
from nextecf.cases.models import Case, DocketEntry, Document, EventType, Judge, SignedOrder
from nextecf.cases.selectors import full_case_number, panel_of
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


# --- Orders a judge signs -------------------------------------------------------------------


class OrderRefused(Exception):
    """Signing refused; `field` names the input at fault ("" for the request as a whole)."""

    def __init__(self, message: str, field: str = "") -> None:
        super().__init__(message)
        self.message = message
        self.field = field


SIGNATURE_BOX = (300.0, 36.0, 270.0, 62.0)  # x, y, width, height in points, bottom right


def _signature_overlay(
    width: float, height: float, *, stamp: str, signature: list[str] | None
) -> bytes:
    """One page, the size of the order's page, holding what CM/ECF and the judge add: the
    header stamp at the top and, on the last page, the signature block."""
    out = io.BytesIO()
    canvas = Canvas(out, pagesize=(width, height))
    canvas.setFont("Helvetica", 8)
    canvas.drawCentredString(width / 2, height - 18, stamp)
    if signature:
        x, y, w, h = SIGNATURE_BOX
        x = min(x, width - w - 18)
        canvas.setFillColorRGB(1, 1, 1)
        canvas.setStrokeColorRGB(0.3, 0.3, 0.3)
        canvas.rect(x, y, w, h, fill=1, stroke=1)
        canvas.setFillColorRGB(0, 0, 0)
        canvas.setFont("Helvetica-Oblique", 12)
        canvas.drawString(x + 8, y + h - 18, signature[0])
        canvas.setFont("Helvetica", 10)
        for n, line in enumerate(signature[1:]):
            canvas.drawString(x + 8, y + h - 34 - 13 * n, line)
    canvas.showPage()
    canvas.save()
    return out.getvalue()


def order_pdf_signed(
    data: bytes, *, case_number: str, number: int, filed: date, judge: Judge, signed_on: date
) -> tuple[bytes, int]:
    """The order as docketed: every page stamped "Case ... Document N Filed ... Page x of y"
    and a visible signature block (/s/ name, title, date) drawn on the last page."""
    writer = PdfWriter(clone_from=io.BytesIO(data))
    total = len(writer.pages)
    signature = [
        f"/s/ {judge.name}",
        f"{judge.name}, {judge.title}",
        f"Dated: {signed_on:%B} {signed_on.day}, {signed_on.year}",
    ]
    for index, page in enumerate(writer.pages):
        box = page.mediabox
        stamp = (
            f"Case {case_number}    Document {number}    Filed {filed:%m/%d/%y}    "
            f"Page {index + 1} of {total}"
        )
        overlay = PdfReader(
            io.BytesIO(
                _signature_overlay(
                    float(box.width),
                    float(box.height),
                    stamp=stamp,
                    signature=signature if index == total - 1 else None,
                )
            )
        ).pages[0]
        page.merge_page(overlay)
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue(), total


def order_sign(
    *,
    actor: Actor,
    signer: Account,
    case: Case,
    judge: Judge,
    text: str,
    order: CheckedPdf | None = None,
    proposed: DocketEntry | None = None,
) -> DocketEntry:
    """The judge signs and dockets an order: an uploaded one (`order`, a checked PDF) or a
    party's proposed order (`proposed`, signed once). The PDF gets the header stamp and the
    signature block; the entry reads "ORDER <text> Signed by <title> <name> on <date>.";
    entry, document, signature record, audit row and NEFs commit together. Only the judge
    signs (their own account): refused with OrderRefused, changing nothing, otherwise."""
    text = " ".join(text.split())
    if judge.account_id is None or judge.account_id != signer.pk:
        raise OrderRefused(f"Only {judge.title} {judge.name} can sign this order.")
    if judge.court_id != case.court_id:
        raise OrderRefused("The judge is not a judge of this court.")
    if not text:
        raise OrderRefused("Enter the order's docket text.", "text")
    if (order is None) == (proposed is None):
        raise OrderRefused("Choose a proposed order or upload the order's PDF.", "order")
    event = EventType.objects.filter(court=case.court, code="order").first()
    if event is None:
        raise OrderRefused("This court's catalogue has no Order event.")
    store = document_store()
    with transaction.atomic():
        locked = Case.objects.select_for_update().get(pk=case.pk)
        source = order
        if proposed is not None:
            proposed = (
                DocketEntry.objects.select_for_update()
                .filter(pk=proposed.pk, case=locked, event__code="proposed-order")
                .first()
            )
            if proposed is None:
                raise OrderRefused("That is not a proposed order in this case.", "proposed")
            if SignedOrder.objects.filter(proposed=proposed).exists():
                raise OrderRefused("That proposed order has been signed already.", "proposed")
            main = proposed.documents.filter(attachment_number=0).first()
            if main is None:
                raise OrderRefused("That proposed order has no document.", "proposed")
            stored = store.read(main.storage_key)
            source = CheckedPdf(
                io.BytesIO(stored), main.pages, len(stored), main.original_filename, ""
            )
        assert source is not None
        today = timezone.localdate()
        number, _ = DocketEntry.objects.next_numbers(locked)
        panel = panel_of(locked)
        source.source.seek(0)
        signed, pages = order_pdf_signed(
            source.source.read(),  # an order is a few pages: pypdf reads it whole anyway
            case_number=full_case_number(locked, panel),
            number=number,
            filed=today,
            judge=judge,
            signed_on=today,
        )
        entry_text = (
            f"ORDER {text.rstrip('.')}. Signed by {judge.title} {judge.name} on "
            f"{today.month}/{today.day}/{today.year}."
        )
        entry = court_entry_create(
            actor=actor,
            staff=signer,
            case=locked,
            event=event,
            date_filed=today,
            text=entry_text,
            documents=[
                CheckedPdf(
                    io.BytesIO(signed), pages, len(signed), source.filename or "order.pdf", ""
                )
            ],
        )
        SignedOrder.objects.create(
            entry=entry, proposed=proposed, judge=judge, signed_by=signer, signed_on=today
        )
        audit_record(
            event=Event.ORDER_SIGNED,
            success=True,
            actor=actor.with_account(signer),
            court=locked.court,
            detail={
                "case": locked.number,
                "entry": entry.pk,
                "number": entry.number,
                "judge": judge.initials,
                "proposed": proposed.pk if proposed else None,
            },
        )
    return entry
