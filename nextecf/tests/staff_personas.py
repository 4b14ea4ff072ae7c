"""The staff workspace's personas and a check of one staff route against all of them, for
every test of a staff page to reuse.

`staff_people` (a fixture in conftest.py) builds, in one court: a clerk, a quality-control
clerk, a judge (with a judge record), chambers staff of *another* judge, a court
administrator; a clerk of another court; a linked filer and a public user. Every staff and
judge account has an authenticator app and signs in with a code, so a route's answer is
the access policy's, not the MFA step's.

`STAFF_ROUTES` is every court route guarded by `staff_page` (walked from the URLconf, so
a new page is in it at once); `STAFF_ROUTE_PARAMETERS` gives values for a route's path
parameters besides the court: add a line for a route that takes one. `staff_route_problems`
visits one URL as one persona and returns what is wrong (empty: all right)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, fields

from django.contrib.auth.models import AnonymousUser
from django.test import Client
from django.urls import reverse

from conftest import login
from nextecf.access import Action, decide
from nextecf.accounts.factories import AccountFactory
from nextecf.accounts.models import Account
from nextecf.audit.models import AuditEvent, Event
from nextecf.cases.factories import CaseFactory, JudgeFactory, judge_account
from nextecf.cases.models import EventType, Judge
from nextecf.courts.factories import FilerAccountFactory, staff_account
from nextecf.courts.models import Court, EfileRegistration, FilerAccount, StaffRole
from nextecf.filing.factories import filed_entry
from nextecf.lib.guards import Rule
from nextecf.tests.urlwalk import COURT_PREFIX, Route, walk


@dataclass
class StaffPeople:
    clerk: Account  # docketing clerk of this court
    qc_clerk: Account  # quality-control clerk of this court
    judge: Account  # a judge of this court (judge_record below)
    other_chambers: Account  # chambers staff of another judge of this court
    administrator: Account  # court administrator of this court
    other_clerk: Account  # clerk of another court only
    filer: Account  # a linked filer of this court
    public: Account  # an individual account with no court account or role
    judge_record: Judge
    other_judge_record: Judge


STAFF_PERSONAS = ["stranger", *(f.name for f in fields(StaffPeople) if f.type == "Account")]


def make_staff_people(court: Court, other_court: Court) -> StaffPeople:
    judge_record = JudgeFactory(court=court, name="Gary S. Katzmann", initials="GSK")
    other_judge_record = JudgeFactory(court=court, name="Jane A. Restani", initials="JAR")
    judge = judge_account(judge_record, username="judgegsk")
    other_judge = judge_account(other_judge_record, username="judgejar")
    filer = AccountFactory(username="stafffiler1")
    FilerAccountFactory(court=court, login="stafffiler", account=filer)
    return StaffPeople(
        clerk=staff_account(court, StaffRole.CLERK, username="docketclerk"),
        qc_clerk=staff_account(court, StaffRole.QC_CLERK, username="qcclerk"),
        judge=judge,
        other_chambers=staff_account(
            court, StaffRole.CHAMBERS, username="jarchambers", acts_for=other_judge
        ),
        administrator=staff_account(court, StaffRole.ADMINISTRATOR, username="courtadmin"),
        other_clerk=staff_account(other_court, StaffRole.CLERK, username="ca9clerk"),
        filer=filer,
        public=AccountFactory(username="staffpublic1"),
        judge_record=judge_record,
        other_judge_record=other_judge_record,
    )


def persona_client(
    people: StaffPeople, persona: str, court: Court
) -> tuple[Account | None, Client]:
    """The persona's account (None for a stranger) and a client signed in as it, through
    the web login (with a TOTP code for accounts that have an app)."""
    client = Client()
    if persona == "stranger":
        return None, client
    account: Account = getattr(people, persona)
    response = login(client, account.username, court=court.pk)
    assert response.status_code == 302, response.content
    return account, client


STAFF_ROUTES: list[Route] = [
    route
    for route in walk()
    if route.route.startswith(COURT_PREFIX)
    and route.guard is not None
    and route.guard.rule is Rule.STAFF_PAGE
]


# Path parameters of staff routes besides the court: route name -> a function of the
# personas and the court giving them, e.g. "courts:qc_item": lambda people, court: {...}.
def _waiting_filing(people: StaffPeople, court: Court) -> dict[str, str]:
    """A filing of this court waiting in its QC queue (a new one each time: a persona that
    may act on it must find it still waiting)."""
    filer = FilerAccount.objects.get(court=court, account=people.filer)
    event, _ = EventType.objects.get_or_create(
        court=court, code="motion", defaults={"name": "Motion", "docket_text": "Motion"}
    )
    filing = filed_entry(case=CaseFactory(court=court), filer=filer, event=event)
    return {"filing_id": str(filing.pk)}


STAFF_ROUTE_PARAMETERS: dict[str, Callable[[StaffPeople, Court], dict[str, str]]] = {
    "courts:qc_item": _waiting_filing,
    "courts:staff_case_assignment": lambda people, court: {
        "case_id": str(CaseFactory(court=court).pk)
    },
    # A case of the persona's judge (the other chambers' judge's is someone else's: 404).
    "courts:staff_sign_order": lambda people, court: {
        "case_id": str(CaseFactory(court=court, judge=people.judge_record).pk)
    },
    "courts:staff_efile_decide": lambda people, court: {
        "registration_id": str(
            EfileRegistration.objects.get_or_create(
                account=people.public, court=court, status="pending", defaults={"kind": "attorney"}
            )[0].pk
        )
    },
    "courts:staff_filer_unlock": lambda people, court: {
        "filer_id": str(FilerAccount.objects.get(court=court, account=people.filer).pk)
    },
}


def staff_url(route: Route, people: StaffPeople, court: Court) -> str:
    kwargs = {"court": court.pk}
    if route.name in STAFF_ROUTE_PARAMETERS:
        kwargs.update(STAFF_ROUTE_PARAMETERS[route.name](people, court))
    missing = [name for name in route.parameters if name not in kwargs]
    assert not missing, f"{route.route}: add {missing} to STAFF_ROUTE_PARAMETERS"
    return reverse(route.name, kwargs=kwargs)


def staff_route_problems(
    client: Client,
    account: Account | None,
    court: Court,
    url: str,
    action: Action,
    *,
    method: str = "get",
    data: dict[str, str] | None = None,
) -> list[str]:
    """Visit url as the persona; the access policy's decision for action must hold: a
    stranger goes to the login, a refused person gets the refusal page and an audited
    ACCESS_DENIED naming the action, an admitted one the page (never a server error)."""
    decision = decide(user=account or AnonymousUser(), court=court, action=action)
    before = AuditEvent.objects.filter(event_type=Event.ACCESS_DENIED).count()
    response = getattr(client, method)(url, data or {})
    status = response.status_code
    where = f"{method.upper()} {url} as {account.username if account else 'stranger'}"
    if status >= 500:
        return [f"{where}: {status}"]
    refused_page = status == 403 and any(t.name == "courts/denied.html" for t in response.templates)
    if decision:
        if refused_page or (status == 302 and "/csologin/" in response["Location"]):
            return [f"{where}: refused, the policy allows it"]
        if status == 302 and (
            "/account/mfa/" in response["Location"] or "/staff/verify/" in response["Location"]
        ):
            return [f"{where}: sent to the MFA step although the persona passed it"]
        return []
    if account is None:
        if not (status == 302 and response["Location"].startswith("/csologin/login/")):
            return [f"{where}: {status}, expected the login"]
        return []
    if not refused_page:
        return [f"{where}: {status}, expected a refusal ({decision.reason})"]
    audited = AuditEvent.objects.filter(event_type=Event.ACCESS_DENIED).order_by("pk")[before:]
    if not any(e.detail.get("action") == str(action) for e in audited):
        return [f"{where}: refused but not audited"]
    return []
