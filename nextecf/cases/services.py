"""Creating a court instance: the court's row and its event catalogue and fee schedule,
copied from a template court, in one transaction."""

from __future__ import annotations

from collections.abc import Mapping

from django.core.exceptions import ValidationError
from django.db import transaction

from nextecf.audit.models import Event
from nextecf.audit.services import audit_record
from nextecf.cases.models import EventType
from nextecf.courts.models import Court
from nextecf.lib.actor import Actor

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
