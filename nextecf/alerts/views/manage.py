"""Manage My Account > Docket alerts: the cases followed (email mode, private RSS feed),
the webhooks and their delivery logs; and the private feed itself."""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils.feedgenerator import Rss201rev2Feed
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods

from nextecf.accounts.decorators import account_page
from nextecf.accounts.request import SignedOnRequest
from nextecf.alerts.forms import FollowForm, WebhookForm
from nextecf.alerts.models import Subscription, Webhook, WebhookDelivery
from nextecf.alerts.services import (
    AlertRefused,
    alert_follow,
    alert_unfollow,
    may_hear_of,
    webhook_enable,
    webhook_register,
    webhook_remove,
)
from nextecf.cases.models import Case, DocketEntry
from nextecf.lib.actor import Actor
from nextecf.lib.guards import public

FEED_ITEMS = 50


def _page(
    request: SignedOnRequest,
    follow: FollowForm | None = None,
    hook: WebhookForm | None = None,
    status: int = 200,
    **extra: object,
) -> HttpResponse:
    account = request.user
    subscriptions = list(
        Subscription.objects.filter(account=account)
        .select_related("case__court")
        .order_by("case__court_id", "case__number")
    )
    return render(
        request,
        "alerts/manage.html",
        {
            "follow": follow or FollowForm(),
            "hook": hook or WebhookForm(),
            "subscriptions": subscriptions,
            "webhooks": list(Webhook.objects.filter(account=account).order_by("created_at")),
            "site": settings.SITE_URL,
            **extra,
        },
        status=status,
    )


@never_cache
@require_http_methods(["GET"])
@account_page
def overview(request: SignedOnRequest) -> HttpResponse:
    return _page(request)


@never_cache
@require_http_methods(["POST"])
@account_page
def follow(request: SignedOnRequest) -> HttpResponse:
    form = FollowForm(request.POST)
    if form.is_valid():
        data = form.cleaned_data
        case = Case.objects.filter(court=data["court"], number=data["case_number"]).first()
        try:
            if case is None:
                raise AlertRefused("no_case", "Case number: no such case.", field="case_number")
            alert_follow(
                account=request.user,
                case=case,
                email=Subscription.Email(data["email"]),
                actor=Actor.from_request(request, court=case.court),
            )
        except AlertRefused as refused:
            form.add_error("case_number", refused.message)
        else:
            messages.success(request, f"You follow {case.number} {case.title}.")
            return HttpResponseRedirect(reverse("manage:alerts"))
    return _page(request, follow=form, status=400)


@never_cache
@require_http_methods(["POST"])
@account_page
def unfollow(request: SignedOnRequest, pk: int) -> HttpResponse:
    if alert_unfollow(account=request.user, subscription_id=pk, actor=Actor.from_request(request)):
        messages.success(request, "You no longer follow that case.")
    return HttpResponseRedirect(reverse("manage:alerts"))


@never_cache
@require_http_methods(["POST"])
@account_page
def webhook_add(request: SignedOnRequest) -> HttpResponse:
    form = WebhookForm(request.POST)
    if form.is_valid():
        try:
            webhook, secret = webhook_register(
                account=request.user,
                url=form.cleaned_data["url"],
                actor=Actor.from_request(request),
            )
        except AlertRefused as refused:
            form.add_error("url", refused.message)
        else:
            return render(
                request, "alerts/webhook_made.html", {"webhook": webhook, "secret": secret}
            )
    return _page(request, hook=form, status=400)


@never_cache
@require_http_methods(["POST"])
@account_page
def webhook_delete(request: SignedOnRequest, pk: int) -> HttpResponse:
    if webhook_remove(account=request.user, webhook_id=pk, actor=Actor.from_request(request)):
        messages.success(request, "The webhook is removed.")
    return HttpResponseRedirect(reverse("manage:alerts"))


@never_cache
@require_http_methods(["POST"])
@account_page
def webhook_turn_on(request: SignedOnRequest, pk: int) -> HttpResponse:
    if webhook_enable(account=request.user, webhook_id=pk, actor=Actor.from_request(request)):
        messages.success(request, "The webhook is on again.")
    return HttpResponseRedirect(reverse("manage:alerts"))


@never_cache
@require_http_methods(["GET"])
@account_page
def webhook_log(request: SignedOnRequest, pk: int) -> HttpResponse:
    webhook = Webhook.objects.filter(pk=pk, account=request.user).first()
    if webhook is None:
        raise Http404
    deliveries = list(
        WebhookDelivery.objects.filter(webhook=webhook)
        .select_related("entry__case")
        .order_by("-created_at")[:200]
    )
    return render(
        request, "alerts/webhook_log.html", {"webhook": webhook, "deliveries": deliveries}
    )


@public
@never_cache
@require_http_methods(["GET"])
def feed(request: HttpRequest, key: str) -> HttpResponse:
    """A followed case's private RSS feed: its newest entries, as its follower may see
    them now (a case sealed since is an empty feed)."""
    subscription = (
        Subscription.objects.select_related("case__court", "account").filter(feed_key=key).first()
        if 20 <= len(key) <= 64
        else None
    )
    if subscription is None:
        raise Http404
    case = subscription.case
    docket = f"{settings.SITE_URL}/{case.court_id}/cgi-bin/DktRpt.pl?{case.pk}"
    rss = Rss201rev2Feed(
        title=f"{case.number} {case.title}",
        link=docket,
        description=f"New docket entries in {case.number}, {case.court.name}",
        language="en",
    )
    if may_hear_of(subscription.account, case):
        entries = (
            DocketEntry.objects.filter(case=case)
            .select_related("event")
            .order_by("-seq")[:FEED_ITEMS]
        )
        for entry in entries:
            event = entry.event.name if entry.event is not None else "Docket entry"
            rss.add_item(
                title=f"{case.number} {event}",
                link=f"{docket}#{entry.seq}",
                description=f"[{event}] ({entry.number or ''}) {entry.text}",
                unique_id=f"{docket}#{entry.seq}",
                unique_id_is_permalink=True,
                pubdate=entry.entered_at,
            )
    response = HttpResponse(content_type="application/rss+xml; charset=utf-8")
    rss.write(response, "utf-8")
    response["Referrer-Policy"] = "no-referrer"
    return response
