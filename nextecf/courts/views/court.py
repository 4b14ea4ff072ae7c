from __future__ import annotations

from django.conf import settings
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.http.request import split_domain_port
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods

from nextecf.access import Action, decide, staff_roles
from nextecf.accounts.cookies import set_signon_cookie
from nextecf.accounts.request import AnyRequest, SignedOnRequest
from nextecf.accounts.services import (
    signon_client_code_set,
    signon_exemption_refused,
    signon_exemption_set,
)
from nextecf.accounts.views.login import logout_now
from nextecf.courts.decorators import court_page, fresh_signon
from nextecf.courts.forms.court import ClientCodeForm, LinkForm
from nextecf.courts.models import Court, FilerAccount
from nextecf.courts.services import (
    LinkRefused,
    link_cancel,
    link_confirm,
    link_form_open,
    link_pending,
    link_start,
)
from nextecf.courts.training import training_url
from nextecf.lib.actor import Actor
from nextecf.lib.guards import public


@public
def deployment_home(request: HttpRequest) -> HttpResponse:
    """Every court of the deployment. On a host under ECF_DOMAIN each links to its own
    host, ecf.<court>.<ECF_DOMAIN> (same scheme and port); elsewhere to /<court>/."""
    domain = (settings.ECF_DOMAIN or "").strip(".").lower()
    host, port = split_domain_port(request.get_host())
    on_domain = bool(domain) and (host == domain or host.endswith(f".{domain}"))
    courts = [
        (
            court,
            f"{request.scheme}://ecf.{court.pk}.{domain}{':' + port if port else ''}/"
            if on_domain
            else reverse("courts:home", args=[court.pk]),
        )
        for court in Court.objects.order_by("name")
    ]
    return render(request, "courts/deployment_home.html", {"courts": courts})


@public
def court_home(request: HttpRequest, court: str) -> HttpResponse:
    """The court's public CM/ECF page with the link into its database."""
    court_obj = get_object_or_404(Court, pk=court)
    return render(
        request, "courts/home.html", {"court": court_obj, "training_url": training_url(court_obj)}
    )


@public
@never_cache
@require_http_methods(["GET", "POST"])
def login_pl(request: AnyRequest, court: str) -> HttpResponse:
    """CM/ECF's entry point. `?logout` asks to log out (the menu's Log Out link); POSTing it
    logs out of every court; otherwise it is the main page, after the central login."""
    court_obj = get_object_or_404(Court, pk=court)
    if "logout" in request.GET:
        if request.method == "POST":
            return logout_now(request, court_obj)
        return render(request, "accounts/logout.html", {"court": court_obj})
    return main(request, court)


@court_page(Action.USE_CMECF)
def main(request: SignedOnRequest, court: Court) -> HttpResponse:
    return render(request, "courts/main.html", menu_context(request, court))


def menu_context(request: SignedOnRequest, court: Court, **extra: object) -> dict[str, object]:
    context: dict[str, object] = {
        "court": court,
        "can_file": bool(decide(user=request.user, court=court, action=Action.FILE)),
        "is_workspace_staff": bool(staff_roles(request.user, court)),
        "signon": request.signon,
    }
    context.update(extra)
    return context


def public_context(request: HttpRequest, court: Court, **extra: object) -> dict[str, object]:
    """A public page's context: with the CM/ECF menu bar for someone signed on who may use
    CM/ECF here, else in the court's plain public frame."""
    signed_on = bool(decide(user=request.user, court=court, action=Action.USE_CMECF))
    context: dict[str, object] = {
        "court": court,
        "base_template": "courts/cmecf_base.html" if signed_on else "base.html",
        "can_file": signed_on and bool(decide(user=request.user, court=court, action=Action.FILE)),
        "signon": getattr(request, "signon", None),
    }
    context.update(extra)
    return context


@court_page(Action.USE_CMECF)
def utilities(request: SignedOnRequest, court: Court) -> HttpResponse:
    linked = FilerAccount.objects.filter(court=court, account=request.user).first()
    return render(request, "courts/utilities.html", menu_context(request, court, linked=linked))


@court_page(Action.USE_CMECF)
def release_menu(request: SignedOnRequest, court: Court) -> HttpResponse:
    return render(request, "courts/release_menu.html", menu_context(request, court))


@public
def help_page(request: HttpRequest, court: str) -> HttpResponse:
    """Help needs no login: it is where someone who cannot log in looks first."""
    court_obj = get_object_or_404(Court, pk=court)
    return render(request, "courts/help.html", public_context(request, court_obj))


# --- Linking (the seed's steps 4-6) ---------------------------------------------------------


@never_cache
@require_http_methods(["GET", "POST"])
@court_page(Action.LINK_ACCOUNT)
@fresh_signon
def link(request: SignedOnRequest, court: Court) -> HttpResponse:
    form = LinkForm(request.POST if request.method == "POST" else None)
    error = ""
    if request.method == "GET":
        link_form_open(actor=Actor.from_request(request, court=court), court=court)
    elif form.is_valid():
        try:
            link_start(
                actor=Actor.from_request(request),
                signon=request.signon,
                court=court,
                login=form.cleaned_data["login"],
                password=form.cleaned_data["password"],
            )
        except LinkRefused as refusal:
            if refusal.reason == "invalid_credentials":
                error = "Invalid CM/ECF login or password."
            else:
                return _link_refused(request, court, refusal.reason)
        else:
            return HttpResponseRedirect(reverse("courts:link_confirm", args=[court.pk]))
    return render(
        request, "courts/link_form.html", menu_context(request, court, form=form, error=error)
    )


def _link_refused(request: SignedOnRequest, court: Court, reason: str) -> HttpResponse:
    linked = FilerAccount.objects.filter(court=court, account=request.user).first()
    status = 429 if reason == "throttled" else 409 if "linked" in reason else 400
    return render(
        request,
        "courts/link_refused.html",
        menu_context(request, court, reason=reason, linked=linked),
        status=status,
    )


@never_cache
@require_http_methods(["GET", "POST"])
@court_page(Action.LINK_ACCOUNT)
def link_confirm_view(request: SignedOnRequest, court: Court) -> HttpResponse:
    """Step 5. GET shows both names; only a POST of Submit links."""
    if request.method == "POST":
        pending_id = request.POST.get("p", "")[:64]
        if "back" in request.POST:
            link_cancel(
                actor=Actor.from_request(request),
                signon=request.signon,
                court=court,
                pending_id=pending_id,
            )
            return HttpResponseRedirect(reverse("courts:link", args=[court.pk]))
        try:
            result = link_confirm(
                actor=Actor.from_request(request),
                signon=request.signon,
                court=court,
                pending_id=pending_id,
            )
        except LinkRefused as refusal:
            return _link_refused(request, court, refusal.reason)
        response = HttpResponseRedirect(reverse("courts:link_done", args=[court.pk]))
        set_signon_cookie(response, result.token, request=request)
        return response
    try:
        pending = link_pending(
            actor=Actor.from_request(request, court=court), signon=request.signon, court=court
        )
    except LinkRefused as refusal:
        return _link_refused(request, court, refusal.reason)
    filer = pending.filer_account
    names_differ = filer.full_name.casefold() != request.user.full_name.casefold()
    return render(
        request,
        "courts/link_confirm.html",
        menu_context(request, court, pending=pending, filer=filer, names_differ=names_differ),
    )


@court_page(Action.USE_CMECF)
def link_done(request: SignedOnRequest, court: Court) -> HttpResponse:
    """Step 6. Shown to a linked filer; anyone else is sent to the link form."""
    linked = FilerAccount.objects.filter(court=court, account=request.user).first()
    if linked is None:
        return HttpResponseRedirect(reverse("courts:link", args=[court.pk]))
    return render(request, "courts/link_done.html", menu_context(request, court, linked=linked))


# --- Session settings ---------------------------------------------------------------------


@never_cache
@require_http_methods(["GET", "POST"])
@court_page(Action.USE_CMECF)
def client_code(request: SignedOnRequest, court: Court) -> HttpResponse:
    signon = request.signon
    form = ClientCodeForm(
        request.POST if request.method == "POST" else None,
        initial={"client_code": signon.client_code},
        required=request.user.client_code_required,
        code_format=request.user.client_code_format,
    )
    saved = False
    if request.method == "POST" and form.is_valid():
        signon_client_code_set(
            actor=Actor.from_request(request, court=court),
            signon=signon,
            client_code=form.cleaned_data["client_code"],
        )
        saved = True
    return render(
        request, "courts/client_code.html", menu_context(request, court, form=form, saved=saved)
    )


@never_cache
@require_http_methods(["GET", "POST"])
@court_page(Action.USE_CMECF)
def exemption(request: SignedOnRequest, court: Court) -> HttpResponse:
    signon = request.signon
    eligible = bool(decide(user=request.user, court=court, action=Action.CHANGE_EXEMPTION))
    if request.method == "POST":
        if not eligible:
            signon_exemption_refused(
                actor=Actor.from_request(request, court=court), reason="not_cja_eligible"
            )
            return render(
                request,
                "courts/exemption.html",
                menu_context(request, court, eligible=False),
                status=403,
            )
        wanted = request.POST.get("exempt")
        if wanted not in {"yes", "no"}:
            return render(
                request,
                "courts/exemption.html",
                menu_context(request, court, eligible=True, error="Choose Exempt or Non-exempt."),
                status=400,
            )
        signon_exemption_set(
            actor=Actor.from_request(request, court=court), signon=signon, exempt=wanted == "yes"
        )
    return render(request, "courts/exemption.html", menu_context(request, court, eligible=eligible))
