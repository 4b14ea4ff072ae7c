"""Notices of Electronic Filing (NEF).

Every registered participant in a case (each court filer with a live, to-be-noticed
appearance for a party still in the case) is emailed a notice of each docket entry, at
the filer's address and up to five secondary addresses. Each address gets its own email
whose document links carry a free-look token of their own: one use or 15 days, whichever
comes first. Only the token's SHA-256 is stored (FreeLook). Parties without a noticed
attorney are listed as served by other means.

The email is single-part text/html in the layout of a CM/ECF NEF, so that PACER tools
(juriscraper's NotificationEmail) read it. The filer's receipt screen shows the same
notice without free-look links.
"""

from __future__ import annotations

import hashlib
import secrets
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import timedelta
from typing import Any
from urllib.parse import urlencode

from django.conf import settings
from django.db import transaction
from django.template.loader import render_to_string
from django.utils import timezone

from nextecf.audit.models import Event
from nextecf.audit.services import audit_record
from nextecf.cases.models import Appearance, Case, DocketEntry, Document, Party
from nextecf.cases.selectors import full_case_number, panel_of
from nextecf.courts.models import Court, FilerAccount, NoticeAddress
from nextecf.lib.actor import Actor
from nextecf.notices.models import FreeLook
from nextecf.notices.tasks import nef_deliver
from nextecf.outbox.models import OutboundEmail

KIND = "nef"
TEMPLATE = "emails/nef.html"
SUBJECT_MAX = 250


@dataclass(frozen=True)
class NefRecipient:
    filer: FilerAccount
    name: str
    addresses: tuple[str, ...]

    @property
    def address_list(self) -> str:
        return ", ".join(self.addresses)


def free_look_token() -> str:
    """A magic number: CM/ECF's are decimal digits (PACER tools expect that), so 30 random
    digits, about 100 bits."""
    return f"{secrets.randbelow(10**30):030d}"


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def display_number(case: Case) -> str:
    """The case number as NEFs show it: with the judges' initials as on the docket, but
    with nothing (rather than the docket's N/A) while no judge is assigned."""
    panel = panel_of(case)
    if not panel and case.judge_id is None:
        return case.number
    return full_case_number(case, panel)


def docket_url(case: Case) -> str:
    return f"{settings.SITE_URL}/{case.court_id}/cgi-bin/DktRpt.pl?{case.pk}"


def doc1_url(document: Document, entry: DocketEntry, magic: str | None = None) -> str:
    query: dict[str, object] = {"caseid": entry.case_id, "de_seq_num": entry.seq}
    if magic is not None:
        query["magic_num"] = magic
    return f"{settings.SITE_URL}/{entry.case.court_id}/doc1/{document.doc_id}?{urlencode(query)}"


def stamp_id(court_id: str) -> int:
    """The court's electronic document stamp id: a fixed number per court."""
    return int(hashlib.sha256(f"nextecf-stamp:{court_id}".encode()).hexdigest(), 16) % 10**10


def document_stamp(document: Document, entry: DocketEntry) -> str:
    filed = entry.date_filed
    return (
        f"[STAMP dcecfStamp_ID={stamp_id(entry.case.court_id)} "
        f"[Date={filed.month}/{filed.day}/{filed.year}] "
        f"[FileNumber={document.pk}-{document.attachment_number}] "
        f"[{document.sha256}]]"
    )


def nef_recipients(case: Case) -> list[NefRecipient]:
    """Each noticed filer once, with the primary address and up to five secondary ones."""
    appearances = (
        Appearance.objects.filter(
            party__case=case,
            party__terminated_on=None,
            terminated_on=None,
            to_be_noticed=True,
            filer__is_active=True,
        )
        .select_related("filer")
        .order_by("filer__last_name", "filer__first_name", "filer_id")
    )
    filers: dict[int, FilerAccount] = {}
    for appearance in appearances:
        filers.setdefault(appearance.filer_id, appearance.filer)
    secondary: dict[int, list[str]] = {}
    for address in NoticeAddress.objects.filter(filer_id__in=list(filers)).order_by("pk"):
        secondary.setdefault(address.filer_id, []).append(address.email)
    recipients = []
    for filer in filers.values():
        addresses: list[str] = [filer.email]
        for email in secondary.get(filer.pk, [])[: NoticeAddress.MAX_PER_FILER]:
            if email.casefold() not in {a.casefold() for a in addresses}:
                addresses.append(email)
        recipients.append(NefRecipient(filer, filer.full_name, tuple(addresses)))
    return recipients


def nef_other_means(case: Case) -> list[Party]:
    """Parties in the case that no noticed attorney receives notices for."""
    noticed = Appearance.objects.filter(
        party__case=case, terminated_on=None, to_be_noticed=True, filer__is_active=True
    ).values("party_id")
    return list(case.parties.filter(terminated_on=None).exclude(pk__in=noticed))


def _short_name(filer: FilerAccount) -> str:
    return f"{filer.last_name}, {filer.first_name}"


def nef_context(*, entry: DocketEntry) -> dict[str, Any]:
    """Everything an NEF of this entry shows, except the per-recipient links."""
    case = entry.case
    entered = timezone.localtime(entry.entered_at)
    filed = entry.date_filed
    if entry.filer is not None:
        entered_by = _short_name(entry.filer)
    elif entry.entered_by is not None:
        entered_by = f"{entry.entered_by.last_name}, {entry.entered_by.first_name}"
    else:
        entered_by = ""
    filing = getattr(entry, "filing", None)
    filer_names = [p.name for p in filing.parties.all()] if filing is not None else []
    documents = list(entry.documents.all())
    return {
        "court": case.court,
        "case": case,
        "entry": entry,
        "case_number": display_number(case),
        "docket_url": docket_url(case),
        "entered_by": entered_by,
        "entered_date": f"{entered.month}/{entered.day}/{entered.year}",
        "entered_time": f"{entered:%I:%M %p %Z}".lstrip("0"),
        "filed_date": f"{filed.month}/{filed.day}/{filed.year}",
        "filer_names": filer_names,
        "documents": documents,
        "recipients": nef_recipients(case),
        "other_means": nef_other_means(case),
    }


def nef_render(context: Mapping[str, Any], magic: Mapping[int, str] | None = None) -> str:
    """The NEF's HTML. With `magic` (document pk -> free-look token) the document links
    carry free looks; without it they are plain document links and the email's "do not
    respond" line is left out: the filer's receipt screen."""
    entry: DocketEntry = context["entry"]
    documents: list[Document] = context["documents"]
    rows = [
        {
            "document": document,
            "url": doc1_url(document, entry, magic.get(document.pk) if magic else None),
            "stamp": document_stamp(document, entry),
            "description": (
                "Main Document" if document.attachment_number == 0 else document.description
            ),
        }
        for document in documents
    ]
    main = rows[0] if documents and documents[0].attachment_number == 0 else None
    return render_to_string(
        TEMPLATE, {**context, "rows": rows, "main": main, "receipt": magic is None}
    )


def nef_subject(entry: DocketEntry) -> str:
    event = entry.event.name if entry.event is not None else "Docket entry"
    subject = f"Activity in Case {display_number(entry.case)} {entry.case.title} {event}"
    return " ".join(subject.split())[:SUBJECT_MAX]


def nef_queue(*, entry: DocketEntry) -> list[OutboundEmail]:
    """Queue the entry's NEFs in the caller's transaction, one email per address, each with
    free looks of its own; they are sent once the transaction commits."""
    context = nef_context(entry=entry)
    subject = nef_subject(entry)
    now = timezone.now()
    expires = now + timedelta(days=FreeLook.VALID_DAYS)
    emails: list[OutboundEmail] = []
    seen: set[str] = set()
    for recipient in context["recipients"]:
        for address in recipient.addresses:
            if address.casefold() in seen:
                continue  # a mailbox shared by two filers gets the notice once
            seen.add(address.casefold())
            email = OutboundEmail.objects.create(
                kind=KIND,
                to=address,
                subject=subject,
                body="",
                account=recipient.filer.account,
                court_id=entry.case.court_id,
            )
            magic = {document.pk: free_look_token() for document in context["documents"]}
            FreeLook.objects.bulk_create(
                FreeLook(
                    document_id=document_pk,
                    email=email,
                    recipient=address,
                    token_hash=token_hash(token),
                    created_at=now,
                    expires_at=expires,
                )
                for document_pk, token in magic.items()
            )
            email.html_body = nef_render(context, magic)
            email.save(update_fields=["html_body"])
            emails.append(email)
    if emails and settings.EMAIL_SEND_ON_COMMIT:
        # One task for the whole fan-out; a notice it cannot send waits for the scheduler's
        # sweep of due mail (a process killed here loses no notice).
        ids = [e.pk for e in emails]
        transaction.on_commit(lambda: nef_deliver(ids), robust=True)
    return emails


def free_look_spend(
    *, actor: Actor, court: Court, document: Document, token: str, available: bool
) -> bool:
    """Spend an NEF's free look at this document: True when the token was unused and
    unexpired and is now used. `available` says whether the document can be served at all
    (its blob may be gone): if not, the token is kept for later. Audited either way."""
    look = None
    if 0 < len(token) <= 256 and token.isprintable():
        look = FreeLook.objects.filter(token_hash=token_hash(token), document=document).first()
    now = timezone.now()
    problem = (
        "unknown_token"
        if look is None
        else "already_used"
        if look.used_at is not None
        else "expired"
        if look.expires_at <= now
        else ""
    )
    if look is not None and not problem and available:
        with transaction.atomic():
            spent = FreeLook.objects.filter(
                pk=look.pk, used_at__isnull=True, expires_at__gt=now
            ).update(used_at=now)
            if spent:
                audit_record(
                    event=Event.FREE_LOOK,
                    success=True,
                    actor=actor,
                    court=court,
                    detail={"doc_id": document.doc_id, "free_look": look.pk},
                )
                return True
        problem = "already_used"
    audit_record(
        event=Event.FREE_LOOK,
        success=False,
        actor=actor,
        court=court,
        reason=problem or "document_unavailable",
        detail={"doc_id": document.doc_id, **({"free_look": look.pk} if look else {})},
    )
    return False
