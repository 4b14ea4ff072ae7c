"""The page-access matrix, generated: every kind of person against every court route the
URLconf serves (not a hand-kept list), each route judged by the guard it declares.

A route behind the access policy must admit exactly those `decide` allows for its action;
a refusal is the login (for a stranger) or the refusal page, and is audited. A public
route may answer anything but a server error. Path parameters come from factories."""

from __future__ import annotations

from dataclasses import dataclass, fields

import pytest
from django.contrib.auth.models import AnonymousUser
from django.test import Client
from django.urls import reverse

from conftest import People
from nextecf.access import Action, decide
from nextecf.accounts.factories import AccountFactory
from nextecf.audit.models import AuditEvent, Event
from nextecf.cases.factories import (
    AppearanceFactory,
    CaseFactory,
    DocketEntryFactory,
    DocumentFactory,
    EventTypeFactory,
    PartyFactory,
)
from nextecf.courts.factories import FilerAccountFactory
from nextecf.courts.models import Court, FilerAccount
from nextecf.filing.factories import filed_entry
from nextecf.filing.models import FilingDraft
from nextecf.lib.guards import Guard, Rule
from nextecf.tests.urlwalk import COURT_PREFIX, Route, walk

PERSONAS = ["stranger", *(f.name for f in fields(People))]
COURT_ROUTES = [route for route in walk() if route.route.startswith(COURT_PREFIX)]
REFUSAL_EVENTS = [Event.ACCESS_DENIED, Event.LINK_LEGACY_ERROR]
LOGIN = "/csologin/login/?"


@dataclass(frozen=True)
class Outcome:
    allowed: bool
    reason: str = ""


def expected(guard: Guard, account, court: Court) -> Outcome | None:
    """What the route's declared rule gives this person; None: anything but a 5xx."""
    user = account or AnonymousUser()
    match guard.rule:
        case Rule.COURT | Rule.STAFF_PAGE:
            decision = decide(user=user, court=court, action=Action(guard.action))
            return Outcome(decision.allowed, decision.reason)
        case Rule.SIGNED_ON:
            return Outcome(account is not None, "" if account else "not_logged_in")
    return None


@pytest.fixture(params=["court", "other_court"])
def where(request, people) -> Court:
    """The personas' court, and another one where only the other court's clerk has a role."""
    return request.getfixturevalue(request.param)


@pytest.fixture
def parameters(where, people) -> dict[str, str]:
    """A value for each path parameter of a court route: a document (of a case the persona
    filer is of record in, in their court), that case's id and a draft id (well formed,
    nobody's)."""
    court = where
    case = CaseFactory(court=court)
    filer = FilerAccount.objects.filter(court=court, account=people.filer).first()
    if filer is not None:
        AppearanceFactory(party=PartyFactory(case=case), filer=filer)
    event = EventTypeFactory(court=court)
    entry = DocketEntryFactory(case=case, event=event)
    by = filer or FilerAccountFactory(court=court, account=AccountFactory())
    return {
        "court": court.pk,
        "doc_id": DocumentFactory(entry=entry).doc_id,
        "draft": FilingDraft.new_id(),
        "case_id": str(case.pk),
        # a filing waiting in the court's QC queue
        "filing_id": str(filed_entry(case=case, filer=by, event=event).pk),
        "registration_id": "999999",  # nobody's: the guard answers before the lookup
        "filer_id": str(filer.pk if filer else FilerAccountFactory(court=court).pk),
        "position": "0",
    }


def url_of(route: Route, parameters: dict[str, str]) -> str:
    missing = [name for name in route.parameters if name not in parameters]
    assert not missing, f"{route.route}: give the matrix a value for {missing}"
    assert route.name, f"{route.route} has no name to reverse"
    return reverse(route.name, kwargs={name: parameters[name] for name in route.parameters})


def visit(client: Client, url: str):
    response = client.get(url)
    if response.status_code == 405:  # a POST-only step: its guard still answers a POST
        response = client.post(url)
    return response


def refusals() -> int:
    return AuditEvent.objects.filter(event_type__in=REFUSAL_EVENTS).count()


def test_the_matrix_covers_the_court_site():
    names = {route.name for route in COURT_ROUTES}
    assert {"courts:docket_report", "courts:filing_submit", "courts:ecf_account"} <= names
    assert len(COURT_ROUTES) > 30


@pytest.mark.parametrize("persona", PERSONAS)
def test_every_court_route_admits_exactly_whom_its_rule_allows(
    where, people, signed_in, parameters, persona
):
    court = where
    account = None if persona == "stranger" else getattr(people, persona)
    client = Client() if account is None else signed_in(account, court=court.pk)
    wrong = []
    for route in COURT_ROUTES:
        assert route.guard is not None, route.where  # test_url_guards says which
        url = url_of(route, parameters)
        outcome = expected(route.guard, account, court)
        before = refusals()
        response = visit(client, url)
        status = response.status_code
        location = response.get("Location", "")
        refused_page = status == 403 and any(
            t.name == "courts/denied.html" for t in response.templates
        )
        to_login = status == 302 and location.startswith(LOGIN)
        if status >= 500:
            wrong.append(f"{url}: {status}")
        elif outcome is None:
            continue
        elif outcome.allowed and (refused_page or to_login):
            wrong.append(f"{url}: refused ({status} {location}), the rule allows it")
        elif not outcome.allowed:
            if not (to_login if outcome.reason == "not_logged_in" else refused_page):
                wrong.append(f"{url}: {status} {location}, expected a refusal ({outcome.reason})")
            elif route.guard.rule in (Rule.COURT, Rule.STAFF_PAGE) and refusals() != before + 1:
                wrong.append(f"{url}: refused ({outcome.reason}) but not audited")
    assert wrong == []


@pytest.mark.parametrize("persona", ["public", "other_clerk", "shared"])
def test_a_refusal_is_audited_with_its_reason_and_action(court, people, signed_in, persona):
    account = getattr(people, persona)
    signed_in(account).get(f"/{court.pk}/civil/")
    event = AuditEvent.objects.filter(event_type=Event.ACCESS_DENIED).latest("pk")
    decision = decide(user=account, court=court, action=Action.FILE)
    assert not decision
    assert (event.actor, event.reason, event.detail["action"]) == (
        account,
        decision.reason,
        str(Action.FILE),
    )
