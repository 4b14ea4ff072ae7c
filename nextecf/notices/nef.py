"""Notices of Electronic Filing (NEF).

Every registered participant in a case (each court filer with a live, to-be-noticed
appearance for a party still in the case) is emailed a notice of each docket entry, at
the filer's address and up to five secondary addresses. Each address gets its own email
whose document links carry a free-look magic number of their own: one use or 15 days,
whichever comes first. Only a keyed hash of it is stored (FreeLook). Parties without a
noticed attorney are listed as served by other means.

Magic numbers have CM/ECF's shape, 8 decimal digits in the doc1 link's magic_num, because
PACER tools fetch free looks with nothing but that link's caseid and magic_num
(juriscraper's download_pdf), so there is no room for a second, long token. 8 digits alone
are guessable, so: the hash is an HMAC under SECRET_KEY over the document and the number
(a leaked table cannot be searched offline), and wrong numbers spend failure budgets
per document (FREE_LOOK_GUESSES_PER_DOCUMENT a day, by default 20, for all addresses
together) and per client address (FREE_LOOK_GUESSES_PER_IP an hour); a spent budget
refuses every number, right or wrong, so guessing cannot continue. With 50 addresses
noticed, the chance of guessing any of a document's numbers within its 15 days is below
20 * 15 * 50 / 9e7, about 0.02%. A refused recipient is sent to the login, and the
unspent free look still works once the budget refills.

The email is single-part text/html in the layout of a CM/ECF NEF, so that PACER tools
(juriscraper's NotificationEmail) read it. The filer's receipt screen shows the same
notice without free-look links.
"""

from __future__ import annotations

import hashlib
import secrets
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import timedelta
from typing import Any
from urllib.parse import urlencode

from django.conf import settings
from django.db import transaction
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.crypto import salted_hmac

from nextecf.access import case_reader
from nextecf.accounts.models import AttemptBucket
from nextecf.audit.models import Event
from nextecf.audit.services import audit_record
from nextecf.cases.models import AccessLevel, Appearance, Case, DocketEntry, Document, Party
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


MAGIC_DIGITS = 8
LEGACY_MAGIC_DIGITS = 30  # magic numbers of NEFs sent before they had CM/ECF's shape


def free_look_token() -> str:
    """A magic number: 8 random decimal digits, never starting with 0 (see the module
    docstring for why 8 digits are enough)."""
    return str(10 ** (MAGIC_DIGITS - 1) + secrets.randbelow(9 * 10 ** (MAGIC_DIGITS - 1)))


def token_hash(document_id: int, token: str) -> str:
    """What FreeLook stores of a magic number: an HMAC under SECRET_KEY, so the short
    number cannot be found from a copy of the table."""
    return salted_hmac(
        "nextecf.notices.free-look", f"{document_id}:{token}", algorithm="sha256"
    ).hexdigest()


def _legacy_token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def _magic_numbers(document_ids: list[int], count: int) -> list[dict[int, str]]:
    """count sets of magic numbers, one number per document in each, none repeated for a
    document (the table keeps hashes unique)."""
    if not document_ids or not count:
        return [{} for _ in range(count)]
    taken = set(
        FreeLook.objects.filter(document_id__in=document_ids).values_list("token_hash", flat=True)
    )
    sets: list[dict[int, str]] = []
    for _ in range(count):
        magic: dict[int, str] = {}
        for document_id in document_ids:
            token = free_look_token()
            while token_hash(document_id, token) in taken:
                token = free_look_token()
            taken.add(token_hash(document_id, token))
            magic[document_id] = token
        sets.append(magic)
    return sets


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


def _union_recipients(groups: list[list[NefRecipient]]) -> list[NefRecipient]:
    seen: dict[int, NefRecipient] = {}
    for group in groups:
        for recipient in group:
            seen.setdefault(recipient.filer.pk, recipient)
    return list(seen.values())


def nef_context(*, entry: DocketEntry, also: Sequence[DocketEntry] = ()) -> dict[str, Any]:
    """Everything an NEF of this entry shows, except the per-recipient links. `also` are
    the same filing's entries in consolidated member cases: a multi-docket NEF, one
    Case Name / Case Number / Document Number table and one recipient list per case (as
    CM/ECF sends them, and as juriscraper's NotificationEmail reads one docket a table),
    mailed once to everyone noticed in any of the cases."""
    case = entry.case
    entered = timezone.localtime(entry.entered_at, case.court.tz)
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
    dockets: list[dict[str, Any]] = [
        {
            "case": each.case,
            "entry": each,
            "case_number": display_number(each.case),
            "docket_url": docket_url(each.case),
            "closed_on": each.case.effective_date_closed,
            "documents": documents if each is entry else list(each.documents.all()),
            "recipients": nef_recipients(each.case),
            "other_means": nef_other_means(each.case),
        }
        for each in [entry, *also]
    ]
    return {
        "dockets": dockets,
        "court": case.court,
        "case": case,
        "entry": entry,
        "case_number": display_number(case),
        "docket_url": docket_url(case),
        "entered_by": entered_by,
        "entered_date": f"{entered.month}/{entered.day}/{entered.year}",
        "entered_time": f"{entered:%I:%M %p %Z}".lstrip("0"),
        "filed_date": f"{filed.month}/{filed.day}/{filed.year}",
        "filer_names": filer_names,  # one Filer: row each, as CM/ECF's NEFs list them
        "closed_on": case.effective_date_closed,  # the "WARNING: CASE CLOSED" row
        "documents": documents,
        "recipients": _union_recipients([d["recipients"] for d in dockets]),
        "other_means": dockets[0]["other_means"],
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
    dockets = [
        {**docket, "main_url": _main_url(docket, magic)} for docket in context.get("dockets", [])
    ]
    return render_to_string(
        TEMPLATE,
        {
            **context,
            "dockets": dockets,
            "rows": rows,
            "main": main,
            "receipt": magic is None,
        },
    )


def _main_url(docket: Mapping[str, Any], magic: Mapping[int, str] | None) -> str | None:
    """The Document Number link of one case's table: its own entry's main document."""
    entry: DocketEntry = docket["entry"]
    for document in docket["documents"]:
        if document.attachment_number == 0:
            return doc1_url(document, entry, magic.get(document.pk) if magic else None)
    return None


def nef_subject(entry: DocketEntry, *, multiple: bool = False) -> str:
    event = entry.event.name if entry.event is not None else "Docket entry"
    head = "Activity in Cases" if multiple else "Activity in Case"
    subject = f"{head} {display_number(entry.case)} {entry.case.title} {event}"
    return " ".join(subject.split())[:SUBJECT_MAX]


def nef_queue(*, entry: DocketEntry, also: Sequence[DocketEntry] = ()) -> list[OutboundEmail]:
    """Queue the entry's NEFs in the caller's transaction, one email per address, each with
    free looks of its own; they are sent once the transaction commits. `also`: the same
    filing's entries in member cases, listed in the same notice (see nef_context)."""
    context = nef_context(entry=entry, also=also)
    subject = nef_subject(entry, multiple=bool(also))
    now = timezone.now()
    expires = now + timedelta(days=FreeLook.VALID_DAYS)
    emails: list[OutboundEmail] = []
    seen: set[str] = set()
    addressed: list[tuple[NefRecipient, str]] = []
    for recipient in context["recipients"]:
        for address in recipient.addresses:
            if address.casefold() in seen:
                continue  # a mailbox shared by two filers gets the notice once
            seen.add(address.casefold())
            addressed.append((recipient, address))
    all_documents = [d for docket in context["dockets"] for d in docket["documents"]]
    magic_sets = _magic_numbers([d.pk for d in all_documents], len(addressed))
    entitled: dict[int, set[int]] = {}
    for docket in context["dockets"]:
        for filer_pk, readable in _free_looks_allowed(
            docket["entry"], docket["documents"], context["recipients"]
        ).items():
            entitled.setdefault(filer_pk, set()).update(readable)
    for (recipient, address), all_magic in zip(addressed, magic_sets, strict=True):
        # A non-public document carries a free look only for those entitled to read it;
        # the others get its plain link (which refuses them, as doc1 does).
        allowed = entitled[recipient.filer.pk]
        magic = {pk: token for pk, token in all_magic.items() if pk in allowed}
        email = OutboundEmail.objects.create(
            kind=KIND,
            to=address,
            subject=subject,
            body="",
            account=recipient.filer.account,
            court_id=entry.case.court_id,
        )
        FreeLook.objects.bulk_create(
            FreeLook(
                document_id=document_pk,
                email=email,
                recipient=address,
                token_hash=token_hash(document_pk, token),
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


def _free_looks_allowed(
    entry: DocketEntry, documents: list[Document], recipients: list[NefRecipient]
) -> dict[int, set[int]]:
    """filer pk -> the pks of the entry's documents its NEF may carry a free look at: the
    public ones, and the others its linked account may read (access.CaseReader)."""
    public = {d.pk for d in documents if d.access_level == AccessLevel.PUBLIC}
    allowed: dict[int, set[int]] = {}
    for recipient in recipients:
        account = recipient.filer.account
        readable = set(public)
        if account is not None and len(public) < len(documents):
            reader = case_reader(account, entry.case)
            readable |= {
                d.pk
                for d in documents
                if d.pk not in public and reader.may_read(d, filer_id=entry.filer_id)
            }
        allowed[recipient.filer.pk] = readable
    return allowed


def free_look_spend(
    *, actor: Actor, court: Court, document: Document, token: str, available: bool
) -> FreeLook | None:
    """Spend an NEF's free look at this document: the free look (its recipient is who the
    view log names) when the token was unused and unexpired and is now used, else None.
    `available` says whether the document can be served at all (its blob may be gone): if
    not, the token is kept for later. Every try takes from the guessing budgets first, and
    a number that was sent gives it back (so parallel guesses cannot get past them); once
    one is spent nothing is looked up. Audited either way."""
    budgets = _guess_budgets(document, actor)
    taken = [
        key for key, limit, window in budgets if AttemptBucket.take(key, limit=limit, window=window)
    ]
    if len(taken) < len(budgets):
        for key in taken:
            AttemptBucket.give_back(key)
        audit_record(
            event=Event.FREE_LOOK,
            success=False,
            actor=actor,
            court=court,
            reason="throttled",
            detail={"doc_id": document.doc_id},
        )
        return None
    look = _free_look_find(document, token)
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
                for key in taken:
                    AttemptBucket.give_back(key)
                audit_record(
                    event=Event.FREE_LOOK,
                    success=True,
                    actor=actor,
                    court=court,
                    detail={"doc_id": document.doc_id, "free_look": look.pk},
                )
                return look
        problem = "already_used"
    if look is not None:  # a number that was sent, not a guess
        for key in taken:
            AttemptBucket.give_back(key)
    audit_record(
        event=Event.FREE_LOOK,
        success=False,
        actor=actor,
        court=court,
        reason=problem or "document_unavailable",
        detail={"doc_id": document.doc_id, **({"free_look": look.pk} if look else {})},
    )
    return None


def _free_look_find(document: Document, token: str) -> FreeLook | None:
    if token.isascii() and token.isdigit() and len(token) <= MAGIC_DIGITS:
        hashed = token_hash(document.pk, token)
    elif token.isascii() and token.isdigit() and len(token) == LEGACY_MAGIC_DIGITS:
        hashed = _legacy_token_hash(token)
    else:
        return None
    return FreeLook.objects.filter(token_hash=hashed, document=document).first()


def _guess_budgets(document: Document, actor: Actor) -> list[tuple[str, int, timedelta]]:
    budgets = [
        (
            f"free-look-doc:{document.pk}",
            settings.FREE_LOOK_GUESSES_PER_DOCUMENT,
            timedelta(seconds=settings.FREE_LOOK_DOCUMENT_WINDOW_SECONDS),
        )
    ]
    if actor.ip:
        budgets.append(
            (
                f"free-look-ip:{actor.ip}",
                settings.FREE_LOOK_GUESSES_PER_IP,
                timedelta(seconds=settings.FREE_LOOK_IP_WINDOW_SECONDS),
            )
        )
    return budgets
