"""The staff workspace: court roles, the MFA it asks for, its guard against every persona,
its home and the Staff link."""

from __future__ import annotations

import pyotp
import pytest
from django.db import IntegrityError, transaction
from django.test import Client

from conftest import login, next_totp_code
from nextecf.access import Action, decide, judge_served, may_staff, staff_roles
from nextecf.accounts.models import SignOn
from nextecf.audit.models import AuditEvent, Event
from nextecf.courts.factories import CourtStaffFactory, staff_account
from nextecf.courts.models import CourtStaff, EfileRegistration, StaffRole
from nextecf.tests.staff_personas import (
    STAFF_PERSONAS,
    STAFF_ROUTES,
    persona_client,
    staff_route_problems,
    staff_url,
)

HOME = "/cit/staff/"


def test_every_staff_route_is_walked():
    assert {"courts:staff_home"} <= {route.name for route in STAFF_ROUTES}


@pytest.mark.parametrize("persona", STAFF_PERSONAS)
def test_every_staff_route_admits_exactly_the_roles_its_action_allows(court, staff_people, persona):
    account, client = persona_client(staff_people, persona, court)
    problems = []
    for route in STAFF_ROUTES:
        url = staff_url(route, staff_people, court)
        problems += staff_route_problems(client, account, court, url, Action(route.guard.action))
    assert problems == []


@pytest.mark.parametrize(
    ("persona", "roles"),
    [
        ("clerk", {StaffRole.CLERK}),
        ("qc_clerk", {StaffRole.QC_CLERK}),
        ("judge", {StaffRole.JUDGE}),
        ("other_chambers", {StaffRole.CHAMBERS}),
        ("administrator", {StaffRole.ADMINISTRATOR}),
        ("other_clerk", set()),
        ("filer", set()),
        ("public", set()),
    ],
)
def test_roles_are_held_in_one_court_only(court, other_court, staff_people, persona, roles):
    account = getattr(staff_people, persona)
    assert staff_roles(account, court) == roles
    assert bool(may_staff(account, court, Action.STAFF_WORKSPACE)) == bool(roles)
    if persona != "other_clerk":
        assert staff_roles(account, other_court) == set()


def test_one_account_may_hold_roles_in_several_courts_and_several_in_one(court, other_court):
    account = staff_account(court, StaffRole.CLERK, username="twohats")
    CourtStaffFactory(court=court, account=account, role=StaffRole.QC_CLERK)
    CourtStaffFactory(court=other_court, account=account, role=StaffRole.ADMINISTRATOR)
    assert staff_roles(account, court) == {StaffRole.CLERK, StaffRole.QC_CLERK}
    assert may_staff(account, court, Action.QUALITY_CONTROL)
    assert not may_staff(account, court, Action.AUDIT_LOG)
    assert may_staff(account, other_court, Action.AUDIT_LOG)
    assert not may_staff(account, other_court, Action.CHAMBERS)


@pytest.mark.parametrize(
    ("action", "allowed"),
    [
        (Action.QUALITY_CONTROL, {"qc_clerk", "administrator"}),
        (Action.DOCKET_EVENT, {"clerk", "administrator"}),
        (Action.CHAMBERS, {"judge", "other_chambers"}),
        (Action.SIGN_ORDER, {"judge", "other_chambers"}),
        (Action.MANAGE_FILERS, {"clerk", "administrator"}),
        (Action.ASSIGN_CASE, {"clerk", "administrator"}),
        (Action.AUDIT_LOG, {"administrator"}),
    ],
)
def test_each_staff_action_admits_its_roles(court, staff_people, action, allowed):
    admitted = {
        persona
        for persona in STAFF_PERSONAS[1:]
        if decide(user=getattr(staff_people, persona), court=court, action=action)
    }
    assert admitted == allowed


def test_may_staff_asks_for_a_role_directly(court, staff_people):
    assert may_staff(staff_people.judge, court, StaffRole.JUDGE)
    refused = may_staff(staff_people.clerk, court, StaffRole.JUDGE)
    assert (refused.allowed, refused.reason) == (False, "role_not_allowed")
    assert may_staff(staff_people.public, court, StaffRole.CLERK).reason == "not_court_staff"


def test_a_disabled_account_holds_no_role(court, staff_people):
    staff_people.clerk.is_active = False
    staff_people.clerk.save()
    assert staff_roles(staff_people.clerk, court) == set()


def test_chambers_staff_serve_the_judge_they_act_for(court, staff_people):
    assert judge_served(staff_people.judge, court) == staff_people.judge_record
    assert judge_served(staff_people.other_chambers, court) == staff_people.other_judge_record
    assert judge_served(staff_people.clerk, court) is None


def test_chambers_staff_must_name_a_judge_and_others_must_not(court, staff_people):
    with transaction.atomic(), pytest.raises(IntegrityError):
        CourtStaff.objects.create(court=court, account=staff_people.public, role="chambers")
    with transaction.atomic(), pytest.raises(IntegrityError):
        CourtStaff.objects.create(
            court=court, account=staff_people.public, role="clerk", acts_for=staff_people.judge
        )


def test_staff_without_an_app_are_sent_to_enroll_one(court):
    staff_account(court, StaffRole.CLERK, username="noappclerk", with_app=False)
    client = Client()
    login(client, "noappclerk", mfa_prompt="skip")
    response = client.get(HOME)
    assert response.status_code == 302
    assert response["Location"] == "/account/mfa/add/?next=%2Fcit%2Fstaff%2F"


def test_staff_who_enrolled_during_the_session_give_a_code_before_the_workspace(court):
    from nextecf.accounts.models import TotpDevice
    from nextecf.lib import totp

    account = staff_account(court, StaffRole.CLERK, username="lateclerk", with_app=False)
    client = Client()
    login(client, "lateclerk", mfa_prompt="skip")
    secret = totp.new_secret()
    TotpDevice.objects.create_with_secret(
        account=account, name="Phone", secret=secret, confirmed=True
    )
    response = client.get(HOME)
    assert response.status_code == 302
    assert response["Location"] == "/cit/staff/verify/?next=%2Fcit%2Fstaff%2F"
    page = client.get(response["Location"])
    assert b"Authenticator code" in page.content
    wrong = client.post("/cit/staff/verify/?next=/cit/staff/", {"code": "000000"})
    assert wrong.status_code == 400
    assert b'aria-invalid="true"' in wrong.content
    assert not SignOn.objects.get(account=account, ended_at__isnull=True).mfa_verified
    right = client.post(
        "/cit/staff/verify/?next=https://evil.example/", {"code": pyotp.TOTP(secret).now()}
    )
    assert (right.status_code, right["Location"]) == (302, HOME)
    assert client.get(HOME).status_code == 200


def test_the_verify_step_ends_the_session_after_five_wrong_codes(court):
    staff_account(court, StaffRole.CLERK, username="guessclerk", with_app=False)
    client = Client()
    login(client, "guessclerk", mfa_prompt="skip")
    account = CourtStaff.objects.get(account__username="guessclerk").account
    from conftest import enroll_app

    enroll_app(account)
    for _ in range(5):
        response = client.post("/cit/staff/verify/", {"code": "000000"})
    assert response.status_code == 302
    assert response["Location"].startswith("/csologin/login/")
    assert not SignOn.objects.filter(account=account, ended_at__isnull=True).exists()


def test_a_clerk_who_logged_in_with_a_code_reaches_the_home(court, staff_people):
    _, client = persona_client(staff_people, "clerk", court)
    EfileRegistration.objects.create(account=staff_people.public, court=court, kind="attorney")
    response = client.get(HOME)
    assert response.status_code == 200
    html = response.content.decode()
    assert "staff workspace" in html
    assert "Clerk (docketing)" in html
    assert 'E-file registrations</a> <span class="count">(1 pending)' in html
    assert 'aria-current="page">Staff</a>' in html
    assert 'href="/cit/records/">Case records</a>' in html
    assert "(0 public versions overdue)" in html


def test_the_home_lists_only_what_the_role_may_open(court, staff_people):
    _, client = persona_client(staff_people, "judge", court)
    html = client.get(HOME).content.decode()
    assert "E-file registrations" not in html
    assert "chambers of Judge Gary S. Katzmann" in html


@pytest.mark.parametrize(("persona", "shown"), [("clerk", True), ("judge", True), ("filer", False)])
def test_the_staff_link_is_in_the_menu_bar_for_court_staff_only(
    court, staff_people, persona, shown
):
    _, client = persona_client(staff_people, persona, court)
    html = client.get("/cit/utilities/").content.decode()
    assert ('href="/cit/staff/"' in html) is shown


def test_the_clerk_of_another_court_sees_no_staff_link_and_is_refused(court, staff_people):
    _, client = persona_client(staff_people, "other_clerk", court)
    assert 'href="/cit/staff/"' not in client.get("/cit/utilities/").content.decode()
    response = client.get(HOME)
    assert response.status_code == 403
    event = AuditEvent.objects.filter(event_type=Event.ACCESS_DENIED).latest("pk")
    assert (event.reason, event.detail["action"]) == ("not_court_staff", "staff_workspace")


def test_the_workspace_is_served_on_the_courts_host(court, staff_people, settings):
    settings.ECF_DOMAIN = "nextecf.test"
    settings.ALLOWED_HOSTS = ["*"]
    client = Client(HTTP_HOST="ecf.cit.nextecf.test")
    login(client, staff_people.clerk.username)
    response = client.get("/staff/", HTTP_HOST="ecf.cit.nextecf.test")
    assert response.status_code == 200, response
    assert b"staff workspace" in response.content


def test_next_totp_code_is_fresh_for_every_login(court, staff_people):
    # The persona logins consume codes: a second login of the same persona still works.
    assert next_totp_code(staff_people.clerk.username)


def test_a_judge_record_names_only_an_account_with_the_judge_role(court, staff_people):
    from nextecf.cases.admin import JudgeForm

    record = staff_people.other_judge_record
    base = {"court": court.pk, "name": record.name, "initials": record.initials}
    wrong = JudgeForm({**base, "title": "Judge", "account": staff_people.clerk.pk}, instance=record)
    assert not wrong.is_valid()
    assert "does not hold the judge role" in wrong.errors["account"][0]
    right = JudgeForm({**base, "title": "Judge", "account": staff_people.judge.pk}, instance=record)
    assert right.is_valid(), right.errors


def test_a_role_needs_an_account_marked_as_staff(court, staff_people, django_assert_num_queries):
    CourtStaffFactory(court=court, account=staff_people.public, role=StaffRole.CLERK)
    with django_assert_num_queries(0):
        assert staff_roles(staff_people.public, court) == set()
