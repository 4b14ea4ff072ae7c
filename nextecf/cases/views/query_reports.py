"""The sub-reports CM/ECF's Query page links for a case, at CM/ECF's own script names:
Alias (qryAlias.pl), Associated Cases (qryAscCases.pl), Attorney (qryAttorneys.pl),
Deadlines/Hearings (SchedQry.pl), Party (qryParties.pl), Related Transactions
(RelTransactQry.pl), Status (StatusQry.pl) and Summary (qrySumry.pl), each ?<case id>; and
DisplayMenu.pl?<menu>, the menu bar's Query, Reports and Utilities. Each report starts
with the case's caption block, as CM/ECF's do (juriscraper's CaseQuery reads it), and is
billed like the Query page's other reports, by the page without the 30-page cap (query
results are not capped)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from django.db.models import Count, Max, Q
from django.http import HttpResponse, HttpResponseRedirect
from django.template.loader import render_to_string
from django.urls import reverse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from nextecf.access import Action
from nextecf.accounts.request import SignedOnRequest
from nextecf.cases.models import Appearance, Case, DocketEntry
from nextecf.cases.selectors import full_case_number, panel_of, short_description
from nextecf.cases.views.reports import _billed_page, _case_from_address, _problem
from nextecf.courts.decorators import court_page
from nextecf.courts.models import Court
from nextecf.lib.dates import mdy

Rows = list[list[str]]


@dataclass(frozen=True)
class SubReport:
    title: str  # as the Query page lists it
    columns: tuple[str, ...]
    rows: Callable[[Case], Rows]
    empty: str  # what the report says without rows


def _party_rows(case: Case) -> Rows:
    return [
        [party.name, party.get_role_display(), mdy(party.terminated_on)]
        for party in case.parties.all()
    ]


def _attorney_rows(case: Case) -> Rows:
    appearances = (
        Appearance.objects.filter(party__case=case)
        .select_related("filer", "party")
        .order_by("filer__last_name", "filer__first_name", "party__position", "pk")
    )
    rows = []
    for appearance in appearances:
        roles = ["LEAD ATTORNEY"] if appearance.lead else []
        roles += [str(role) for role in appearance.designations]
        roles += ["ATTORNEY TO BE NOTICED"] if appearance.to_be_noticed else []
        rows.append(
            [
                appearance.filer.full_name,
                f"{appearance.party.name} ({appearance.party.get_role_display()})",
                ", ".join(roles),
                mdy(appearance.terminated_on),
            ]
        )
    return rows


def _related_rows(case: Case) -> Rows:
    entries = DocketEntry.objects.filter(case=case, number__isnull=False).select_related("event")
    return [
        [str(entry.number), mdy(entry.date_filed), short_description(entry)]
        for entry in entries.order_by("number")
    ]


def _status_rows(case: Case) -> Rows:
    closed = case.date_terminated and not (
        case.date_reopened and case.date_reopened >= case.date_terminated
    )
    flags = [*case.flags, *(["SEALED"] if case.is_sealed else [])]
    return [
        ["Status", "Closed" if closed else "Open"],
        ["Date filed", mdy(case.date_filed)],
        ["Date terminated", mdy(case.date_terminated)],
        ["Date reopened", mdy(case.date_reopened)],
        ["Flags", ", ".join(flags)],
    ]


def _summary_rows(case: Case) -> Rows:
    counts = case.entries.aggregate(
        entries=Count("pk"),
        documents=Count("pk", filter=Q(number__isnull=False)),
        last=Max("date_filed"),
    )
    return [
        ["Parties", str(case.parties.count())],
        ["Attorneys", str(Appearance.objects.filter(party__case=case).count())],
        ["Docket entries", str(counts["entries"])],
        ["Numbered entries", str(counts["documents"])],
        ["Date of last filing", mdy(counts["last"])],
    ]


def _none(case: Case) -> Rows:
    return []


# Aliases, associated (consolidated) cases and deadlines are not kept yet: those reports
# say so, in CM/ECF's words, as it does for a case without them.
REPORTS: dict[str, SubReport] = {
    "qryAlias.pl": SubReport(
        "Alias", ("Party", "Alias"), _none, "There are no aliases for parties in this case."
    ),
    "qryAscCases.pl": SubReport(
        "Associated Cases", ("Case", "Type"), _none, "There are no associated cases."
    ),
    "qryAttorneys.pl": SubReport(
        "Attorney",
        ("Attorney", "Representing", "Roles", "Terminated"),
        _attorney_rows,
        "There are no attorneys in this case.",
    ),
    "SchedQry.pl": SubReport(
        "Deadlines/Hearings",
        ("Deadline or hearing", "Date", "Set by"),
        _none,
        "There are no deadlines or hearings in this case.",
    ),
    "qryParties.pl": SubReport(
        "Party", ("Party", "Role", "Terminated"), _party_rows, "There are no parties."
    ),
    "RelTransactQry.pl": SubReport(
        "Related Transactions",
        ("Document", "Date filed", "Description"),
        _related_rows,
        "There are no documents in this case.",
    ),
    "StatusQry.pl": SubReport("Status", ("", ""), _status_rows, ""),
    "qrySumry.pl": SubReport("Summary", ("", ""), _summary_rows, ""),
}


@never_cache
@require_GET
@court_page(Action.USE_CMECF)
def sub_report(request: SignedOnRequest, court: Court, script: str) -> HttpResponse:
    """<script>?<case id>: one of REPORTS for a case (billed, not capped)."""
    report = REPORTS[script]
    case, refusal = _case_from_address(request, court)
    if case is None:
        assert refusal is not None
        return refusal
    panel = panel_of(case)
    number = full_case_number(case, panel)
    body = render_to_string(
        "cases/query_report_body.html",
        {
            "court": court,
            "case": case,
            "panel": panel,
            "number": number,
            "last_filing": case.entries.aggregate(last=Max("date_filed"))["last"],
            "report": report,
            "rows": report.rows(case),
        },
    )
    return _billed_page(
        request,
        court,
        title=f"{report.title} {case.number}",
        body=body,
        description=report.title,
        criteria=number,
        capped=False,
    )


MENUS = {"Query": "courts:query", "Reports": "courts:reports", "Utilities": "courts:utilities"}


@never_cache
@require_GET
@court_page(Action.USE_CMECF)
def display_menu(request: SignedOnRequest, court: Court) -> HttpResponse:
    """DisplayMenu.pl?Reports (or ?Query, ?Utilities): the menu bar's pages."""
    name = request.META.get("QUERY_STRING", "")
    if name not in MENUS:
        return _problem(
            request,
            court,
            400,
            "Invalid menu",
            "The address must name a menu: DisplayMenu.pl?Query, ?Reports or ?Utilities.",
        )
    return HttpResponseRedirect(reverse(MENUS[name], args=[court.pk]))
