"""Electronic filing: drafts, staged PDFs and the one function that files.

`filing_submit` files a draft in one database transaction: the case (when the filing
opens one, numbered from CaseSequence under its row lock), the parties and the filer's
appearances, the docket entry (next number and seq under a row lock on the case), its
documents, the fee payment, the audit event, the queued Notices of Electronic Filing and
the Filing record: all of them or none.

What lives outside the database is ordered around that transaction:
  * the fee is charged first, with the draft's id as the idempotency key (a second submit
    never charges twice); if anything after the charge fails, the charge is voided;
  * the PDFs are copied from the staging store into the document store before the
    transaction; if it fails, the blobs this submit wrote are deleted unless referenced;
  * notices are sent after commit, and stay queued (for send_queued_mail) if sending fails.
A process killed half way leaves at worst orphan blobs and a live charge without a filing:
`sweep_documents` and `void_abandoned_charges` clean those up after a timeout.

One submit at a time holds a draft (a lease in the draft row, not a lock held across the
gateway call); a second submit of the same draft (double click, second tab) waits for the
first and gets its receipt.
"""

from __future__ import annotations

import logging
import re
import time
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, timedelta
from functools import partial
from typing import Any

from django.conf import settings
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.db.models import Count, Max, Q, QuerySet
from django.utils import timezone

from nextecf.access import Action, decide
from nextecf.accounts.models import Account, SignOn
from nextecf.audit.models import Event
from nextecf.audit.services import audit_record
from nextecf.billing.gateways import (
    Card,
    ChargeResult,
    PaymentGateway,
    PaymentUnavailable,
    payment_gateway,
    receipt_number,
)
from nextecf.billing.models import Payment
from nextecf.cases.models import (
    AccessLevel,
    Appearance,
    Case,
    CaseSequence,
    DocketEntry,
    Document,
    EventType,
    Party,
)
from nextecf.cases.tasks import document_text_job
from nextecf.courts.models import Court, FilerAccount
from nextecf.filing.models import (
    Filing,
    FilingDraft,
    StagedUpload,
    submit_lease_seconds,
)
from nextecf.lib.actor import Actor
from nextecf.lib.dates import business_days_after
from nextecf.lib.faults import fault_point
from nextecf.lib.storage import document_store, file_digest, read_chunks
from nextecf.lib.storage import staging_store as staging_store  # imported from here too
from nextecf.notices.nef import nef_queue

logger = logging.getLogger(__name__)

DOCKET_TEXT_MAX = 1000
DESCRIPTION_MAX = 200
FILENAME_MAX = 255
MAX_ATTACHMENTS = 30
WHITESPACE = re.compile(r"\s+")


class FilingRefused(Exception):
    """The filing cannot go ahead; `message` says why, naming the field or file."""

    def __init__(self, reason: str, message: str, *, field: str = "") -> None:
        super().__init__(message)
        self.reason = reason
        self.message = message
        self.field = field


@dataclass(frozen=True)
class FilingOutcome:
    filing: Filing
    replayed: bool  # an earlier submit of the same draft had filed it


# --- Staging ------------------------------------------------------------------------------


def _discard_staged(keys: Iterable[str]) -> None:
    staging = staging_store()
    for key in set(keys):
        if not StagedUpload.objects.filter(sha256=key).exists():
            staging.delete(key)


def clean_filename(name: str) -> str:
    base = re.split(r"[\\/]", name or "")[-1]
    base = "".join(ch for ch in base if ch.isprintable()).strip()
    return base[-FILENAME_MAX:] or "document.pdf"


def text_problem(value: str, *, limit: int) -> str | None:
    """Why a one-line text typed by a filer is unacceptable, or None."""
    if any(unicodedata.category(ch) == "Cc" and ch not in "\t\r\n" for ch in value):
        return "may not contain control characters"
    if len(normalize_text(value)) > limit:
        return f"must be at most {limit} characters (it has {len(normalize_text(value))})"
    return None


def normalize_text(value: str) -> str:
    return WHITESPACE.sub(" ", value).strip()


# --- Drafts -------------------------------------------------------------------------------


def draft_start(
    *,
    signon: SignOn,
    filer: FilerAccount,
    event: EventType,
    case: Case | None = None,
    case_data: dict[str, Any] | None = None,
    lead: bool = True,
    to_be_noticed: bool = True,
) -> FilingDraft:
    """A new draft: opening a case (case_data, and the filer's appearance for the
    plaintiffs: lead, to_be_noticed) or filing into `case`."""
    if (case is None) == (case_data is None):
        raise ValueError("a draft either opens a case or files into one")
    draft = FilingDraft(
        id=FilingDraft.new_id(),
        account=signon.account,
        signon=signon,
        filer=filer,
        court=filer.court,
        kind=FilingDraft.Kind.OPEN_CASE if case is None else FilingDraft.Kind.EXISTING_CASE,
        event=event,
        case=case,
        case_data=case_data or {},
        parties_chosen=case is None,
        lead=lead,
        to_be_noticed=to_be_noticed,
    )
    draft.touch()
    draft.save(force_insert=True)
    return draft


def _own_drafts(account: Account) -> QuerySet[FilingDraft]:
    """The person's unexpired drafts, filed through a court account that is still theirs
    (a court account unlinked or given to someone else takes its drafts with it)."""
    return FilingDraft.objects.filter(
        account=account, filer__account=account, expires_at__gt=timezone.now()
    )


def draft_get(*, draft_id: str, signon: SignOn, court: Court) -> FilingDraft | None:
    """The signed-on person's live draft with this id in this court (submitted ones
    included), whichever of their sign-ons started it."""
    if not FilingDraft.is_well_formed(draft_id):
        return None
    return (
        _own_drafts(signon.account)
        .select_related("event", "case", "filer", "court")
        .filter(pk=draft_id, court=court)
        .first()
    )


def drafts_of(*, account: Account, court: Court) -> list[FilingDraft]:
    """Civil → My drafts: the person's unfinished drafts in this court, newest first."""
    return list(
        _own_drafts(account)
        .filter(court=court, submitted_at=None)
        .select_related("event", "case")
        .annotate(documents=Count("uploads"))
        .order_by("-created_at")
    )


def draft_resume_step(draft: FilingDraft) -> str:
    """The screen to go on from: the first step the draft has not completed."""
    if not draft.parties_chosen:
        return "filing_parties"
    if not draft.uploads.filter(position=StagedUpload.MAIN).exists():
        return "filing_documents"
    if not draft.docket_text:
        return "filing_docket_text"
    return "filing_submit"


def draft_save(draft: FilingDraft, *fields: str) -> None:
    draft.touch()
    draft.save(update_fields=[*fields, "expires_at"])


def draft_choose_parties(
    *, draft: FilingDraft, parties: list[Party], lead: bool, to_be_noticed: bool
) -> None:
    draft.parties.set(parties)
    draft.lead, draft.to_be_noticed, draft.parties_chosen = lead, to_be_noticed, True
    draft_save(draft, "lead", "to_be_noticed", "parties_chosen")


def level_problem(event: EventType, level: str) -> str | None:
    """Why a document of this event may not have this access level, or None."""
    if level in event.allowed_levels():
        return None
    allowed = ", ".join(AccessLevel(lvl).label for lvl in event.allowed_levels())
    return f"a {event.name} may be filed as {allowed} only"


def draft_stage_upload(
    *,
    draft: FilingDraft,
    upload: UploadedFile,
    description: str,
    main: bool,
    level: str = AccessLevel.PUBLIC,
) -> StagedUpload:
    """Check a PDF and stage it: as the main document (replacing any) or as the next
    attachment, at an access level the event allows. Raises FilingRefused naming the file
    and the problem."""
    filename = clean_filename(upload.name or "")
    field = "main_document" if main else "attachment"
    limit = draft.court.max_pdf_bytes
    _refuse_if_submitting(draft)
    problem = level_problem(draft.event, level)
    if problem:
        label = "Main document access" if main else "Attachment access"
        raise FilingRefused("access_level", f"{label}: {problem}.", field=field)
    if not main and draft.uploads.exclude(position=StagedUpload.MAIN).count() >= MAX_ATTACHMENTS:
        raise FilingRefused(
            "too_many_attachments", f"At most {MAX_ATTACHMENTS} attachments.", field=field
        )
    if (upload.size or 0) > limit:  # refused before reading it
        check_problem = f"is larger than the court's limit of {limit // (1024 * 1024)} MB"
        raise FilingRefused("pdf_rejected", f"{filename} {check_problem}.", field=field)
    # The upload is a temporary file on disk (TemporaryFileUploadHandler): it is checked,
    # hashed and staged from there a chunk at a time, never read whole into memory.
    source = upload.open("rb")
    check = draft.court.pdf_check(source)
    if not check.ok:
        raise FilingRefused("pdf_rejected", f"{filename} {check.problem}.", field=field)
    source.seek(0)
    staging_key, size = file_digest(source)
    staging = staging_store()
    existed = staging.exists(staging_key)
    if existed:
        staging.touch(staging_key)
    else:
        staging.put_file(source)
    replaced: list[str] = []
    try:
        with transaction.atomic():
            if main:
                old = draft.uploads.filter(position=StagedUpload.MAIN)
                replaced = list(old.values_list("sha256", flat=True))
                old.delete()
                position = StagedUpload.MAIN
            else:
                last = draft.uploads.aggregate(last=Max("position"))["last"]
                position = max(last or 0, StagedUpload.MAIN) + 1
            staged = StagedUpload.objects.create(
                draft=draft,
                position=position,
                description="Main Document" if main else description,
                original_filename=filename,
                sha256=staging_key,
                size_bytes=size,
                pages=check.pages,
                access_level=level,
            )
            draft_save(draft)
    except BaseException:
        if not existed:
            _discard_staged([staging_key])
        raise
    _discard_staged(replaced)
    return staged


def _refuse_if_submitting(draft: FilingDraft) -> None:
    """The documents of a draft being filed do not change under the submit."""
    held = FilingDraft.objects.filter(pk=draft.pk, submitting_until__gt=timezone.now())
    if held.exists():
        raise FilingRefused(
            "in_progress",
            "This filing is being submitted; its documents can no longer be changed.",
        )


def draft_choose_public_version(*, draft: FilingDraft, entry_id: int | None) -> None:
    """Mark the filing as the public version of a confidential entry of its case (or not)."""
    if entry_id is None:
        draft.public_version_of = None
    else:
        entry = _public_version_target(draft, entry_id)
        draft.public_version_of = entry
    draft_save(draft, "public_version_of")


def _public_version_target(draft: FilingDraft, entry_id: int) -> DocketEntry:
    entry = (
        None
        if draft.case_id is None
        else DocketEntry.objects.filter(
            pk=entry_id,
            case_id=draft.case_id,
            documents__attachment_number=0,
            documents__access_level=AccessLevel.CONFIDENTIAL,
        )
        .distinct()
        .first()
    )
    if entry is None:
        raise FilingRefused(
            "public_version",
            "Public version of: choose a confidential filing of this case.",
            field="public_version_of",
        )
    return entry


MEMBER_REFUSED = "Also docket in: choose member cases consolidated with this case."


def member_case_choices(*, draft: FilingDraft, account: Account) -> list[Case]:
    """The member cases consolidated under the draft's (lead) case that this person may
    docket the filing in too: open, and not sealed from them."""
    if draft.case_id is None:
        return []
    members = Case.objects.filter(lead_case_id=draft.case_id, court=draft.court).order_by("number")
    return [case for case in members if _may_docket_in(case, account, draft.court)]


def _may_docket_in(case: Case, account: Account, court: Court) -> bool:
    allowed = decide(user=account, court=court, action=Action.FILE_IN_CASE, case=case)
    return bool(allowed) and case.effective_date_closed is None


def _members_checked(draft: FilingDraft, account: Account, case_ids: list[int]) -> list[Case]:
    """The chosen member cases, each still consolidated under the draft's case and open to
    this person; else FilingRefused (one message whatever the reason, so a sealed case's
    existence is not told)."""
    ids = list(dict.fromkeys(case_ids))
    if not ids:
        return []
    found = {
        case.pk: case
        for case in Case.objects.filter(
            pk__in=ids, court=draft.court, lead_case_id=draft.case_id
        ).exclude(lead_case_id=None)
    }
    for pk in ids:
        case = found.get(pk)
        if case is None or not _may_docket_in(case, account, draft.court):
            raise FilingRefused("member_case", MEMBER_REFUSED, field="member_cases")
    return [found[pk] for pk in ids]


def draft_choose_members(*, draft: FilingDraft, account: Account, case_ids: list[int]) -> None:
    """Docket the filing in these member cases too (replacing any earlier choice)."""
    _refuse_if_submitting(draft)
    cases = _members_checked(draft, account, case_ids)
    draft.member_cases.set(cases)
    draft_save(draft)


def draft_remove_upload(*, draft: FilingDraft, position: int) -> None:
    """Take a staged PDF off the draft; later attachments move up one number."""
    _refuse_if_submitting(draft)
    with transaction.atomic():
        staged = draft.uploads.filter(position=position).first()
        if staged is None:
            return
        key = staged.sha256
        staged.delete()
        if position != StagedUpload.MAIN:
            for later in draft.uploads.filter(position__gt=position).order_by("position"):
                later.position -= 1
                later.save(update_fields=["position"])
        draft_save(draft)
    _discard_staged([key])


def draft_cancel(*, draft: FilingDraft) -> None:
    keys = list(draft.uploads.values_list("sha256", flat=True))
    FilingDraft.objects.filter(pk=draft.pk, submitted_at=None).delete()
    _discard_staged(keys)


def drafts_delete_expired() -> int:
    """Expired drafts that no submit holds; their staged PDFs become orphans for the sweep."""
    now = timezone.now()
    expired = FilingDraft.objects.filter(expires_at__lte=now).filter(
        Q(submitting_until=None) | Q(submitting_until__lt=now)
    )
    count, _ = expired.delete()
    return int(count)


def filing_party_names(draft: FilingDraft) -> list[str]:
    if draft.opens_case:
        return list(draft.case_data.get("plaintiffs", []))
    return [party.name for party in draft.parties.order_by("position", "pk")]


def default_docket_text(draft: FilingDraft) -> str:
    """The event's docket text in the court's style: "Summons. Filed by <attorney> of
    <firm> on behalf of <party>."."""
    filer = draft.filer
    by = filer.full_name + (f" of {filer.firm}" if filer.firm else "")
    names = filing_party_names(draft)
    head = f"{draft.event.docket_text}. Filed by {by} on behalf of "
    text = f"{head}{', '.join(names)}"
    if len(text) >= DOCKET_TEXT_MAX and names:
        text = f"{head}{names[0][:300]} et al"
    if not text.endswith("."):  # "... on behalf of Acme, Inc." not "Inc.."
        text += "."
    return normalize_text(text)[:DOCKET_TEXT_MAX]


def docket_text_problem(text: str, event: EventType) -> str | None:
    """Why a filer's docket text is unacceptable, or None. It is plain text of at most
    DOCKET_TEXT_MAX characters that still names the event."""
    problem = text_problem(text, limit=DOCKET_TEXT_MAX)
    if problem:
        return problem
    cleaned = normalize_text(text)
    if not cleaned:
        return "is required"
    if event.docket_text.casefold() not in cleaned.casefold():
        return f'must contain the event\'s text "{event.docket_text}"'
    return None


def final_docket_text(text: str, uploads: list[StagedUpload], filer: FilerAccount) -> str:
    """The docket text as entered on the docket: the filer's text, the attachments, and
    the filer's name, which the filer cannot edit."""
    text = normalize_text(text)
    attachments = [u for u in uploads if u.position != StagedUpload.MAIN]
    if attachments:
        listed = ", ".join(f"# {u.position} {u.description}" for u in attachments)
        text += f" (Attachments: {listed})"
    return f"{text} ({filer.last_name}, {filer.first_name})"


# --- Submit -------------------------------------------------------------------------------


@dataclass
class _Plan:
    draft: FilingDraft
    account: Account
    court: Court
    filer: FilerAccount
    event: EventType
    case: Case | None
    party_ids: list[int]
    uploads: list[StagedUpload]
    text: str
    fee_cents: int
    members: list[Case]


class _AlreadyFiled(Exception):
    def __init__(self, filing: Filing) -> None:
        self.filing = filing


def filing_submit(
    *,
    draft_id: str,
    signon: SignOn,
    card: Card | None = None,
    fee_cents_shown: int | None = None,
    actor: Actor,
) -> FilingOutcome:
    """File the draft: everything in one transaction, or nothing (see the module's notes).

    A draft already filed returns its filing (replayed=True) without charging again.
    Raises FilingRefused with a message for the filer when the filing cannot be made.
    """
    account = signon.account
    gone = FilingRefused(
        "draft_gone",
        "This filing has expired or does not exist. Start again from the Civil menu.",
    )
    if not FilingDraft.is_well_formed(draft_id):
        raise gone
    earlier = _filing_of(draft_id, account)
    if earlier is not None:
        return FilingOutcome(earlier, replayed=True)
    draft = _own_drafts(account).filter(pk=draft_id).first()
    if draft is None:
        raise gone
    if not _lease_claim(draft.pk):
        return _await_other_submit(draft.pk, account)
    try:
        return _submit_held(draft, account, card, fee_cents_shown, actor)
    finally:
        _lease_release(draft.pk)


def _filing_of(draft_id: str, account: Account) -> Filing | None:
    return Filing.objects.filter(draft_id=draft_id, account=account).first()


def _lease_claim(draft_id: str) -> bool:
    now = timezone.now()
    return bool(
        FilingDraft.objects.filter(pk=draft_id, submitted_at=None)
        .filter(Q(submitting_until=None) | Q(submitting_until__lt=now))
        .update(submitting_until=now + timedelta(seconds=submit_lease_seconds()))
    )


def _lease_release(draft_id: str) -> None:
    FilingDraft.objects.filter(pk=draft_id, submitted_at=None).update(submitting_until=None)


def _await_other_submit(draft_id: str, account: Account) -> FilingOutcome:
    """Another submit of this draft is under way: wait for its receipt, briefly."""
    deadline = time.monotonic() + float(getattr(settings, "FILING_SUBMIT_WAIT_SECONDS", 15))
    while True:
        filing = _filing_of(draft_id, account)
        if filing is not None:
            return FilingOutcome(filing, replayed=True)
        if time.monotonic() >= deadline:
            raise FilingRefused(
                "in_progress",
                "This filing is being submitted from another window. "
                "Wait a moment, then reload this page to see its receipt.",
            )
        time.sleep(0.1)


def _submit_held(
    draft: FilingDraft,
    account: Account,
    card: Card | None,
    fee_cents_shown: int | None,
    actor: Actor,
) -> FilingOutcome:
    earlier = _filing_of(draft.pk, account)
    if earlier is not None:
        return FilingOutcome(earlier, replayed=True)
    try:
        plan = _plan(draft, account)
        if plan.fee_cents and fee_cents_shown is not None and fee_cents_shown != plan.fee_cents:
            raise FilingRefused(
                "fee_changed",
                f"The fee for this event is now ${plan.fee_cents / 100:,.2f}. "
                "Review it and submit again.",
                field="fee",
            )
        if plan.fee_cents and card is None:
            raise FilingRefused("card_required", "Card number: is required.", field="card_number")
    except FilingRefused as refusal:
        _audit_error(actor, account, draft, refusal.reason)
        raise

    gateway: PaymentGateway | None = None
    charge: ChargeResult | None = None
    if plan.fee_cents:
        assert card is not None
        gateway, charge = _charge(plan, card, actor)
    fault_point("after_charge")

    written: list[str] = []
    try:
        _store_documents(plan.uploads, written)
        fault_point("after_blobs")
        with transaction.atomic():
            FilingDraft.objects.select_for_update().filter(pk=draft.pk).first()
            earlier = Filing.objects.filter(draft_id=draft.pk).first()
            if earlier is not None:
                raise _AlreadyFiled(earlier)
            filing = _record(plan, gateway, charge, actor)
            fault_point("before_commit")
    except _AlreadyFiled as done:
        # Filed meanwhile by a submit whose hold had run out; its charge is this charge.
        _discard_documents(written, draft.pk)
        return FilingOutcome(done.filing, replayed=True)
    except BaseException as failure:
        _undo(plan, gateway, charge, written, actor)
        if isinstance(failure, FilingRefused):
            _audit_error(actor, account, draft, failure.reason)
            raise
        if not isinstance(failure, Exception):
            raise
        logger.exception("filing of draft %s… failed", draft.pk[:8])
        _audit_error(actor, account, draft, "internal_error")
        raise FilingRefused(
            "internal_error",
            "The filing could not be completed: nothing was filed and no fee was charged. "
            "Try again; if it keeps failing, call the CM/ECF Help Desk.",
        ) from failure
    return FilingOutcome(filing, replayed=False)


def _charge(plan: _Plan, card: Card, actor: Actor) -> tuple[PaymentGateway, ChargeResult]:
    try:
        gateway = payment_gateway(plan.court)
    except PaymentUnavailable:
        _audit_error(actor, plan.account, plan.draft, "payment_unavailable")
        raise FilingRefused(
            "payment_unavailable",
            "Online payment is not available, so documents that carry a fee cannot be filed "
            f"now. Call the CM/ECF Help Desk at {plan.court.helpdesk_phone}.",
        ) from None
    try:
        result = gateway.charge(
            amount_cents=plan.fee_cents, card=card, idempotency_key=plan.draft.pk
        )
    except Exception:
        # Whether or not the gateway took the money, a retry with the same key cannot
        # charge twice, and an orphan charge is voided by void_abandoned_charges.
        logger.exception("payment gateway %s failed", gateway.name)
        _audit_error(actor, plan.account, plan.draft, "payment_error")
        raise FilingRefused(
            "payment_error",
            "Payment: the payment service did not answer. Nothing was filed; submit again "
            "(you will not be charged twice).",
            field="card_number",
        ) from None
    audit_record(
        event=Event.PAYMENT,
        success=result.approved,
        actor=actor.with_account(plan.account),
        court=plan.court,
        reason="" if result.approved else _decline_reason(result),
        detail={
            "amount_cents": plan.fee_cents,
            "gateway": gateway.name,
            "reference": result.reference,
            "card_last4": result.card_last4,
            "replayed": result.replayed,
            "event": plan.event.code,
        },
    )
    if not result.approved:
        _audit_error(actor, plan.account, plan.draft, _decline_reason(result))
        raise FilingRefused(
            _decline_reason(result), f"Payment: {result.reason}.", field="card_number"
        )
    return gateway, result


def _decline_reason(result: ChargeResult) -> str:
    return "card_invalid" if "invalid" in result.reason else "card_declined"


def _plan(draft: FilingDraft, account: Account) -> _Plan:
    """Check everything the filing needs, as it stands now."""
    court = draft.court
    filer = draft.filer
    filer.refresh_from_db()
    decision = decide(user=account, court=court, action=Action.FILE)
    if not decision or filer.account_id != account.pk or not filer.is_active:
        raise FilingRefused(decision.reason or "not_a_filer", "You may not file in this court.")
    event = EventType.objects.filter(pk=draft.event_id, court=court, is_active=True).first()
    wanted = EventType.Category.OPEN_CASE if draft.opens_case else EventType.Category.OTHER
    if event is None or event.category != wanted:
        raise FilingRefused(
            "event_unavailable", "Event: this event can no longer be filed.", field="event"
        )
    case: Case | None = None
    party_ids: list[int] = []
    members: list[Case] = []
    if draft.opens_case:
        data = draft.case_data
        if not data.get("title") or not data.get("plaintiffs") or not data.get("jurisdiction"):
            raise FilingRefused("case_data", "Case data: incomplete.", field="case")
    else:
        case = draft.case
        if case is None or not decide(
            user=account, court=court, action=Action.FILE_IN_CASE, case=case
        ):
            raise FilingRefused("no_case", "Case number: no such case.", field="case_number")
        members = _members_checked(
            draft, account, list(draft.member_cases.values_list("pk", flat=True))
        )
        party_ids = list(draft.parties.values_list("pk", flat=True))
        if not draft.parties_chosen or not party_ids:
            raise FilingRefused(
                "no_party", "Party: choose the party you file for.", field="parties"
            )
    uploads = list(draft.uploads.order_by("position"))
    has_main = any(u.position == StagedUpload.MAIN for u in uploads)
    if event.requires_document and not has_main:
        raise FilingRefused(
            "no_main_document",
            "Main document: upload the main document (a PDF).",
            field="main_document",
        )
    if uploads and not has_main:
        raise FilingRefused(
            "no_main_document",
            "Main document: attachments need a main document.",
            field="main_document",
        )
    for upload in uploads:
        level_refused = level_problem(event, upload.access_level)
        if level_refused:
            raise FilingRefused(
                "access_level", f"{upload.description}: {level_refused}.", field="main_document"
            )
    if draft.public_version_of_id is not None:
        _public_version_target(draft, draft.public_version_of_id)
        if any(u.access_level != AccessLevel.PUBLIC for u in uploads):
            raise FilingRefused(
                "public_version",
                "Public version of: every document of a public version is public.",
                field="public_version_of",
            )
    text = draft.docket_text or default_docket_text(draft)
    problem = docket_text_problem(text, event)
    if problem:
        raise FilingRefused("docket_text", f"Docket text: {problem}.", field="docket_text")
    return _Plan(
        draft=draft,
        account=account,
        court=court,
        filer=filer,
        event=event,
        case=case,
        party_ids=party_ids,
        uploads=uploads,
        text=final_docket_text(text, uploads, filer),
        fee_cents=event.fee_cents,
        members=members,
    )


def _store_documents(uploads: list[StagedUpload], written: list[str]) -> None:
    """Copy the staged PDFs into the document store; `written` collects the blobs this
    call created (and so must delete if the filing fails)."""
    store = document_store()
    staging = staging_store()
    for position, upload in enumerate(uploads):
        if store.exists(upload.sha256):
            store.touch(upload.sha256)
        elif store.adopt(upload.sha256, staging):
            written.append(upload.sha256)
        else:
            try:
                with staging.open(upload.sha256) as stream:
                    key, _ = store.put_stream(read_chunks(stream))
            except FileNotFoundError:
                raise FilingRefused(
                    "staged_missing",
                    f"{upload.original_filename} is no longer on the server; upload it again.",
                    field="main_document" if upload.position == 0 else "attachment",
                ) from None
            written.append(key)
            if key != upload.sha256:
                raise FilingRefused(
                    "staged_damaged",
                    f"{upload.original_filename} could not be read back; upload it again.",
                )
        if position == 0:
            fault_point("during_storage")


def _open_case(plan: _Plan, today: date) -> tuple[Case, list[Party]]:
    data = plan.draft.case_data
    sequence = CaseSequence.take_next(plan.court, today.year)
    case = Case.objects.create(
        court=plan.court,
        number=Case.format_number(today.year, sequence, plan.court),
        year=today.year,
        sequence=sequence,
        title=data["title"],
        jurisdiction=data["jurisdiction"],
        category=data.get("category", ""),
        agency=data.get("agency", ""),
        product_description=data.get("product_description", ""),
        export_country=data.get("export_country", ""),
        constitutional_question=bool(data.get("constitutional_question")),
        date_filed=today,
        opened_by=plan.filer,
    )
    plaintiffs = [
        Party.objects.create(case=case, name=name, role=Party.Role.PLAINTIFF, position=index)
        for index, name in enumerate(data["plaintiffs"])
    ]
    Party.objects.create(
        case=case,
        name=data.get("defendant") or "United States",
        role=Party.Role.DEFENDANT,
        position=len(plaintiffs),
    )
    return case, plaintiffs


def _appear(parties: list[Party], plan: _Plan) -> list[int]:
    """The filer's first filing for a party makes the filer its attorney; an attorney
    whose appearance was terminated appears again. Returns the parties newly appeared for."""
    added = []
    for party in parties:
        appearance = Appearance.objects.filter(party=party, filer=plan.filer).first()
        if appearance is None:
            Appearance.objects.create(
                party=party,
                filer=plan.filer,
                lead=plan.draft.lead,
                to_be_noticed=plan.draft.to_be_noticed,
            )
            added.append(party.pk)
        elif appearance.terminated_on is not None:
            appearance.terminated_on = None
            appearance.lead = plan.draft.lead
            appearance.to_be_noticed = plan.draft.to_be_noticed
            appearance.save(update_fields=["terminated_on", "lead", "to_be_noticed"])
            added.append(party.pk)
    return added


def _record(
    plan: _Plan,
    gateway: PaymentGateway | None,
    charge: ChargeResult | None,
    actor: Actor,
) -> Filing:
    """Write the filing; inside the transaction."""
    now = timezone.now()
    today = timezone.localdate(now, plan.court.tz)
    if plan.case is None:
        case, parties = _open_case(plan, today)
        number, seq = 1, 1
    else:
        case = Case.objects.select_for_update().get(pk=plan.case.pk)
        parties = list(
            Party.objects.filter(pk__in=plan.party_ids, case=case, terminated_on=None).order_by(
                "position", "pk"
            )
        )
        if len(parties) != len(plan.party_ids):
            raise FilingRefused(
                "party_gone",
                "Party: a party you chose is no longer in the case; choose again.",
                field="parties",
            )
        number, seq = DocketEntry.objects.next_numbers(case)
    appeared = _appear(parties, plan)
    main_level = next(
        (u.access_level for u in plan.uploads if u.position == StagedUpload.MAIN),
        AccessLevel.PUBLIC,
    )
    entry = DocketEntry.objects.create(
        case=case,
        number=number,
        seq=seq,
        date_filed=today,
        entered_at=now,
        event=plan.event,
        text=plan.text,
        filer=plan.filer,
        entered_by=plan.account,
        public_version_of_id=plan.draft.public_version_of_id,
        # A confidential filing owes its public version within the court's deadline.
        public_version_due=business_days_after(today, plan.court.public_version_days)
        if main_level == AccessLevel.CONFIDENTIAL
        else None,
    )
    _file_documents(entry, plan, now)
    member_entries = _docket_in_members(plan, entry, today, now)
    payment = None
    if charge is not None and gateway is not None:
        payment = Payment.objects.create(
            account=plan.account,
            court=plan.court,
            case_number=case.number,
            receipt_number=receipt_number(plan.court),
            description=plan.event.name,
            amount_cents=plan.fee_cents,
            status=Payment.Status.COMPLETED,
            paid_at=now,
            idempotency_key=plan.draft.pk,
            gateway=gateway.name,
            gateway_reference=charge.reference,
            card_last4=charge.card_last4,
        )
    filing = Filing.objects.create(
        draft_id=plan.draft.pk,
        court=plan.court,
        case=case,
        entry=entry,
        event=plan.event,
        filer=plan.filer,
        account=plan.account,
        payment=payment,
        opened_case=plan.case is None,
        created_at=now,
    )
    filing.parties.set(parties)
    filing.member_entries.set(member_entries)
    staged = [u.sha256 for u in plan.uploads]
    StagedUpload.objects.filter(pk__in=[u.pk for u in plan.uploads]).delete()
    FilingDraft.objects.filter(pk=plan.draft.pk).update(submitted_at=now, submitting_until=None)
    audit_record(
        event=Event.FILING_SUBMITTED,
        success=True,
        actor=actor.with_account(plan.account),
        court=plan.court,
        detail={
            "case": case.number,
            "opened_case": plan.case is None,
            "entry": number,
            "event": plan.event.code,
            "filer": plan.filer.login,
            "parties": [p.pk for p in parties],
            "appeared_for": appeared,
            "documents": [
                {
                    "attachment": u.position,
                    "pages": u.pages,
                    "sha256": u.sha256,
                    "level": u.access_level,
                }
                for u in plan.uploads
            ],
            "public_version_of": plan.draft.public_version_of_id,
            "also_docketed_in": [
                {"case": member.case.number, "entry": member.number} for member in member_entries
            ],
            "fee_cents": plan.fee_cents,
            "receipt": payment.receipt_number if payment else "",
        },
    )
    nef_queue(entry=entry, also=member_entries)
    transaction.on_commit(partial(_discard_staged, staged), robust=True)
    return filing


def _file_documents(entry: DocketEntry, plan: _Plan, now: Any) -> None:
    for upload in plan.uploads:
        document = Document.objects.create(
            entry=entry,
            attachment_number=upload.position,
            description=upload.description,
            sha256=upload.sha256,
            storage_key=upload.sha256,
            pages=upload.pages,
            size_bytes=upload.size_bytes,
            original_filename=upload.original_filename,
            created_at=now,
            access_level=upload.access_level,
        )
        # Its text is read for full-text search once the filing has committed.
        transaction.on_commit(partial(document_text_job, document.pk), robust=True)


def _docket_in_members(
    plan: _Plan, lead_entry: DocketEntry, today: date, now: Any
) -> list[DocketEntry]:
    """The same entry in each chosen member case, each at that case's next numbers, with
    the same documents (the same stored PDFs). The member rows are locked in pk order
    after the lead's, so two filings in one consolidated group never deadlock; each is
    checked again under its lock (unconsolidated or closed meanwhile: nothing is filed)."""
    if not plan.members:
        return []
    locked = {
        case.pk: case
        for case in Case.objects.select_for_update()
        .filter(pk__in=[m.pk for m in plan.members])
        .order_by("pk")
    }
    entries = []
    for member in plan.members:
        case = locked.get(member.pk)
        if (
            case is None
            or case.lead_case_id != lead_entry.case_id
            or not _may_docket_in(case, plan.account, plan.court)
        ):
            raise FilingRefused("member_case", MEMBER_REFUSED, field="member_cases")
        number, seq = DocketEntry.objects.next_numbers(case)
        entry = DocketEntry.objects.create(
            case=case,
            number=number,
            seq=seq,
            date_filed=today,
            entered_at=now,
            event=plan.event,
            text=plan.text,
            filer=plan.filer,
            entered_by=plan.account,
            public_version_due=lead_entry.public_version_due,
        )
        _file_documents(entry, plan, now)
        entries.append(entry)
    return entries


def _undo(
    plan: _Plan,
    gateway: PaymentGateway | None,
    charge: ChargeResult | None,
    written: list[str],
    actor: Actor,
) -> None:
    """After a failed transaction: void the charge and delete the blobs this submit wrote.
    Each step is tried even if another fails; what is left is for the sweeps."""
    if gateway is not None and charge is not None:
        try:
            voided = gateway.void(charge.reference)
        except Exception:
            logger.exception("voiding charge %s failed; the sweep will retry", charge.reference)
        else:
            audit_record(
                event=Event.PAYMENT_VOID,
                success=voided,
                actor=actor.with_account(plan.account),
                court=plan.court,
                reason="filing_failed",
                detail={"reference": charge.reference, "amount_cents": plan.fee_cents},
            )
    try:
        _discard_documents(written, plan.draft.pk)
    except Exception:
        logger.exception("removing the blobs of a failed filing failed; the sweep will")


def _discard_documents(keys: list[str], draft_id: str) -> None:
    store = document_store()
    for key in keys:
        if Document.objects.filter(storage_key=key).exists():
            continue  # another filing has the same bytes
        if StagedUpload.objects.filter(sha256=key).exclude(draft_id=draft_id).exists():
            continue  # another draft is about to file the same bytes
        store.delete(key)


def _audit_error(actor: Actor, account: Account, draft: FilingDraft, reason: str) -> None:
    audit_record(
        event=Event.FILING_ERROR,
        success=False,
        actor=actor.with_account(account),
        court=draft.court,
        reason=reason,
        detail={
            "event": draft.event.code if draft.event_id else "",
            "case": draft.case.number if draft.case is not None else "",
        },
    )


# --- Reconciliation -----------------------------------------------------------------------


def charges_void_abandoned(*, gateway: PaymentGateway, older_than_seconds: int) -> int:
    """Void live charges that no filing records (the process that charged was killed
    before its filing committed). A draft still being submitted is left alone."""
    voided = 0
    for reference, key in gateway.abandoned(older_than_seconds=older_than_seconds):
        if Payment.objects.filter(idempotency_key=key, status=Payment.Status.COMPLETED).exists():
            continue
        draft = FilingDraft.objects.filter(pk=key).select_related("court", "account").first()
        if draft is not None and not _lease_claim(key):
            continue  # a submit holds the draft: it either files or voids
        try:
            if Payment.objects.filter(idempotency_key=key).exists():
                continue
            if gateway.void(reference):
                voided += 1
                audit_record(
                    event=Event.PAYMENT_VOID,
                    success=True,
                    actor=Actor.system(account=draft.account if draft else None),
                    court=draft.court if draft is not None else None,
                    reason="abandoned",
                    detail={"reference": reference},
                )
        finally:
            if draft is not None:
                _lease_release(key)
    return voided
