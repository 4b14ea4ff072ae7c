"""What court staff do to a case that a filer cannot: docket a court entry (an order, an
opinion, a judgment) with its PDF, numbered like every other entry."""

from __future__ import annotations

import io
from dataclasses import dataclass
from datetime import date
from functools import partial

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
            source = CheckedPdf(
                store.read(main.storage_key), main.pages, main.original_filename, ""
            )
        assert source is not None
        today = timezone.localdate()
        number, _ = DocketEntry.objects.next_numbers(locked)
        panel = panel_of(locked)
        signed, pages = order_pdf_signed(
            source.data,
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
            documents=[CheckedPdf(signed, pages, source.filename or "order.pdf", "")],
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
