"""The event catalogue of a court: what filers may file (and the court enter), at what fee.

The catalogue below is the starting configuration of the U.S. Court of International
Trade. Installing it creates the events a court lacks; events the court already has are
left as its staff configured them (fee, name, docket text, active), unless `overwrite` is
asked for. The fee amounts are placeholders: the current USCIT Schedule of Fees is not in
our sources, so each court's staff set the real amounts on its events.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db import transaction

from nextecf.cases.models import EventType
from nextecf.courts.models import Court

Category = EventType.Category


@dataclass(frozen=True)
class EventSpec:
    code: str
    name: str
    category: str
    docket_text: str
    fee_cents: int = 0
    requires_document: bool = True
    is_opinion: bool = False
    # The access levels beside Public a filer (or the court) may choose for its documents.
    access_levels: tuple[str, ...] = ()


# USCIT Rule 5(g) and 81(h): business-proprietary filings come as a confidential version
# and a public one; motions and briefs may be sealed or restricted to the parties' counsel.
BRIEF_LEVELS = ("restricted", "sealed", "confidential")


# Docket texts follow the CIT's own style ("Form 11 Notice of Appearance. Filed by ...").
CIT_EVENTS: tuple[EventSpec, ...] = (
    # A case is commenced by filing a summons (28 U.S.C. § 2632, USCIT Rule 3).
    EventSpec("summons", "Summons", Category.OPEN_CASE, "Summons", fee_cents=35_000),
    EventSpec(
        "complaint", "Complaint", Category.OTHER, "Complaint", access_levels=("confidential",)
    ),
    EventSpec(
        "form5", "Form 5 Information Statement", Category.OTHER, "Form 5 Information Statement"
    ),
    EventSpec(
        "form11", "Form 11 Notice of Appearance", Category.OTHER, "Form 11 Notice of Appearance"
    ),
    EventSpec(
        "form13",
        "Form 13 Disclosure Statement",
        Category.OTHER,
        "Form 13 Corporate Disclosure Statement",
    ),
    EventSpec("answer", "Answer", Category.OTHER, "Answer", access_levels=("confidential",)),
    EventSpec("motion", "Motion", Category.OTHER, "Motion", access_levels=BRIEF_LEVELS),
    EventSpec("response", "Response", Category.OTHER, "Response", access_levels=BRIEF_LEVELS),
    EventSpec("reply", "Reply", Category.OTHER, "Reply", access_levels=BRIEF_LEVELS),
    EventSpec(
        "proposed-order",
        "Proposed Order",
        Category.OTHER,
        "Proposed Order",
        access_levels=("sealed", "confidential"),
    ),
    EventSpec("stipulation", "Stipulation", Category.OTHER, "Stipulation"),
    EventSpec(
        "consent-eservice",
        "Notice of Consent to Electronic Service",
        Category.OTHER,
        "Notice of consent to Electronic Service",
    ),
    EventSpec("letter", "Letter", Category.OTHER, "Letter", access_levels=BRIEF_LEVELS),
    # Entered by the court only; never offered to filers.
    EventSpec("order", "Order", Category.COURT, "Order", access_levels=("sealed", "confidential")),
    EventSpec(
        "opinion",
        "Opinion",
        Category.COURT,
        "Slip Opinion",
        is_opinion=True,
        access_levels=("confidential",),
    ),
    EventSpec(
        "minute-entry", "Minute Entry", Category.COURT, "Minute Entry", requires_document=False
    ),
    EventSpec(
        "clerks-notice", "Clerk's Notice", Category.COURT, "CLERK'S NOTICE", requires_document=False
    ),
    EventSpec("judgment", "Judgment", Category.COURT, "JUDGMENT"),
    EventSpec(
        "summons-issued",
        "Summons Issued",
        Category.COURT,
        "Summons Issued",
        requires_document=False,
    ),
    EventSpec("scheduling-order", "Scheduling Order", Category.COURT, "SCHEDULING ORDER"),
    # Entered by quality control (nextecf/filing/quality.py), not offered for docketing.
    EventSpec(
        "docket-correction",
        "Notice of Docket Correction",
        Category.COURT,
        "NOTICE OF DOCKET CORRECTION",
        requires_document=False,
    ),
    EventSpec(
        "deficiency-notice",
        "Clerk's Notice of Deficiency",
        Category.COURT,
        "CLERK'S NOTICE OF DEFICIENCY",
        requires_document=False,
    ),
)
# The events quality control enters itself.
QC_EVENT_CODES = frozenset({"docket-correction", "deficiency-notice"})


def catalogue_event(court: Court, code: str) -> EventType:
    """The court's event with this catalogue code, created from the catalogue if the court
    lacks it (a court set up before the event was added)."""
    spec = next(spec for spec in CIT_EVENTS if spec.code == code)
    event, _ = EventType.objects.get_or_create(
        court=court,
        code=code,
        defaults={
            "name": spec.name,
            "category": spec.category,
            "docket_text": spec.docket_text,
            "requires_document": spec.requires_document,
            "position": len(CIT_EVENTS),
        },
    )
    return event


@dataclass(frozen=True)
class CatalogueResult:
    created: int
    updated: int
    unchanged: int


def catalogue_install(
    *, court: Court, events: tuple[EventSpec, ...] = CIT_EVENTS, overwrite: bool = False
) -> CatalogueResult:
    """Create the court's missing events (idempotent). With overwrite, reset existing ones to
    the catalogue's values, fees included; without it, only what must never drift is
    corrected: the category and the opinion flag (a court-only event stays court-only)."""
    created = updated = unchanged = 0
    with transaction.atomic():
        for position, spec in enumerate(events, start=1):
            values = {
                "name": spec.name,
                "category": spec.category,
                "docket_text": spec.docket_text,
                "fee_cents": spec.fee_cents,
                "requires_document": spec.requires_document,
                "is_opinion": spec.is_opinion,
                "position": position,
                "access_levels": list(spec.access_levels),
            }
            event = (
                EventType.objects.select_for_update().filter(court=court, code=spec.code).first()
            )
            if event is None:
                EventType.objects.create(court=court, code=spec.code, **values)
                created += 1
                continue
            fixed: dict[str, object] = (
                values if overwrite else {"category": spec.category, "is_opinion": spec.is_opinion}
            )
            if not overwrite and not event.access_levels and spec.access_levels:
                # Events installed before access levels existed get the catalogue's.
                fixed = {**fixed, "access_levels": list(spec.access_levels)}
            changed = [name for name, value in fixed.items() if getattr(event, name) != value]
            if overwrite and not event.is_active:
                event.is_active = True
                changed.append("is_active")
            if changed:
                for name in changed:
                    if name != "is_active":
                        setattr(event, name, fixed[name])
                event.save(update_fields=changed)
                updated += 1
            else:
                unchanged += 1
    return CatalogueResult(created=created, updated=updated, unchanged=unchanged)
