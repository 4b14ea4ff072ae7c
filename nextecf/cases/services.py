"""Workflows on courts, cases and documents run by the court: creating a court instance
(its row, event catalogue and fee schedule copied from a template court), assigning a case
to a judge or a panel, and the clerk's (or judge's) access levels, grants, protective-order
admissions, consolidation, and the view log's rows. Each is one transaction that writes its
audit event; who may run it is the caller's guard."""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from nextecf.accounts.models import Account
from nextecf.audit.models import Event
from nextecf.audit.services import audit_record
from nextecf.cases.models import (
    AccessLevel,
    Appearance,
    Case,
    Consolidation,
    Document,
    DocumentGrant,
    DocumentView,
    EventType,
    Judge,
    ProtectiveOrderAdmission,
    public_feed_cache_key,
)
from nextecf.cases.selectors import judge_suffix, panel_of
from nextecf.courts.models import Court, FilerAccount
from nextecf.lib.actor import Actor
from nextecf.outbox.services import email_queue

PANEL_SIZE = 3


def assignment_problems(case: Case, judge: Judge | None, panel: Sequence[Judge]) -> dict[str, str]:
    """Why an assignment cannot be made, by field ("judge", "panel"); empty when it can."""
    problems: dict[str, str] = {}
    if judge is not None and judge.court_id != case.court_id:
        problems["judge"] = "The judge must be a judge of this court."
    if any(seat.court_id != case.court_id for seat in panel):
        problems["panel"] = "Every panel judge must be a judge of this court."
    elif panel and len(panel) != PANEL_SIZE:
        problems["panel"] = f"A panel has {PANEL_SIZE} judges; choose {PANEL_SIZE} or none."
    elif len({seat.pk for seat in panel}) != len(panel):
        problems["panel"] = "A judge can hold only one seat on a panel."
    if judge is not None and panel and judge not in panel and "judge" not in problems:
        problems["judge"] = "With a panel, the presiding judge must be one of the panel."
    return problems


def case_assign(*, actor: Actor, case: Case, judge: Judge | None, panel: Sequence[Judge]) -> Case:
    """Assign (or reassign) the case: to one judge (panel empty), to a three-judge panel
    seated in exactly the order given (the court's order: the case number's initials and
    the docket's Panel lines follow it, never the judges' ids), or to nobody. With a panel,
    judge is its presiding judge, if the court names one. One transaction with its audit
    event; raises ValidationError (by field) and changes nothing for a bad assignment."""
    problems = assignment_problems(case, judge, panel)
    if problems:
        raise ValidationError(problems)
    with transaction.atomic():
        case = Case.objects.select_for_update(of=("self",)).select_related("judge").get(pk=case.pk)
        before = judge_suffix(case, panel_of(case))
        case.judge = judge
        case.save(update_fields=["judge"])
        case.panel_assign(list(panel))
        after = judge_suffix(case, list(panel))
        audit_record(
            event=Event.CASE_ASSIGNED,
            success=True,
            actor=actor,
            court=case.court,
            detail={
                "case": case.number,
                "before": before,
                "after": after,
                "judge": judge.initials if judge else "",
                "panel": [seat.initials for seat in panel],
            },
        )
    return case


MAX_FEE_CENTS = 10_000_000  # $100,000: past any federal court's fee


def court_create(
    *,
    actor: Actor,
    court_id: str,
    name: str,
    kind: str,
    time_zone: str,
    case_office: int,
    case_type: str,
    helpdesk_phone: str,
    helpdesk_email: str,
    template: Court,
    abbreviation: str = "",
    login_title: str = "",
    database_name: str = "",
    pcl_court_id: str = "",
    pcl_regions: str = "",
    fees: Mapping[str, int] | None = None,
) -> Court:
    """Create a court: its row (checked as the admin checks it) and a copy of the template
    court's events, each at the template's fee unless `fees` (event code -> cents) names
    another. Raises ValidationError naming the field; then nothing is created."""
    fees = dict(fees or {})
    court = Court(
        id=court_id.strip().lower(),
        name=name.strip(),
        kind=kind,
        time_zone=time_zone.strip(),
        case_office=case_office,
        case_type=case_type.strip().lower(),
        helpdesk_phone=helpdesk_phone.strip(),
        helpdesk_email=helpdesk_email.strip(),
        abbreviation=(abbreviation or court_id).strip().upper()[:16],
        login_title=(login_title or name).strip(),
        database_name=database_name.strip(),
        pcl_court_id=(pcl_court_id or f"{court_id.strip().lower()}dc").strip().lower(),
        pcl_regions=",".join(r.strip().lower() for r in pcl_regions.split(",") if r.strip()),
    )
    with transaction.atomic():
        # full_clean also refuses an id already taken ("Court with this Id already exists").
        court.full_clean()
        events = list(EventType.objects.filter(court=template).order_by("position", "pk"))
        if not events:
            raise ValidationError({"template": f"Court {template.pk} has no events to copy."})
        codes = {event.code for event in events}
        unknown = sorted(set(fees) - codes)
        if unknown:
            raise ValidationError(
                {"fees": f"No event {', '.join(unknown)} in court {template.pk}'s catalogue."}
            )
        bad = sorted(code for code, cents in fees.items() if not 0 <= cents <= MAX_FEE_CENTS)
        if bad:
            raise ValidationError({"fees": f"Fee out of range for {', '.join(bad)}."})
        court.save(force_insert=True)
        EventType.objects.bulk_create(
            EventType(
                court=court,
                code=event.code,
                name=event.name,
                category=event.category,
                docket_text=event.docket_text,
                fee_cents=fees.get(event.code, event.fee_cents),
                requires_document=event.requires_document,
                is_opinion=event.is_opinion,
                is_active=event.is_active,
                position=event.position,
            )
            for event in events
        )
        audit_record(
            event=Event.COURT_CREATED,
            success=True,
            actor=actor,
            court=court,
            detail={"template": template.pk, "events": len(events), "fees_set": sorted(fees)},
        )
    return court


REASON_MAX = 300


class CaseRefused(Exception):
    """A change the clerk asked for that the rules refuse: `field` names the form field,
    the message says what is wrong. Nothing was changed."""

    def __init__(self, field: str, message: str) -> None:
        super().__init__(message)
        self.field = field
        self.message = message


def _staff(actor: Actor) -> Account:
    if actor.account is None:
        raise CaseRefused("", "Only a signed-on member of the court's staff may do this.")
    return actor.account


def _reason(reason: str) -> str:
    reason = " ".join(reason.split())
    if not reason:
        raise CaseRefused("reason", "Reason: say why (it is kept in the audit log).")
    if len(reason) > REASON_MAX:
        raise CaseRefused("reason", f"Reason: at most {REASON_MAX} characters.")
    return reason


def document_view_log(
    *, actor: Actor, document: Document, role: str, channel: str, name: str = ""
) -> DocumentView | None:
    """Record one opening of a non-public document (public ones are not logged); `name`
    for an opening without a sign-on (an NEF free look: its addressee)."""
    if document.access_level == AccessLevel.PUBLIC:
        return None
    account = actor.account
    if not name:
        name = (account.full_name or account.username) if account is not None else "unknown"
    return DocumentView.objects.create(
        document=document, account=account, name=name[:200], role=role[:60], channel=channel
    )


def document_level_change(*, actor: Actor, document: Document, level: str, reason: str) -> Document:
    """The clerk sets a document's access level, with a reason (audited)."""
    staff = _staff(actor)
    if level not in AccessLevel.values:
        raise CaseRefused(
            "level", "Access level: choose public, restricted, sealed or confidential."
        )
    why = _reason(reason)
    with transaction.atomic():
        locked = (
            Document.objects.select_for_update().select_related("entry__case").get(pk=document.pk)
        )
        before = locked.access_level
        if before == level:
            raise CaseRefused("level", f"Access level: the document is already {level}.")
        locked.access_level = level
        locked.save(update_fields=["access_level"])
        # The public feed links public documents only: a stored copy must not outlive this.
        key = public_feed_cache_key(locked.entry.case.court_id)
        cache.delete(key)
        transaction.on_commit(lambda: cache.delete(key))
        audit_record(
            event=Event.DOCUMENT_LEVEL_CHANGE,
            success=True,
            actor=actor.with_account(staff),
            court=locked.entry.case.court,
            reason=why,
            detail={
                "case": locked.entry.case.number,
                "doc_id": locked.doc_id,
                "from": before,
                "to": level,
            },
        )
    return locked


def document_grant(*, actor: Actor, document: Document, username: str) -> DocumentGrant:
    """The court lets one account, by its PACER username, read a sealed document."""
    staff = _staff(actor)
    account = Account.objects.filter(username=username.strip(), is_active=True).first()
    if account is None:
        raise CaseRefused("username", "Username: no active PACER account has this username.")
    with transaction.atomic():
        grant, created = DocumentGrant.objects.get_or_create(
            document=document, account=account, defaults={"granted_by": staff}
        )
        if not created:
            raise CaseRefused("username", "Username: this account may already read it.")
        audit_record(
            event=Event.DOCUMENT_GRANT,
            success=True,
            actor=actor.with_account(staff),
            subject=account,
            court=document.entry.case.court,
            detail={"doc_id": document.doc_id, "case": document.entry.case.number},
        )
    return grant


def protective_order_admit(
    *, actor: Actor, case: Case, filer: FilerAccount
) -> ProtectiveOrderAdmission:
    """Admit counsel of record under the case's protective order (audited, emailed). The
    counsel must be a linked filer appearing in the case."""
    staff = _staff(actor)
    if filer.court_id != case.court_id or filer.account_id is None or not filer.is_active:
        raise CaseRefused("filer", "Counsel: only a linked filer of this court can be admitted.")
    with transaction.atomic():
        locked = Case.objects.select_for_update().get(pk=case.pk)
        appears = Appearance.objects.filter(
            party__case=locked, filer=filer, terminated_on__isnull=True
        ).exists()
        if not appears:
            raise CaseRefused("filer", "Counsel: only counsel of record in the case.")
        if ProtectiveOrderAdmission.objects.current().filter(case=locked, filer=filer).exists():
            raise CaseRefused("filer", "Counsel: already admitted under the protective order.")
        now = timezone.now()
        admission = ProtectiveOrderAdmission.objects.create(
            case=locked, filer=filer, admitted_by=staff, admitted_at=now
        )
        audit_record(
            event=Event.PROTECTIVE_ORDER_ADMIT,
            success=True,
            actor=actor.with_account(staff),
            subject=filer.account,
            court=locked.court,
            detail={"case": locked.number, "filer": filer.login},
        )
        _notify(locked, filer, "protective_order_admitted", now, "")
    return admission


def protective_order_remove(
    *, actor: Actor, admission: ProtectiveOrderAdmission, reason: str
) -> ProtectiveOrderAdmission:
    """End an admission (kept, with who ended it and why; audited, emailed)."""
    staff = _staff(actor)
    why = _reason(reason)
    with transaction.atomic():
        locked = (
            ProtectiveOrderAdmission.objects.select_for_update()
            .select_related("case__court", "filer")
            .get(pk=admission.pk)
        )
        if locked.removed_at is not None:
            raise CaseRefused("admission", "This admission has already been removed.")
        now = timezone.now()
        locked.removed_at, locked.removed_by, locked.reason = now, staff, why
        locked.save(update_fields=["removed_at", "removed_by", "reason"])
        audit_record(
            event=Event.PROTECTIVE_ORDER_REMOVE,
            success=True,
            actor=actor.with_account(staff),
            subject=locked.filer.account,
            court=locked.case.court,
            reason=why,
            detail={"case": locked.case.number, "filer": locked.filer.login},
        )
        _notify(locked.case, locked.filer, "protective_order_removed", now, why)
    return locked


def _notify(case: Case, filer: FilerAccount, kind: str, when: object, reason: str) -> None:
    address = filer.email or (filer.account.email if filer.account else "")
    if not address:
        return
    email_queue(
        kind=kind,
        to=address,
        template=f"emails/{kind}.txt",
        context={"court": case.court, "case": case, "filer": filer, "when": when, "reason": reason},
        account=filer.account,
        court=case.court,
    )


def case_consolidate(*, actor: Actor, lead: Case, member: Case) -> Consolidation:
    """Consolidate `member` under `lead` (same court; a lead is never itself a member, and
    a member leads nothing). Audited in both cases."""
    staff = _staff(actor)
    if lead.court_id != member.court_id:
        raise CaseRefused("member", "Member case: it must be in the same court.")
    if lead.pk == member.pk:
        raise CaseRefused("member", "Member case: a case cannot be consolidated under itself.")
    with transaction.atomic():
        locked = {
            c.pk: c for c in Case.objects.select_for_update().filter(pk__in=[lead.pk, member.pk])
        }
        lead_row, member_row = locked[lead.pk], locked[member.pk]
        if lead_row.lead_case_id is not None:
            raise CaseRefused("lead", "Lead case: it is itself a member of another lead case.")
        if member_row.lead_case_id is not None:
            raise CaseRefused("member", "Member case: it is already consolidated.")
        if Case.objects.filter(lead_case=member_row).exists():
            raise CaseRefused("member", "Member case: it is the lead case of others.")
        member_row.lead_case = lead_row
        member_row.save(update_fields=["lead_case"])
        row = Consolidation.objects.create(lead=lead_row, member=member_row, consolidated_by=staff)
        audit_record(
            event=Event.CASE_CONSOLIDATED,
            success=True,
            actor=actor.with_account(staff),
            court=lead_row.court,
            detail={"lead": lead_row.number, "member": member_row.number},
        )
    return row


def case_unconsolidate(*, actor: Actor, member: Case) -> Consolidation:
    """End a member's consolidation; its Consolidation row keeps the history."""
    staff = _staff(actor)
    with transaction.atomic():
        member_row = Case.objects.select_for_update().get(pk=member.pk)
        row = Consolidation.objects.filter(member=member_row, ended_at__isnull=True).first()
        if member_row.lead_case_id is None or row is None:
            raise CaseRefused("member", "Member case: it is not consolidated.")
        row.ended_at, row.ended_by = timezone.now(), staff
        row.save(update_fields=["ended_at", "ended_by"])
        member_row.lead_case = None
        member_row.save(update_fields=["lead_case"])
        audit_record(
            event=Event.CASE_UNCONSOLIDATED,
            success=True,
            actor=actor.with_account(staff),
            court=member_row.court,
            detail={"lead": row.lead.number, "member": member_row.number},
        )
    return row
