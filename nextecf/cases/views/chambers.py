"""Chambers in the staff workspace: a judge's cases and what awaits the judge (proposed
orders to sign, motions on the docket), and Sign and docket (filing.staff.order_sign)."""

from __future__ import annotations

from django.contrib import messages
from django.db.models import Q, QuerySet
from django.http import Http404, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods

from nextecf.access import Action, judge_served
from nextecf.accounts.request import SignedOnRequest
from nextecf.cases.forms import SignOrderForm
from nextecf.cases.models import Case, DocketEntry, Judge
from nextecf.cases.selectors import full_case_number, panel_of
from nextecf.courts.decorators import staff_page
from nextecf.courts.models import Court
from nextecf.courts.views.staff import staff_context
from nextecf.filing.staff import DocketingRefused, OrderRefused, order_sign, pdf_checked
from nextecf.lib.actor import Actor


def _judge(request: SignedOnRequest, court: Court) -> Judge:
    judge = judge_served(request.user, court)
    if judge is None:  # a judge or chambers account whose Judge record names nobody
        raise Http404("No judge record names this account.")
    return judge


def judge_cases(judge: Judge) -> QuerySet[Case]:
    """The judge's open cases: assigned to the judge or with the judge on the panel."""
    return (
        Case.objects.filter(Q(judge=judge) | Q(panel_seats__judge=judge), court_id=judge.court_id)
        .filter(date_terminated__isnull=True)
        .distinct()
        .order_by("-year", "-sequence")
    )


def unsigned_proposed_orders(case: Case) -> QuerySet[DocketEntry]:
    return DocketEntry.objects.filter(
        case=case, event__code="proposed-order", signed_as__isnull=True
    ).order_by("seq")


@never_cache
@require_http_methods(["GET"])
@staff_page(Action.CHAMBERS)
def chambers(request: SignedOnRequest, court: Court) -> HttpResponse:
    judge = _judge(request, court)
    rows = []
    for case in judge_cases(judge).select_related("judge"):
        entries = list(
            DocketEntry.objects.filter(case=case, event__code__in=["motion", "proposed-order"])
            .select_related("event", "signed_as")
            .order_by("seq")
        )
        rows.append(
            {
                "case": case,
                "number": full_case_number(case, panel_of(case)),
                "proposed": [
                    e
                    for e in entries
                    if e.event is not None
                    and e.event.code == "proposed-order"
                    and not hasattr(e, "signed_as")
                ],
                "motions": [e for e in entries if e.event is not None and e.event.code == "motion"],
            }
        )
    return render(request, "staff/chambers.html", staff_context(request, court, rows=rows))


@never_cache
@require_http_methods(["GET", "POST"])
@staff_page(Action.SIGN_ORDER)
def sign_order(request: SignedOnRequest, court: Court, case_id: int) -> HttpResponse:
    judge = _judge(request, court)
    case = get_object_or_404(judge_cases(judge), pk=case_id)
    posted = request.method == "POST"
    proposed = unsigned_proposed_orders(case)
    form = (
        SignOrderForm(request.POST, request.FILES, proposed=proposed)
        if posted
        else SignOrderForm(proposed=proposed, initial={"proposed": request.GET.get("proposed")})
    )
    error = ""
    if posted and form.is_valid():
        upload = form.cleaned_data["order"]
        order = None
        if upload:
            try:  # checked as filers' PDFs are, streamed from the upload's file
                order = pdf_checked(court=court, upload=upload, label="The order")
            except DocketingRefused as refused:
                form.add_error("order", refused.message)
        if not form.errors:
            try:
                entry = order_sign(
                    actor=Actor.from_request(request, court=court),
                    signer=request.user,
                    case=case,
                    judge=judge,
                    text=form.cleaned_data["text"],
                    order=order,
                    proposed=form.cleaned_data["proposed"],
                )
            except OrderRefused as refused:
                if refused.field in form.fields:
                    form.add_error(refused.field, refused.message)
                else:
                    error = refused.message
            else:
                messages.success(
                    request, f"Order docketed as document {entry.number}: {entry.text}"
                )
                return HttpResponseRedirect(
                    reverse("courts:staff_chambers", kwargs={"court": court.pk})
                )
    context = staff_context(
        request,
        court,
        case=case,
        number=full_case_number(case, panel_of(case)),
        form=form,
        error=error,
        signs_self=judge.account_id == request.user.pk,
        signing_judge=judge,
    )
    return render(request, "staff/sign_order.html", context, status=400 if posted else 200)
