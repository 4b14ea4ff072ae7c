"""Case assignment in the staff workspace: the court's cases with their judge or panel, and
the page that assigns or reassigns one (cases.services.case_assign)."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods

from nextecf.access import Action
from nextecf.accounts.request import SignedOnRequest
from nextecf.cases.forms import AssignmentForm
from nextecf.cases.models import Case, Judge
from nextecf.cases.selectors import full_case_number, panel_of
from nextecf.cases.services import case_assign
from nextecf.courts.decorators import staff_page
from nextecf.courts.models import Court
from nextecf.courts.views.staff import staff_context
from nextecf.lib.actor import Actor

PAGE_SIZE = 50


@never_cache
@require_http_methods(["GET"])
@staff_page(Action.ASSIGN_CASE)
def case_list(request: SignedOnRequest, court: Court) -> HttpResponse:
    cases = (
        Case.objects.filter(court=court)
        .select_related("judge")
        .prefetch_related("panel_seats__judge")
        .order_by("-year", "-sequence")
    )
    page = Paginator(cases, PAGE_SIZE).get_page(request.GET.get("page"))
    rows = [(case, full_case_number(case, panel_of(case, prefetched=True))) for case in page]
    return render(
        request, "staff/case_list.html", staff_context(request, court, page=page, rows=rows)
    )


@never_cache
@require_http_methods(["GET", "POST"])
@staff_page(Action.ASSIGN_CASE)
def case_assignment(request: SignedOnRequest, court: Court, case_id: int) -> HttpResponse:
    case = get_object_or_404(Case.objects.select_related("judge"), pk=case_id, court=court)
    judges = Judge.objects.filter(court=court, is_active=True).order_by("name")
    panel = panel_of(case)
    initial: dict[str, object] = {"judge": case.judge}
    initial.update(zip(AssignmentForm.SEATS, panel, strict=False))
    form = AssignmentForm(
        request.POST if request.method == "POST" else None, judges=judges, initial=initial
    )
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                case = case_assign(
                    actor=Actor.from_request(request, court=court),
                    case=case,
                    judge=form.cleaned_data["judge"],
                    panel=form.panel(),
                )
            except ValidationError as error:
                for field, message in error.message_dict.items():
                    form.add_error("seat_1" if field == "panel" else field, message)
            else:
                number = full_case_number(case, panel_of(case))
                messages.success(request, f"Case {number} assigned.")
                return HttpResponseRedirect(
                    reverse("courts:staff_cases", kwargs={"court": court.pk})
                )
        status = 400
    context = staff_context(
        request, court, case=case, form=form, number=full_case_number(case, panel)
    )
    return render(request, "staff/case_assignment.html", context, status=status)
