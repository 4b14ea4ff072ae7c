"""Quality control: the court's review of what filers docket.

A filer's filing is docketed at once (as in CM/ECF) and waits in the court's QC queue,
oldest first, until a QC clerk acts on it, once:

  * filing_accept: it stays as filed;
  * filing_correct: its event, docket text or filer is changed; what it was is kept in the
    entry's history (DocketEntryRevision) and a NOTICE OF DOCKET CORRECTION saying what
    changed is docketed and served (NEF);
  * filing_strike: the entry keeps its number, its text says it was stricken and why, its
    documents are for court staff only (access.entry_documents_readable), and a NOTICE OF
    DOCKET CORRECTION is docketed and served;
  * filing_deficiency_notice: the filer is emailed, and a CLERK'S NOTICE OF DEFICIENCY with
    the response deadline (the court's deficiency_response_days) is docketed and served.

Each is one transaction that first locks the filing's row and checks it still waits, so
two clerks acting on one filing at once end with one outcome: the second is refused with
who acted first (QcRefused "already_acted"). Bad input changes nothing; every outcome and
every refusal is audited.
"""

from __future__ import annotations

from datetime import date, timedelta

from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone

from nextecf.accounts.models import Account
from nextecf.audit.models import Event
from nextecf.audit.services import audit_record
from nextecf.cases.catalogue import catalogue_event
from nextecf.cases.models import DocketEntry, DocketEntryRevision, EventType
from nextecf.courts.models import Court, FilerAccount
from nextecf.filing.models import Filing, QcStatus
from nextecf.filing.services import normalize_text, text_problem
from nextecf.filing.staff import DOCKET_TEXT_MAX, court_entry_create
from nextecf.lib.actor import Actor
from nextecf.outbox.services import email_queue

REASON_MAX = 500


class QcRefused(Exception):
    """The action cannot be taken; `message` says why, naming the field."""

    def __init__(self, reason: str, message: str, *, field: str = "") -> None:
        super().__init__(message)
        self.reason = reason
        self.message = message
        self.field = field


def qc_queue(court: Court, *, event_code: str = "", case_number: str = "") -> QuerySet[Filing]:
    """The court's filings waiting for quality control, oldest first."""
    rows = (
        Filing.objects.filter(court=court, qc_status=QcStatus.PENDING)
        .select_related("case", "entry", "event", "filer")
        .order_by("created_at", "pk")
    )
    if event_code:
        rows = rows.filter(event__code=event_code)
    if case_number:
        rows = rows.filter(case__number__startswith=case_number.strip())
    return rows


def qc_waiting(court: Court) -> int:
    return Filing.objects.filter(court=court, qc_status=QcStatus.PENDING).count()


def _required_text(value: str, *, field: str, label: str, limit: int) -> str:
    problem = text_problem(value or "", limit=limit)
    cleaned = normalize_text(value or "")
    if problem is None and not cleaned:
        problem = "is required"
    if problem:
        raise QcRefused("bad_input", f"{label} {problem}.", field=field)
    return cleaned


def _claim(court: Court, filing_id: int) -> Filing:
    """The filing, its row locked until the transaction ends, if it still waits."""
    filing = (
        Filing.objects.select_for_update()
        .filter(pk=filing_id, court=court)
        .select_related("case", "entry", "event", "filer")
        .first()
    )
    if filing is None:
        raise QcRefused("no_filing", "There is no such filing in this court.")
    if filing.qc_status != QcStatus.PENDING:
        who = filing.qc_by.full_name if filing.qc_by is not None else "another clerk"
        when = timezone.localtime(filing.qc_at) if filing.qc_at else None
        at = f" on {when:%m/%d/%Y at %I:%M %p}" if when else ""
        raise QcRefused(
            "already_acted",
            f"This filing was already acted on: {filing.get_qc_status_display()} by {who}{at}.",
        )
    return filing


def _done(filing: Filing, clerk: Account, status: QcStatus, note: str = "") -> None:
    filing.qc_status, filing.qc_by, filing.qc_at, filing.qc_note = (
        status,
        clerk,
        timezone.now(),
        note,
    )
    filing.save(update_fields=["qc_status", "qc_by", "qc_at", "qc_note", "response_due"])


def _audit(
    actor: Actor,
    clerk: Account,
    court: Court,
    action: str,
    filing_id: int,
    *,
    success: bool = True,
    reason: str = "",
    **detail: object,
) -> None:
    audit_record(
        event=Event.STAFF_CHANGE,
        success=success,
        actor=actor.with_account(clerk),
        court=court,
        reason=reason,
        detail={"model": "filing", "action": action, "filing": filing_id, **detail},
    )


def _refusal_audited(
    actor: Actor, clerk: Account, court: Court, action: str, filing_id: int, error: QcRefused
) -> None:
    _audit(actor, clerk, court, action, filing_id, success=False, reason=error.reason)


def _ref(entry: DocketEntry) -> str:
    """How a notice names the entry: "re: 12 Motion" (linked on the docket)."""
    name = entry.event.name if entry.event is not None else "Docket entry"
    return f"re: {entry.number} {name}" if entry.number is not None else f"re: {name}"


def filing_accept(*, actor: Actor, clerk: Account, court: Court, filing_id: int) -> Filing:
    """Accept the filing as filed."""
    try:
        with transaction.atomic():
            filing = _claim(court, filing_id)
            _done(filing, clerk, QcStatus.ACCEPTED)
            _audit(actor, clerk, court, "qc_accepted", filing.pk, entry=filing.entry_id)
    except QcRefused as error:
        _refusal_audited(actor, clerk, court, "qc_accept", filing_id, error)
        raise
    return filing


def filing_correct(
    *,
    actor: Actor,
    clerk: Account,
    court: Court,
    filing_id: int,
    event: EventType,
    text: str,
    filer: FilerAccount,
) -> Filing:
    """Correct the entry's event, docket text or filer. The entry's earlier state goes into
    its history; a NOTICE OF DOCKET CORRECTION naming what changed is docketed and served."""
    try:
        with transaction.atomic():
            filing = _claim(court, filing_id)
            entry = filing.entry
            cleaned = _required_text(text, field="text", label="Docket text", limit=DOCKET_TEXT_MAX)
            if event.court_id != court.pk or event.category == EventType.Category.COURT:
                raise QcRefused("bad_input", "Event: choose an event filers file.", field="event")
            if filer.court_id != court.pk or not filer.is_active:
                raise QcRefused(
                    "bad_input", "Filer: choose an active filer of this court.", field="filer"
                )
            changes = []
            if event.pk != entry.event_id:
                was = entry.event.name if entry.event is not None else "none"
                changes.append(f"event changed from {was} to {event.name}")
            if cleaned != entry.text:
                changes.append("docket text corrected")
            if filer.pk != entry.filer_id:
                was = entry.filer.full_name if entry.filer is not None else "none"
                changes.append(f"filer changed from {was} to {filer.full_name}")
            if not changes:
                raise QcRefused(
                    "no_change",
                    "Nothing was changed: change the event, the docket text or the filer, "
                    "or accept the filing.",
                )
            summary = "; ".join(changes)
            revision = DocketEntryRevision.objects.create(
                entry=entry,
                change=DocketEntryRevision.Change.CORRECTED,
                event_id=entry.event_id,
                text=entry.text,
                filer_id=entry.filer_id,
                summary=summary,
                changed_by=clerk,
            )
            entry.event, entry.text, entry.filer = event, cleaned, filer
            entry.save(update_fields=["event", "text", "filer"])
            filing.event, filing.filer = event, filer
            filing.save(update_fields=["event", "filer"])
            notice = court_entry_create(
                actor=actor,
                staff=clerk,
                case=filing.case,
                event=catalogue_event(court, "docket-correction"),
                date_filed=timezone.localdate(),
                text=f"NOTICE OF DOCKET CORRECTION {_ref(entry)}: {summary}.",
                documents=[],
                numbered=False,
            )
            revision.notice = notice
            revision.save(update_fields=["notice"])
            _done(filing, clerk, QcStatus.CORRECTED, summary)
            _audit(
                actor,
                clerk,
                court,
                "qc_corrected",
                filing.pk,
                entry=entry.pk,
                notice=notice.pk,
                changes=changes,
            )
    except QcRefused as error:
        _refusal_audited(actor, clerk, court, "qc_correct", filing_id, error)
        raise
    return filing


def filing_strike(
    *, actor: Actor, clerk: Account, court: Court, filing_id: int, reason: str
) -> Filing:
    """Strike the filing: the entry keeps its number and says it was stricken and why; its
    documents are for court staff only; the participants are served a notice."""
    try:
        with transaction.atomic():
            cleaned = _required_text(reason, field="reason", label="Reason", limit=REASON_MAX)
            filing = _claim(court, filing_id)
            entry = filing.entry
            now = timezone.now()
            DocketEntryRevision.objects.create(
                entry=entry,
                change=DocketEntryRevision.Change.STRICKEN,
                event_id=entry.event_id,
                text=entry.text,
                filer_id=entry.filer_id,
                summary=cleaned,
                changed_by=clerk,
                changed_at=now,
            )
            entry.stricken_at, entry.stricken_reason = now, cleaned
            entry.text = DocketEntry.stricken_text(
                entry.text, on=timezone.localdate(now), reason=cleaned
            )
            entry.save(update_fields=["stricken_at", "stricken_reason", "text"])
            notice = court_entry_create(
                actor=actor,
                staff=clerk,
                case=filing.case,
                event=catalogue_event(court, "docket-correction"),
                date_filed=timezone.localdate(now),
                text=f"NOTICE OF DOCKET CORRECTION {_ref(entry)}: STRICKEN. Reason: {cleaned}",
                documents=[],
                numbered=False,
            )
            DocketEntryRevision.objects.filter(entry=entry, notice=None).update(notice=notice)
            _done(filing, clerk, QcStatus.STRICKEN, cleaned)
            _audit(actor, clerk, court, "qc_stricken", filing.pk, entry=entry.pk, notice=notice.pk)
    except QcRefused as error:
        _refusal_audited(actor, clerk, court, "qc_strike", filing_id, error)
        raise
    return filing


def deficiency_due(court: Court, on: date) -> date:
    """When a deficiency notice given on `on` must be answered: the court's number of
    days (the court's rule table for response periods is the deadlines work's)."""
    return on + timedelta(days=court.deficiency_response_days)


def filing_deficiency_notice(
    *, actor: Actor, clerk: Account, court: Court, filing_id: int, problem: str
) -> Filing:
    """Tell the filer what is deficient and by when to correct it: an email to the filer,
    and a CLERK'S NOTICE OF DEFICIENCY on the docket, served on the participants."""
    try:
        with transaction.atomic():
            cleaned = _required_text(problem, field="problem", label="Deficiency", limit=REASON_MAX)
            filing = _claim(court, filing_id)
            entry = filing.entry
            today = timezone.localdate()
            due = deficiency_due(court, today)
            notice = court_entry_create(
                actor=actor,
                staff=clerk,
                case=filing.case,
                event=catalogue_event(court, "deficiency-notice"),
                date_filed=today,
                text=(
                    f"CLERK'S NOTICE OF DEFICIENCY {_ref(entry)}: {cleaned} "
                    f"Response due by {due:%m/%d/%Y}."
                ),
                documents=[],
                numbered=False,
            )
            email_queue(
                kind="qc_deficiency",
                to=filing.filer.email,
                template="emails/qc_deficiency.txt",
                context={
                    "court": court,
                    "case": filing.case,
                    "entry": entry,
                    "filer": filing.filer,
                    "problem": cleaned,
                    "due": due,
                    "days": court.deficiency_response_days,
                },
                account=filing.filer.account,
                court=court,
            )
            filing.response_due = due
            _done(filing, clerk, QcStatus.DEFICIENT, cleaned)
            _audit(
                actor,
                clerk,
                court,
                "qc_deficiency_notice",
                filing.pk,
                entry=entry.pk,
                notice=notice.pk,
                response_due=due.isoformat(),
            )
    except QcRefused as error:
        _refusal_audited(actor, clerk, court, "qc_deficiency_notice", filing_id, error)
        raise
    return filing
