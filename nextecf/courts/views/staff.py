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
from django.utils import timezone
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods

from nextecf.access import Action, decide, judge_served, staff_roles
from nextecf.accounts.forms.manage import MfaCodeForm
from nextecf.accounts.mfa import mfa_login_verify
from nextecf.accounts.models import Account
from nextecf.accounts.request import SignedOnRequest
from nextecf.cases.selectors import public_versions_overdue_count
from nextecf.courts.decorators import court_page, login_url, staff_page
from nextecf.courts.models import Court, EfileRegistration, StaffRole
from nextecf.courts.selectors import LinkStatus, conversion_filers, locked_filers
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


def _court(name: str) -> Callable[[Court], str]:
    return lambda court: reverse(name, kwargs={"court": court.pk})


def _not_linked(court: Court, account: Account) -> int:
    return conversion_filers(court, LinkStatus.NOT_LINKED).count()


def _locked(court: Court, account: Account) -> int:
    return locked_filers(court).count()


def _page(name: str) -> Callable[[Court], str]:
    return lambda court: reverse(name, kwargs={"court": court.pk})


def _qc_waiting(court: Court, account: Account) -> int:
    return qc_waiting(court)


def _public_versions_overdue(court: Court, account: Account) -> int:
    return public_versions_overdue_count(court, timezone.localdate())


def _pending_registrations(court: Court, account: Account) -> int:
    return EfileRegistration.objects.filter(
        court=court, status=EfileRegistration.Status.PENDING
    ).count()


# ---- The workspace's sections, in the order the home lists them. --------------------------
# Quality control (QC queue) and clerk docketing (Docket an event) add their line here when
# their pages exist.
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
        "Chambers",
        _court("courts:staff_chambers"),
        Action.CHAMBERS,
        "The judge's open cases, proposed orders awaiting signature and motions; sign and"
        " docket an order.",
    ),
    Section(
        "Conversion report",
        _court("courts:staff_conversion"),
        Action.MANAGE_FILERS,
        "How many of the court's CM/ECF filer accounts are linked to upgraded PACER accounts;"
        " the list, a CSV download and a reminder email to those not yet linked.",
        count=_not_linked,
        count_label="not yet linked",
    ),
    Section(
        "Import filer accounts",
        _court("courts:staff_filer_import"),
        Action.MANAGE_FILERS,
        "Load legacy CM/ECF accounts from a CSV file: every row checked, all or nothing.",
    ),
    Section(
        "Filer accounts",
        _court("courts:staff_filers"),
        Action.MANAGE_FILERS,
        "The court's CM/ECF filer accounts, their roles and links.",
    ),
    Section(
        "E-file registrations",
        _court("courts:staff_efile"),
        Action.MANAGE_FILERS,
        "Requests for filing rights in this court, to approve or reject.",
        count=_pending_registrations,
        count_label="pending",
    ),
    Section(
        "Locked accounts",
        _court("courts:staff_locked"),
        Action.MANAGE_FILERS,
        "CM/ECF and PACER accounts of this court's filers locked by wrong passwords, and when"
        " each lock ends.",
        count=_locked,
        count_label="locked",
    ),
    Section(
        "Case records",
        _court("courts:records_home"),
        Action.STAFF,
        "A case's access levels, protective-order admissions, grants by name and "
        "consolidation; confidential filings whose public version is late.",
        count=_public_versions_overdue,
        count_label="public versions overdue",
    ),
    Section(
        "Case assignment",
        _court("courts:staff_cases"),
        Action.ASSIGN_CASE,
        "Assign or reassign a case to a judge or a three-judge panel, seated in the court's order.",
    ),
    Section(
        "Audit log",
        _court("courts:staff_audit_log"),
        Action.AUDIT_LOG,
        "Every access attempt and change in this court, newest first.",
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
