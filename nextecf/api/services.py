"""PCL searches over every court of the deployment: who may see what, the queries, billing,
the audit trail and batch reports.

Billing follows PCL (nextgen-facts §2.5, §3.1): every page of an immediate search is billed
as it is retrieved, one billable page ($0.10) per request, with no cap, and a search that
finds nothing still costs its one page. A batch report is billed once, when its results are
first downloaded: one page per 54 rows (at least one). Charges go through
billing.services.access_charge, so exemptions apply and they show in Review Billing
History; the client code is the request's X-CLIENT-CODE or else the sign-on's.
"""

from __future__ import annotations

import json
import logging
import uuid
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any, TypeVar

from django.db import transaction
from django.db.models import Exists, F, OuterRef, Q, QuerySet
from django.db.models.expressions import OrderBy
from django.utils import timezone

from nextecf.access import visible_cases
from nextecf.accounts.clientcodes import code_problem
from nextecf.accounts.models import Account
from nextecf.api import serializers as out
from nextecf.api.models import PclReport
from nextecf.api.schemas import (
    BATCH_MAX_PAGES,
    CASE_DATE_RANGES,
    CASE_SORTS,
    DEFAULT_CASE_ORDER,
    DEFAULT_PARTY_ORDER,
    MAX_PAGES,
    PAGE_SIZE,
    PARTY_SORTS,
    CaseCriteria,
    CriteriaError,
    Parsed,
    PartyCriteria,
    SortOrder,
)
from nextecf.audit.models import Event
from nextecf.audit.services import audit_record
from nextecf.billing.models import AccessCharge
from nextecf.billing.services import access_charge
from nextecf.cases.models import Case, Party
from nextecf.courts.models import Court
from nextecf.lib.actor import Actor
from nextecf.lib.search import search_time_limit

CLIENT_CODE_HEADER = "X-CLIENT-CODE"
M = TypeVar("M", Case, Party)


logger = logging.getLogger(__name__)


class TooManyReports(Exception):
    """PCL's 429: the account already holds the most batch reports it may."""


class ReportNotReady(Exception):
    """PCL's 400 for a report that has not finished (or has failed)."""


# --- Who may see what ---------------------------------------------------------------------------


def visible_everywhere(user: Account) -> QuerySet[Case]:
    """Every case, in every court, this person may find (the access policy's rule)."""
    return visible_cases(user=user)


# --- Client codes -------------------------------------------------------------------------------


def client_code_for(*, actor: Actor, header: str | None, billable: bool) -> str:
    """The client code that tags this request's charges: X-CLIENT-CODE when sent (checked as
    the web checks it: at most 32 characters, no space or comma, the account's format),
    otherwise the sign-on's. An account that requires a client code may not run a billable
    search without one."""
    account, signon = actor.signed_on()
    code = signon.client_code
    if header is not None and header.strip():
        code = header.strip()
        problem = code_problem(code, account.client_code_format)
        if problem:
            raise CriteriaError(CLIENT_CODE_HEADER, f"the client code {problem}")
    if billable and not code and account.client_code_required:
        raise CriteriaError(
            CLIENT_CODE_HEADER,
            "a client code is required for this account: send one in the X-CLIENT-CODE "
            "header or log in with a clientCode",
        )
    return code


# --- Queries ------------------------------------------------------------------------------------

_OPEN = Q(date_terminated__isnull=True) | Q(date_reopened__gte=F("date_terminated"))


def _word(field: str, word: str) -> Q:
    """The name contains this word (case-insensitive): names are stored whole."""
    return (
        Q(**{f"{field}__iexact": word})
        | Q(**{f"{field}__istartswith": f"{word} "})
        | Q(**{f"{field}__iendswith": f" {word}"})
        | Q(**{f"{field}__icontains": f" {word} "})
    )


def case_queryset(user: Account, c: CaseCriteria) -> QuerySet[Case]:
    """The cases this person may see that meet every criterion."""
    cases = visible_everywhere(user)
    if c.unmatchable:
        return cases.none()
    if c.court_ids is not None:
        ours = [court for code in c.court_ids for court in out.court_ids_from_pcl(code)]
        cases = cases.filter(court_id__in=ours)
    if c.case_id is not None:
        cases = cases.filter(pk=c.case_id)
    if c.case_year is not None:
        cases = cases.filter(year=c.case_year)
    if c.case_year_from is not None:
        cases = cases.filter(year__gte=c.case_year_from)
    if c.case_year_to is not None:
        cases = cases.filter(year__lte=c.case_year_to)
    if c.case_number is not None:
        cases = cases.filter(sequence=c.case_number)
    if c.case_number_full is not None:
        number = c.case_number_full
        cases = cases.filter(year=number.year, sequence=number.sequence)
        if number.office is not None:
            cases = cases.filter(number__startswith=f"{number.office}:")
        if number.case_type is not None:
            cases = cases.filter(number__contains=f"-{number.case_type}-")
    if c.case_office is not None:
        cases = cases.filter(number__startswith=f"{c.case_office}:")
    if c.case_types is not None:
        any_type = Q()
        for case_type in c.case_types:
            any_type |= Q(number__contains=f"-{case_type}-")
        cases = cases.filter(any_type)
    if c.case_title is not None:
        cases = cases.filter(title__istartswith=c.case_title)
    if c.case_status == "o":
        cases = cases.filter(_OPEN)
    elif c.case_status == "c":
        cases = cases.exclude(_OPEN)
    if c.jurisdiction_type is not None and c.jurisdiction_type != "cv":
        cases = cases.none()
    for name, (low, high) in c.date_ranges.items():
        column = CASE_DATE_RANGES[name]
        if name == "effectiveDateClosed":
            cases = cases.exclude(_OPEN)
        if low is not None:
            cases = cases.filter(**{f"{column}__gte": low})
        if high is not None:
            cases = cases.filter(**{f"{column}__lte": high})
    if c.party is not None:
        cases = cases.filter(Exists(party_filter(c.party).filter(case_id=OuterRef("pk"))))
    return cases


def party_filter(p: PartyCriteria) -> QuerySet[Party]:
    """Parties meeting the party criteria (their cases not yet restricted)."""
    parties = Party.objects.all()
    if p.unmatchable:
        return parties.none()
    if p.last_name is not None:
        lookup = "name__iexact" if p.exact_name_match else "name__istartswith"
        parties = parties.filter(**{lookup: p.last_name})
    for part in (p.first_name, p.middle_name, p.generation):
        if part is not None:
            parties = parties.filter(_word("name", part))
    if p.party_type is not None and p.party_type.lower() != out.PARTY_TYPE:
        parties = parties.none()
    if p.roles is not None:
        roles = [out.ROLES_BY_CODE[code] for code in p.roles if code in out.ROLES_BY_CODE]
        parties = parties.filter(role__in=roles)
    if p.description is not None:
        parties = parties.filter(extra_info__icontains=p.description)
    return parties


def party_queryset(user: Account, p: PartyCriteria) -> QuerySet[Party]:
    cases = case_queryset(user, p.court_case or CaseCriteria())
    # Each party found by name is checked against its case, rather than every visible
    # case in the deployment gathered for a subquery.
    return party_filter(p).filter(Exists(cases.filter(pk=OuterRef("case_id"))))


def ordering(
    orders: Iterable[SortOrder], columns: dict[str, str | None], default: tuple[str, ...]
) -> list[OrderBy]:
    """The sorts asked for, in priority order, then the default order (which ends with the
    row id, so pages never overlap). Empty values sort as PostgreSQL does natively: last
    ascending, first descending."""
    result: list[OrderBy] = []
    for order in orders:
        column = columns[order.field]
        if column is not None:
            expr = F(column)
            result.append(
                expr.desc(nulls_first=True) if order.descending else expr.asc(nulls_last=True)
            )
    result.extend(F(column).asc() for column in default)
    return result


# --- Immediate searches -------------------------------------------------------------------------


@dataclass(frozen=True)
class SearchKind:
    name: str  # "cases" or "parties"
    description: str  # the receipt's description
    search_type: str  # reportInfo.searchType

    @property
    def is_cases(self) -> bool:
        return self.name == "cases"


CASES = SearchKind("cases", out.CASE_SEARCH, "COURT_CASE")
PARTIES = SearchKind("parties", out.PARTY_SEARCH, "PARTY")
KINDS = {kind.name: kind for kind in (CASES, PARTIES)}


def _court_ids(criteria: CaseCriteria | PartyCriteria) -> list[str] | None:
    case = criteria if isinstance(criteria, CaseCriteria) else criteria.court_case
    return case.court_ids if case is not None else None


def billing_court(
    actor: Actor, court_ids: list[str] | None, found_in: str | None = None
) -> Court | None:
    """Where a search is billed (a charge belongs to one court's billing history): the
    court searched when the search names courts of ours (the first by id if several), else
    the court where the sign-on began, else the court of the first row found, else the
    deployment's first court by id."""
    if court_ids:
        ours = {court for code in court_ids for court in out.court_ids_from_pcl(code)}
        named = Court.objects.filter(pk__in=ours).order_by("pk").first()
        if named is not None:
            return named
    _account, signon = actor.signed_on()
    for court_id in (signon.court_id, found_in):
        if court_id:
            court = Court.objects.filter(pk=court_id).first()
            if court is not None:
                return court
    return Court.objects.order_by("pk").first()


def _first_court(rows: list[dict[str, Any]]) -> str | None:
    return out.court_id_from_pcl(rows[0]["courtId"]) if rows else None


def summary_text(parsed: Parsed, court_ids: list[str] | None, page: int | None) -> str:
    parts = [] if court_ids else ["All Courts"]
    parts.extend(parsed.summary)
    if page is not None:
        parts.append(f"Page: {page + 1}")
    return "; ".join(parts)


def _bill(
    *,
    actor: Actor,
    court: Court | None,
    kind: SearchKind,
    search: str,
    pages: int,
    client_code: str,
    report_id: str,
) -> tuple[dict[str, Any], AccessCharge | None]:
    """Record the charge and give the receipt for it."""
    when = timezone.now()
    cost_cents = 0
    charge = None
    if court is not None:  # a deployment without courts has nothing to search or bill
        charge = access_charge(
            actor=actor,
            court=court,
            description=kind.description,
            search_criteria=search,
            pages=pages,
            capped=False,
            client_code=client_code,
        )
        when, pages, cost_cents = charge.created_at, charge.pages, charge.cost_cents
    account, _signon = actor.signed_on()
    receipt = out.receipt(
        when=when,
        login=account.username,
        client_code=client_code,
        search=search,
        description=kind.description,
        cso_id=int(account.account_number),
        report_id=report_id,
        pages=pages,
        cost_cents=cost_cents,
    )
    return receipt, charge


IMMEDIATE_LIMIT = MAX_PAGES * PAGE_SIZE


def _matches_then_page(rows: QuerySet[M]) -> tuple[int, QuerySet[M]]:
    """How many rows an immediate search can show, counted up to its 5,400 (PCL's 100
    pages, the most its pages can reach, so that a broad search stops counting there),
    and the rows to sort into pages. When every match was counted
    (fewer than the limit), the page is sorted from those matches, found by their ids:
    otherwise PostgreSQL may walk a million rows in the sort's own index order, expecting
    a name's few matches to turn up early (a surname guessed at 700 parties, found at 95,
    took over 3 s). A broader search sorts as it is, where that walk is the right plan."""
    ids = list(rows.order_by().values_list("pk", flat=True)[:IMMEDIATE_LIMIT])
    if len(ids) < IMMEDIATE_LIMIT:
        return len(ids), rows.model._default_manager.filter(pk__in=ids)
    return len(ids), rows


def find(
    *,
    actor: Actor,
    kind: SearchKind,
    criteria: CaseCriteria | PartyCriteria,
    parsed: Parsed,
    orders: list[SortOrder],
    page: int,
    client_code: str,
) -> dict[str, Any]:
    """One page of an immediate search, billed as one page, audited. totalElements stops at
    the 5,400 rows an immediate search can page through. Raises SearchTooSlow (nothing
    billed) when PostgreSQL gives up at SEARCH_TIMEOUT_MS."""
    user, _signon = actor.signed_on()
    rows: list[dict[str, Any]]
    start = page * PAGE_SIZE
    with search_time_limit():
        if isinstance(criteria, CaseCriteria):
            total, cases = _matches_then_page(case_queryset(user, criteria))
            found = cases.order_by(*ordering(orders, CASE_SORTS, DEFAULT_CASE_ORDER))
            page_rows = found.select_related("judge")[start : start + PAGE_SIZE]
            rows = [out.case_item(case) for case in page_rows]
        else:
            total, parties = _matches_then_page(party_queryset(user, criteria))
            found_parties = parties.select_related("case", "case__judge").order_by(
                *ordering(orders, PARTY_SORTS, DEFAULT_PARTY_ORDER)
            )
            rows = [out.party_item(party) for party in found_parties[start : start + PAGE_SIZE]]
    court_ids = _court_ids(criteria)
    search = summary_text(parsed, court_ids, page)
    report_id = str(uuid.uuid4())
    receipt, _charge = _bill(
        actor=actor,
        court=billing_court(actor, court_ids, _first_court(rows)),
        kind=kind,
        search=search,
        pages=1,
        client_code=client_code,
        report_id=report_id,
    )
    audit_record(
        event=Event.PCL_SEARCH,
        success=True,
        actor=actor,
        detail={
            "search": kind.name,
            "page": page,
            "results": total,
            "reportId": report_id,
            "criteria": search[:500],
        },
    )
    return {
        "receipt": receipt,
        "pageInfo": out.page_info(page=page, total=total, on_page=len(rows), max_pages=MAX_PAGES),
        "content": rows,
        "masterCase": None,
    }


# --- Batch reports ------------------------------------------------------------------------------


def create_report(
    *,
    actor: Actor,
    kind: SearchKind,
    body: dict[str, Any],
    criteria: CaseCriteria | PartyCriteria,
    parsed: Parsed,
    orders: list[SortOrder],
) -> PclReport:
    """Start a batch search: the report is created here and its search queued (the rows
    are stored with the report when it has run). Creating it is free; downloading the rows
    is billed. Under the task queue's immediate mode it has run when this returns."""
    user, _signon = actor.signed_on()
    with transaction.atomic():
        # One account's requests queue here, so the limit cannot be overshot by a race.
        Account.objects.select_for_update().filter(pk=user.pk).first()
        if PclReport.objects.filter(account=user).count() >= PclReport.MAX_PER_ACCOUNT:
            raise TooManyReports
        search = summary_text(parsed, _court_ids(criteria), None)
        report = PclReport.objects.create(
            account=user,
            kind=kind.name,
            criteria=_without_ssn(body),
            echo={**parsed.echo, "requestType": "Batch", "requestSource": "Other"},
            sort=[[order.field, "DESC" if order.descending else "ASC"] for order in orders],
            search=search,
        )
    # Queued after the commit above, so the worker finds the row. The criteria travel with
    # the task (an SSN searched with is never stored with the report).
    from nextecf.api.tasks import pcl_report_run

    try:
        pcl_report_run(report_id=report.pk, actor=actor, criteria=criteria, orders=orders)
    except Exception:  # the queue is unreachable: the report says so, the request answers
        logger.exception("PCL report %s could not be queued", report.pk)
        report_fail(report_id=report.pk)
    report.refresh_from_db()
    return report


def report_run(
    *,
    report_id: int,
    actor: Actor,
    criteria: CaseCriteria | PartyCriteria,
    orders: list[SortOrder],
) -> None:
    """Run a waiting batch report (the task queue's job): its rows, where it is billed,
    and the search's audit event. A report deleted before it ran is left alone."""
    user, _signon = actor.signed_on()
    with transaction.atomic():
        report = (
            PclReport.objects.select_for_update()
            .filter(pk=report_id, status=PclReport.Status.WAITING)
            .first()
        )
        if report is None:
            return
        rows = _run(report, user, criteria, orders)
        report.court = billing_court(actor, _court_ids(criteria), _first_court(rows))
        report.save(update_fields=["court"])
        audit_record(
            event=Event.PCL_SEARCH,
            success=True,
            actor=actor,
            detail={
                "search": report.kind,
                "batch": report.pk,
                "results": report.record_count,
                "criteria": report.search[:500],
            },
        )


def report_fail(*, report_id: int) -> None:
    """A batch report whose search could not run (stopped by the statement timeout, or the
    database went away) says so, holding no rows."""
    PclReport.objects.filter(
        pk=report_id, status__in=[PclReport.Status.WAITING, PclReport.Status.RUNNING]
    ).update(status=PclReport.Status.FAILED, finished_at=timezone.now())


def _without_ssn(body: dict[str, Any]) -> dict[str, Any]:
    """The criteria to keep: an SSN given to search with is never stored."""
    kept = {key: value for key, value in body.items() if key not in ("ssn", "ssn4")}
    if isinstance(kept.get("party"), dict):
        kept["party"] = _without_ssn(kept["party"])
    return kept


def _run(
    report: PclReport,
    user: Account,
    criteria: CaseCriteria | PartyCriteria,
    orders: list[SortOrder],
) -> list[dict[str, Any]]:
    """Run the search and store its rows with the report; the rows are returned too."""
    report.status = PclReport.Status.RUNNING
    report.started_at = timezone.now()
    limit = BATCH_MAX_PAGES * PAGE_SIZE
    if isinstance(criteria, CaseCriteria):
        cases = (
            case_queryset(user, criteria)
            .select_related("judge")
            .order_by(*ordering(orders, CASE_SORTS, DEFAULT_CASE_ORDER))
        )
        rows = [out.case_item(case) for case in cases[:limit].iterator(chunk_size=2000)]
    else:
        parties = (
            party_queryset(user, criteria)
            .select_related("case", "case__judge")
            .order_by(*ordering(orders, PARTY_SORTS, DEFAULT_PARTY_ORDER))
        )
        rows = [out.party_item(party) for party in parties[:limit].iterator(chunk_size=2000)]
    report.results = json.dumps(rows)
    report.record_count = len(rows)
    report.status = PclReport.Status.COMPLETED
    report.finished_at = timezone.now()
    report.save()
    return rows


def user_reports(user: Account, kind: SearchKind) -> QuerySet[PclReport]:
    return PclReport.objects.filter(account=user, kind=kind.name).order_by("created_at", "pk")


def find_report(user: Account, kind: SearchKind, report_id: str) -> PclReport | None:
    """The caller's own report of this kind; anyone else's is as if it did not exist."""
    text = report_id.strip()
    if not (text.isascii() and text.isdigit()) or len(text) > 18:
        return None
    return user_reports(user, kind).filter(pk=int(text)).first()


def result_pages(report: PclReport) -> int:
    return out.page_count(report.record_count)


def report_info(report: PclReport) -> dict[str, Any]:
    """ReportInfo: the job's state, what downloading it costs (unbilledPageCount) or cost
    (downloadFee, in dollars), its sort and its criteria as understood."""
    kind = KINDS[report.kind]
    done = report.status == PclReport.Status.COMPLETED
    info: dict[str, Any] = {"reportId": report.pk, "status": report.status}
    if report.started_at is not None:
        info["startTime"] = out.timestamp(report.started_at)
    if report.finished_at is not None:
        info["endTime"] = out.timestamp(report.finished_at)
    fee = 0.0
    if report.receipt:
        fee = float(report.receipt.get("searchFee") or 0)
    info.update(
        recordCount=report.record_count,
        unbilledPageCount=max(1, result_pages(report)) if done and not report.receipt else 0,
        downloadFee=fee,
        pages=result_pages(report),
        sort={
            "orders": [
                SortOrder(field=name, descending=direction == "DESC").as_dict()
                for name, direction in report.sort
            ]
        },
        searchType=kind.search_type,
        criteria=report.echo,
    )
    return info


def download_report(*, actor: Actor, report: PclReport, client_code: str) -> dict[str, Any]:
    """The report's rows. The first download is billed (one page per 54 rows, at least
    one); later downloads show the same receipt and cost nothing more."""
    if report.status != PclReport.Status.COMPLETED:
        raise ReportNotReady
    kind = KINDS[report.kind]
    user, _signon = actor.signed_on()
    with transaction.atomic():
        locked = PclReport.objects.select_for_update().get(pk=report.pk)
        rows = still_visible(user, json.loads(locked.results))
        count = len(rows)
        if locked.receipt is None:
            search = f"{locked.search}; Batch Report {locked.pk}; Rows: {count}"
            court = locked.court or billing_court(actor, None)
            locked.receipt, locked.charge = _bill(
                actor=actor,
                court=court,
                kind=kind,
                search=search,
                pages=max(1, out.page_count(count)),
                client_code=client_code,
                report_id=str(locked.pk),
            )
            locked.billed_at = timezone.now()
            locked.save(update_fields=["receipt", "charge", "billed_at"])
            audit_record(
                event=Event.PCL_REPORT,
                success=True,
                actor=actor,
                detail={"report": locked.pk, "action": "download", "rows": count},
            )
    return {
        "receipt": out.ordered_receipt(locked.receipt),
        "pageInfo": {
            "number": 0,
            "size": PAGE_SIZE,
            "totalPages": out.page_count(count),
            "totalElements": count,
            "numberOfElements": count,
            "first": True,
            "last": True,
        },
        "content": rows,
    }


def still_visible(user: Account, rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """The stored rows whose case this person may still find: a report keeps what the
    search found when it ran, but a case sealed since (or otherwise out of reach now) is
    dropped when the report is read, not only when it was made."""
    ids = {row.get("caseId") for row in rows}
    visible = set(
        visible_everywhere(user)
        .filter(pk__in=[i for i in ids if isinstance(i, int)])
        .values_list("pk", flat=True)
    )
    return [row for row in rows if row.get("caseId") in visible]


def delete_report(*, actor: Actor, report: PclReport) -> None:
    report_pk = report.pk
    report.delete()
    audit_record(
        event=Event.PCL_REPORT,
        success=True,
        actor=actor,
        detail={"report": report_pk, "action": "delete"},
    )
