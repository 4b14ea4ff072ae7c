from __future__ import annotations

from django.http import HttpResponse
from django.shortcuts import render
from django.views.decorators.cache import never_cache

from nextecf.accounts.request import SignedOnRequest
from nextecf.billing.models import Payment
from nextecf.courts.access import Action
from nextecf.courts.decorators import court_page
from nextecf.courts.forms import DateRangeForm
from nextecf.courts.models import Court
from nextecf.courts.views import menu_context


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
        payments = list(
            Payment.objects.history(
                account_id=request.user.pk, court_id=court.pk, start=start, end=end
            )
        )
    return render(
        request,
        "billing/payment_history.html",
        menu_context(request, court, form=form, payments=payments, start=start, end=end),
        status=status,
    )
