"""Search: the words of a court's docket text and of its filed documents' text (the
Query menu's full-text search). Billed like the Query page's results: by the HTML's
pages, one page when nothing matches."""

from __future__ import annotations

from django.http import HttpResponse
from django.shortcuts import render
from django.template.loader import render_to_string
from django.urls import reverse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from nextecf.access import Action
from nextecf.accounts.request import SignedOnRequest
from nextecf.cases.forms import TextSearchForm
from nextecf.cases.models import EventType
from nextecf.cases.views.reports import _billed_page
from nextecf.courts.decorators import court_page
from nextecf.courts.models import Court
from nextecf.courts.views.court import menu_context
from nextecf.lib.search import SearchTooSlow
from nextecf.search import Criteria, court_text_search


def _events(court: Court) -> list[tuple[str, str]]:
    rows = EventType.objects.filter(court=court).order_by("name", "code")
    return [(code, name) for code, name in rows.values_list("code", "name")]


@never_cache
@require_GET
@court_page(Action.USE_CMECF)
def text_search(request: SignedOnRequest, court: Court) -> HttpResponse:
    searched = "q" in request.GET
    form = TextSearchForm(request.GET if searched else None, events=_events(court))
    if not searched:
        return render(request, "cases/text_search.html", menu_context(request, court, form=form))
    if not form.is_valid():
        return render(
            request, "cases/text_search.html", menu_context(request, court, form=form), status=400
        )
    data = form.cleaned_data
    criteria = Criteria(
        text=data["q"],
        case_number=data["case_num"],
        filed_from=data["filed_from"],
        filed_to=data["filed_to"],
        event_code=data["event"],
    )
    try:
        result = court_text_search(user=request.user, court=court, criteria=criteria)
    except SearchTooSlow as slow:
        # Nothing found, nothing billed; the form stays filled in to narrow the search.
        return render(
            request,
            "cases/text_search.html",
            menu_context(request, court, form=form, error=slow),
        )
    body = render_to_string(
        "cases/text_search_body.html",
        {"court": court, "result": result, "criteria": form.criteria()},
    )
    return _billed_page(
        request,
        court,
        title="Search results",
        body=body,
        description="Text Search",
        criteria=form.criteria(),
        capped=False,
        context={
            "again_url": reverse("courts:text_search", args=[court.pk]),
            "again_label": "New search",
        },
    )
