"""The mobile query (mobile_query.pl?search=<page>&caseid=<id>), CM/ECF's small-screen
case pages. PACER client software (juriscraper's MobileQuery, which CourtListener uses to
see whether a docket has grown) reads the number of docket entries from the case page.
Free, as at CM/ECF: its footer shows no "Cost:"."""

from __future__ import annotations

from django.http import HttpResponse
from django.shortcuts import render
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods

from nextecf.access import Action
from nextecf.accounts.request import SignedOnRequest
from nextecf.cases.selectors import full_case_number, panel_of, parse_case_id
from nextecf.cases.views.query_reports import _attorney_rows, _party_rows
from nextecf.cases.views.reports import _visible_case
from nextecf.courts.decorators import court_page
from nextecf.courts.models import Court

# The search= values CM/ECF answers, by both the names of its own links (atty, pty,
# deadLines, dktEntry) and the long ones; anything else is the case page.
PAGES = {
    "caseinfo": "caseInfo",
    "atty": "attorneys",
    "attorneys": "attorneys",
    "pty": "parties",
    "parties": "parties",
    "deadlines": "deadlines",
    "dktentry": "docketEntries",
    "docketentries": "docketEntries",
}


@csrf_exempt  # read-only and free; PACER client software posts it without a CSRF token
@never_cache
@require_http_methods(["GET", "POST"])
@court_page(Action.USE_CMECF)
def mobile_query(request: SignedOnRequest, court: Court) -> HttpResponse:
    """The case's mobile pages. caseInfo (and any search= it does not know): number, date
    filed, caption, and links to its attorneys, parties, deadlines and docket entries (with
    their count); the others list those. juriscraper 4.0.1 asks for `caseid==<id>` (a
    doubled "="), so the id is read past a leading "="."""
    case_text = str(request.GET.get("caseid", "")).lstrip("=")
    case_id = parse_case_id(case_text) if case_text else None
    case = _visible_case(request, court, case_id) if case_id is not None else None
    page = PAGES.get(str(request.GET.get("search", "")).lower(), "caseInfo")
    context: dict[str, object] = {
        "court": court,
        "case": case,
        "asked": case_text[:20],
        "page": page,
    }
    if case is not None:
        context["number"] = full_case_number(case, panel_of(case))
        if page == "caseInfo":
            context["entries"] = case.entries.count()
        elif page == "attorneys":
            context["rows"] = _attorney_rows(case)
        elif page == "parties":
            context["rows"] = _party_rows(case)
        elif page == "docketEntries":
            context["rows"] = case.entries.order_by("seq").values_list(
                "date_filed", "number", "text"
            )
    status = 400 if case_text and case_id is None else 200
    return render(request, "cases/mobile_query.html", context, status=status)
