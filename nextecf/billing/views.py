from __future__ import annotations

from datetime import date, timedelta

from django.db.models import Q, Sum
from django.db.models.functions import TruncQuarter
from django.http import HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from nextecf.access import Action
from nextecf.accounts.request import SignedOnRequest
from nextecf.billing.forms import AccessRangeForm
from nextecf.billing.models import AccessCharge, Payment
from nextecf.billing.services import (
    QuarterTotal,
    local_day_bounds,
    quarter_of,
    quarter_total,
    totals_by_client_code,
)
from nextecf.cases.models import DocketEntry
from nextecf.courts.decorators import court_page
from nextecf.courts.models import Court, FilerAccount
from nextecf.courts.views.court import menu_context
from nextecf.lib.forms import DateRangeForm
from nextecf.lib.pagination import paginate


@never_cache
@court_page(Action.USE_CMECF)
def payment_history(request: SignedOnRequest, court: Court) -> HttpResponse:
    start, end = Payment.objects.default_range()
    form = DateRangeForm(
        request.GET if "start" in request.GET else None, initial={"start": start, "end": end}
    )
    payments = None
    status = 200
    if form.is_bound:
        if form.is_valid():
            start, end = form.cleaned_data["start"], form.cleaned_data["end"]
        else:
            status = 400
    if status == 200:
        payments = paginate(
            Payment.objects.history(
                account_id=request.user.pk, court_id=court.pk, start=start, end=end
            ).order_by("-paid_at", "-pk"),
            request.GET,
        )
    return render(
        request,
        "billing/payment_history.html",
        menu_context(request, court, form=form, payments=payments, start=start, end=end),
        status=status,
    )


def _range(
    request: SignedOnRequest, start: date, end: date
) -> tuple[AccessRangeForm, date, date, str, bool]:
    """The asked-for range (or the default), the sort, and whether the form was valid."""
    bound = "start" in request.GET or "end" in request.GET or "sort" in request.GET
    form = AccessRangeForm(
        request.GET if bound else None, initial={"start": start, "end": end, "sort": "date"}
    )
    if not bound:
        return form, start, end, "date", True
    if not form.is_valid():
        return form, start, end, "date", False
    data = form.cleaned_data
    return form, data["start"], data["end"], data["sort"] or "date", True


@never_cache
@require_GET
@court_page(Action.USE_CMECF)
def billing_history(request: SignedOnRequest, court: Court) -> HttpResponse:
    """Review Billing History: this account's accesses in this court for a date range
    (default: this quarter), totals by client code, and each quarter's total (in every
    court) with whether the $30 quarterly waiver applies."""
    today = timezone.localdate()
    form, start, end, sort, valid = _range(request, *quarter_of(today))
    context = menu_context(
        request,
        court,
        form=form,
        start=start,
        end=end,
        current=quarter_total(account=request.user, day=today),
    )
    if not valid:
        return render(request, "billing/billing_history.html", context, status=400)
    low, high = local_day_bounds(start, end)
    charges = AccessCharge.objects.filter(
        account=request.user, court=court, created_at__gte=low, created_at__lt=high
    )
    order = ["client_code", "created_at", "pk"] if sort == "client_code" else ["created_at", "pk"]
    # A page of the accesses; the totals always cover the whole range.
    rows = paginate(charges.order_by(*order), request.GET)
    by_code = totals_by_client_code(account=request.user, court=court, start=start, end=end)
    # Whole quarters touched by the range, across every court: the waiver is per account.
    quarter_low, _ = local_day_bounds(quarter_of(start)[0], quarter_of(start)[0])
    _, quarter_high = local_day_bounds(quarter_of(end)[1], quarter_of(end)[1])
    quarters = [
        QuarterTotal(
            start=quarter_of(timezone.localtime(row["quarter"]).date())[0],
            end=quarter_of(timezone.localtime(row["quarter"]).date())[1],
            pages=row["total_pages"] or 0,
            cost_cents=row["total_cents"] or 0,
        )
        for row in AccessCharge.objects.filter(
            account=request.user, created_at__gte=quarter_low, created_at__lt=quarter_high
        )
        .annotate(quarter=TruncQuarter("created_at"))
        .values("quarter")
        .annotate(total_pages=Sum("pages"), total_cents=Sum("cost_cents"))
        .order_by("quarter")
    ]
    context.update(
        rows=rows,
        by_code=by_code,
        total_pages=sum(t.pages for t in by_code),
        total_accesses=sum(t.accesses for t in by_code),
        total=f"${sum(t.cost_cents for t in by_code) / 100:,.2f}",
        quarters=quarters,
        sort=sort,
        ran=True,
    )
    return render(request, "billing/billing_history.html", context)


@never_cache
@require_GET
@court_page(Action.USE_CMECF)
def transaction_log(request: SignedOnRequest, court: Court) -> HttpResponse:
    """View Your Transaction Log: the docket entries this person filed (through their
    CM/ECF account) or entered in this court, by filing date (default: the last 30 days)."""
    today = timezone.localdate()
    form, start, end, _sort, valid = _range(request, today - timedelta(days=30), today)
    filer = FilerAccount.objects.filter(court=court, account=request.user).first()
    context = menu_context(request, court, form=form, start=start, end=end, filer=filer)
    if not valid:
        return render(request, "billing/transaction_log.html", context, status=400)
    mine = Q(entered_by=request.user) | (Q(filer=filer) if filer is not None else Q(pk__in=[]))
    entries = paginate(
        DocketEntry.objects.filter(mine, case__court=court)
        .filter(date_filed__gte=start, date_filed__lte=end)
        .select_related("case", "event")
        .order_by("-entered_at", "-pk"),
        request.GET,
    )
    context.update(entries=entries, ran=True)
    return render(request, "billing/transaction_log.html", context)
