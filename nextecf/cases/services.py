"""Workflows on a court's cases and catalogue that staff run: assigning a case to a judge
or a panel; creating a court instance (the court's row and its event catalogue and fee
schedule, copied from a template court, in one transaction)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from django.core.exceptions import ValidationError
from django.db import transaction

from nextecf.audit.models import Event
from nextecf.audit.services import audit_record
from nextecf.cases.models import Case, EventType, Judge
from nextecf.cases.selectors import judge_suffix, panel_of
from nextecf.courts.models import Court
from nextecf.lib.actor import Actor

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
