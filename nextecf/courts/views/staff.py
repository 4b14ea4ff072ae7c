"""The court's staff workspace (/<court>/staff/): its home, and the second-factor check
every staff page asks for once per sign-on.

The home is built from SECTIONS, a small registry: a section is a link to a workspace page,
the staff action that may open it, and optionally a count of what needs attention. A new
page of the workspace adds one line there (and is shown only to the roles its action
admits)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from urllib.parse import urlencode

from django.http import HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods

from nextecf.access import Action, decide, judge_served, staff_roles
from nextecf.accounts.forms.manage import MfaCodeForm
from nextecf.accounts.mfa import mfa_login_verify
from nextecf.accounts.models import Account
from nextecf.accounts.request import SignedOnRequest
from nextecf.courts.decorators import court_page, login_url, staff_page
from nextecf.courts.models import Court, EfileRegistration, StaffRole
from nextecf.filing.quality import qc_waiting
from nextecf.lib.actor import Actor

Count = Callable[[Court, Account], int]


@dataclass(frozen=True)
class Section:
    title: str
    url: Callable[[Court], str]  # the page's address in this court
    action: Action  # who sees the link: the roles this staff action admits
    description: str = ""
    count: Count | None = None  # how many items need attention, if the page has a queue
    count_label: str = ""  # e.g. "pending": "3 pending"


def _admin(name: str) -> Callable[[Court], str]:
    return lambda court: reverse(name)


def _page(name: str) -> Callable[[Court], str]:
    return lambda court: reverse(name, kwargs={"court": court.pk})


def _qc_waiting(court: Court, account: Account) -> int:
    return qc_waiting(court)


def _pending_registrations(court: Court, account: Account) -> int:
    return EfileRegistration.objects.filter(
        court=court, status=EfileRegistration.Status.PENDING
    ).count()


# ---- The workspace's sections, in the order the home lists them. --------------------------
# Quality control (QC queue), clerk docketing (Docket an event), Chambers, the conversion
# report, Import filer accounts, Filer accounts, Locked accounts and the audit log add their
# line here when their pages exist.
SECTIONS: list[Section] = [
    Section(
        "QC queue",
        _page("courts:qc_queue"),
        Action.QUALITY_CONTROL,
        "Filings docketed by filers, oldest first: accept, correct, strike or send a "
        "deficiency notice.",
        count=_qc_waiting,
        count_label="waiting",
    ),
    Section(
        "Docket an event",
        _page("courts:docket_event"),
        Action.DOCKET_EVENT,
        "Orders, minute entries, clerk's notices, judgments, summons issued, scheduling "
        "orders: with or without a PDF, served by NEF.",
    ),
    Section(
        "E-file registrations",
        _admin("admin:courts_efileregistration_changelist"),
        Action.MANAGE_FILERS,
        "Requests for filing rights in this court, to approve or reject (staff tools).",
        count=_pending_registrations,
        count_label="pending",
    ),
]
# ---- end of sections ----------------------------------------------------------------------


@dataclass(frozen=True)
class ShownSection:
    title: str
    url: str
    description: str
    count: int | None
    count_label: str


def sections_for(account: Account, court: Court) -> list[ShownSection]:
    """The sections this person may open in this court, with their counts."""
    shown = []
    for section in SECTIONS:
        if not decide(user=account, court=court, action=section.action):
            continue
        count = section.count(court, account) if section.count else None
        shown.append(
            ShownSection(
                section.title, section.url(court), section.description, count, section.count_label
            )
        )
    return shown


def staff_context(request: SignedOnRequest, court: Court, **extra: object) -> dict[str, object]:
    """What every workspace page's template needs (templates/staff/base.html)."""
    roles = staff_roles(request.user, court)
    context: dict[str, object] = {
        "court": court,
        "signon": request.signon,
        "can_file": bool(decide(user=request.user, court=court, action=Action.FILE)),
        "is_workspace_staff": True,
        "in_workspace": True,
        "roles": [role.label for role in StaffRole if role in roles],
        "judge": judge_served(request.user, court),
    }
    context.update(extra)
    return context


@never_cache
@require_http_methods(["GET"])
@staff_page(Action.STAFF_WORKSPACE)
def home(request: SignedOnRequest, court: Court) -> HttpResponse:
    sections = sections_for(request.user, court)
    return render(request, "staff/home.html", staff_context(request, court, sections=sections))


def _onward(request: SignedOnRequest, court: Court) -> str:
    """Back to the workspace page that asked for the code; never anywhere else."""
    home_url = reverse("courts:staff_home", kwargs={"court": court.pk})
    wanted = request.GET.get("next", "")
    if wanted.startswith(home_url) and "//" not in wanted and "\\" not in wanted:
        return wanted
    return home_url


@never_cache
@require_http_methods(["GET", "POST"])
@court_page(Action.STAFF_WORKSPACE)
def verify(request: SignedOnRequest, court: Court) -> HttpResponse:
    """The authenticator code a staff account gives once per sign-on before the workspace
    opens (accounts that log in with an app have given it already). Wrong codes count on
    the sign-on as at login: the fifth ends it."""
    signon = request.signon
    if not request.user.has_mfa:
        query = urlencode({"next": _onward(request, court)})
        return HttpResponseRedirect(f"{reverse('manage:mfa_add')}?{query}")
    if signon.mfa_verified:
        return HttpResponseRedirect(_onward(request, court))
    form = MfaCodeForm(request.POST if request.method == "POST" else None)
    error = ""
    if request.method == "POST" and form.is_valid():
        result = mfa_login_verify(
            signon=signon,
            code=form.cleaned_data["code"],
            actor=Actor.from_request(request, court=court),
            court=court,
        )
        if result.ok:
            return HttpResponseRedirect(_onward(request, court))
        if signon.ended_at is not None:
            return HttpResponseRedirect(login_url(court, _onward(request, court)))
        error = result.message
    context = staff_context(request, court, form=form, error=error)
    return render(request, "staff/verify.html", context, status=400 if error else 200)
