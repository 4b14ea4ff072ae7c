"""PACER access fees: what a page costs, who pays nothing, and the quarterly waiver.

$0.10 per billable page. A PDF's billable pages are its pages; an HTML report's are its
bytes in 4,320-byte pages (the receipt itself not counted). A document or a case report
(docket report, history, case summary) costs at most 30 pages ($3.00); searches and
reports that are not about one case have no cap. Every access is recorded as an
AccessCharge, free ones at zero with the reason, and no charge is owed for a calendar
quarter whose total is $30 or less.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from django.db import transaction
from django.db.models import Count, Sum
from django.utils import timezone

from nextecf.access import is_court_staff
from nextecf.accounts.models import Account, SignOn
from nextecf.audit.models import Event
from nextecf.audit.services import audit_record
from nextecf.billing.models import AccessCharge
from nextecf.cases.models import Document
from nextecf.courts.models import Court
from nextecf.lib.actor import Actor

CENTS_PER_PAGE = 10
HTML_PAGE_BYTES = 4320
CAP_PAGES = 30  # $3.00 per document or case report
QUARTERLY_WAIVER_CENTS = 3000  # a quarter totalling $30 or less is not owed

Free = AccessCharge.Free


@dataclass(frozen=True)
class Quote:
    """What an access will cost, before it is recorded (the Download Confirmation)."""

    pages: int
    cost_cents: int
    free_reason: str

    @property
    def cost(self) -> str:
        return f"{self.cost_cents / 100:.2f}"


def html_pages(*parts: str | bytes) -> int:
    """Billable pages of an HTML report (given whole or in pieces): 4,320 bytes a page, at
    least one page (a search that finds nothing still costs a page)."""
    size = sum(
        len(part) if isinstance(part, bytes) or part.isascii() else len(part.encode())
        for part in parts
    )
    return max(1, math.ceil(size / HTML_PAGE_BYTES))


def exemption_reason(*, account: Account, signon: SignOn | None, court: Court) -> str:
    """Why this person pays nothing here, or "" when they pay.

    The court's own staff and accounts with a court-granted exemption are never charged;
    a CJA-eligible account is not charged while its session is switched to exempt.
    """
    if account.fee_exempt or is_court_staff(account, court):
        return Free.COURT_EXEMPT
    if signon is not None and signon.exempt and account.cja_eligible:
        return Free.EXEMPT_SESSION
    return Free.NONE


def access_quote(
    *,
    actor: Actor,
    court: Court,
    pages: int,
    capped: bool = True,
    free_reason: str = "",
) -> Quote:
    account, signon = actor.signed_on()
    billable = min(pages, CAP_PAGES) if capped else pages
    billable = max(billable, 0)
    reason = free_reason or exemption_reason(account=account, signon=signon, court=court)
    return Quote(
        pages=billable,
        cost_cents=0 if reason else billable * CENTS_PER_PAGE,
        free_reason=reason,
    )


def access_charge(
    *,
    actor: Actor,
    court: Court,
    description: str,
    search_criteria: str,
    pages: int,
    capped: bool = True,
    free_reason: str = "",
    client_code: str | None = None,
) -> AccessCharge:
    """Record one access by the signed-on person, with the session's client code (or the
    one given, e.g. a PCL API request's X-CLIENT-CODE)."""
    account, signon = actor.signed_on()
    quote = access_quote(
        actor=actor, court=court, pages=pages, capped=capped, free_reason=free_reason
    )
    return AccessCharge.objects.create(
        account=account,
        signon=signon,
        court=court,
        client_code=signon.client_code if client_code is None else client_code,
        description=description[:100],
        search_criteria=search_criteria[:300],
        pages=quote.pages,
        cost_cents=quote.cost_cents,
        free_reason=quote.free_reason,
    )


# --- Documents --------------------------------------------------------------------------------

# A second "View Document" of the same document this soon (a double click) is not charged.
DOUBLE_SUBMIT_SECONDS = 10


def image_description(document: Document) -> str:
    """What a document's charge and receipt call it, as CM/ECF does: Image<entry>-<part>."""
    number = document.entry.number if document.entry.number is not None else document.doc_id
    return f"Image{number}-{document.attachment_number}"


def _audit_document_view(
    *, actor: Actor, court: Court, document: Document, reason: str, charge: AccessCharge | None
) -> None:
    audit_record(
        event=Event.DOCUMENT_VIEW,
        success=True,
        actor=actor,
        court=court,
        reason=reason,
        detail={
            "doc_id": document.doc_id,
            "case": document.entry.case_id,
            "pages": document.pages,
            "cost_cents": charge.cost_cents if charge else 0,
        },
    )


def document_view_charge(
    *, actor: Actor, court: Court, document: Document, free_reason: str = ""
) -> AccessCharge:
    """Charge a signed-on person for a document served (View Document) and audit the view.
    One View Document is one charge: a second one of the same document by the same sign-on
    within DOUBLE_SUBMIT_SECONDS (a double submit) finds the first charge instead."""
    _account, signon = actor.signed_on()
    description = image_description(document)
    criteria = document.entry.case.number
    with transaction.atomic():
        # A double submit waits here for the first, then finds its charge.
        SignOn.objects.select_for_update().filter(pk=signon.pk).exists()
        charge = (
            AccessCharge.objects.filter(
                signon=signon,
                court=court,
                description=description,
                search_criteria=criteria,
                created_at__gte=timezone.now() - timedelta(seconds=DOUBLE_SUBMIT_SECONDS),
            )
            .order_by("-pk")
            .first()
        )
        if charge is None:
            charge = access_charge(
                actor=actor,
                court=court,
                description=description,
                search_criteria=criteria,
                pages=document.pages,
                free_reason=free_reason,
            )
        _audit_document_view(
            actor=actor, court=court, document=document, reason=charge.free_reason, charge=charge
        )
    return charge


def document_free_look_record(*, actor: Actor, court: Court, document: Document) -> None:
    """Record a document served free through an NEF's free look: a zero charge in the
    person's history when they are signed on, and the view in the audit log either way."""
    with transaction.atomic():
        charge = None
        if actor.account is not None and actor.signon is not None:
            charge = access_charge(
                actor=actor,
                court=court,
                description=image_description(document),
                search_criteria=document.entry.case.number,
                pages=document.pages,
                free_reason=Free.FREE_LOOK,
            )
        _audit_document_view(
            actor=actor, court=court, document=document, reason=Free.FREE_LOOK, charge=charge
        )


# --- Quarters and billing history -----------------------------------------------------------


def quarter_of(day: date) -> tuple[date, date]:
    """The first and last day of the calendar quarter holding day."""
    first_month = 3 * ((day.month - 1) // 3) + 1
    start = date(day.year, first_month, 1)
    next_start = (
        date(day.year + 1, 1, 1) if first_month == 10 else date(day.year, first_month + 3, 1)
    )
    return start, next_start - timedelta(days=1)


def local_day_bounds(start: date, end: date) -> tuple[datetime, datetime]:
    """Aware datetimes [start 00:00, the day after end 00:00) in the court's time zone."""
    zone = timezone.get_current_timezone()
    return (
        datetime.combine(start, time(), tzinfo=zone),
        datetime.combine(end + timedelta(days=1), time(), tzinfo=zone),
    )


@dataclass(frozen=True)
class QuarterTotal:
    start: date
    end: date
    pages: int
    cost_cents: int

    @property
    def waived(self) -> bool:
        return self.cost_cents <= QUARTERLY_WAIVER_CENTS

    @property
    def owed_cents(self) -> int:
        return 0 if self.waived else self.cost_cents

    @property
    def cost(self) -> str:
        return f"${self.cost_cents / 100:,.2f}"

    @property
    def owed(self) -> str:
        return f"${self.owed_cents / 100:,.2f}"


def quarter_total(*, account: Account, day: date) -> QuarterTotal:
    """The account's charges in day's quarter, in every court: PACER bills the account, so
    the $30 waiver applies to its total."""
    start, end = quarter_of(day)
    low, high = local_day_bounds(start, end)
    sums = AccessCharge.objects.filter(
        account=account, created_at__gte=low, created_at__lt=high
    ).aggregate(total_pages=Sum("pages"), total_cents=Sum("cost_cents"))
    return QuarterTotal(
        start=start, end=end, pages=sums["total_pages"] or 0, cost_cents=sums["total_cents"] or 0
    )


@dataclass(frozen=True)
class ClientCodeTotal:
    client_code: str
    accesses: int
    pages: int
    cost_cents: int

    @property
    def cost(self) -> str:
        return f"${self.cost_cents / 100:,.2f}"


def totals_by_client_code(
    *, account: Account, court: Court, start: date, end: date
) -> list[ClientCodeTotal]:
    low, high = local_day_bounds(start, end)
    rows = (
        AccessCharge.objects.filter(
            account=account, court=court, created_at__gte=low, created_at__lt=high
        )
        .values("client_code")
        .annotate(accesses=Count("pk"), total_pages=Sum("pages"), total_cents=Sum("cost_cents"))
        .order_by("client_code")
    )
    return [
        ClientCodeTotal(
            client_code=row["client_code"],
            accesses=row["accesses"],
            pages=row["total_pages"] or 0,
            cost_cents=row["total_cents"] or 0,
        )
        for row in rows
    ]


@dataclass(frozen=True)
class Receipt:
    """The PACER transaction receipt shown at the end of a billable page."""

    when: datetime
    login: str
    client_code: str
    description: str
    search_criteria: str
    pages: int
    cost_cents: int
    free_reason: str = ""
    case_number: str = ""

    @property
    def cost(self) -> str:
        return f"{self.cost_cents / 100:.2f}"

    @property
    def free_label(self) -> str:
        return str(Free(self.free_reason).label) if self.free_reason else ""


def receipt_for(charge: AccessCharge, *, login: str, case_number: str = "") -> Receipt:
    return Receipt(
        when=charge.created_at,
        login=login,
        client_code=charge.client_code,
        description=charge.description,
        search_criteria=charge.search_criteria,
        pages=charge.pages,
        cost_cents=charge.cost_cents,
        free_reason=charge.free_reason,
        case_number=case_number,
    )


def receipt_for_quote(
    quote: Quote,
    *,
    actor: Actor,
    description: str,
    search_criteria: str,
    case_number: str = "",
) -> Receipt:
    account, signon = actor.signed_on()
    return Receipt(
        when=timezone.now(),
        login=account.username,
        client_code=signon.client_code,
        description=description,
        search_criteria=search_criteria,
        pages=quote.pages,
        cost_cents=quote.cost_cents,
        free_reason=quote.free_reason,
        case_number=case_number,
    )
