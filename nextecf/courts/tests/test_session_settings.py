"""Change Client Code and Change PACER Exemption Status: both per sign-on."""

from __future__ import annotations

import pytest
from django.test import Client

from conftest import login
from nextecf.accounts.factories import AccountFactory
from nextecf.accounts.models import SignOn
from nextecf.audit.models import AuditEvent, Event

CODE = "/cit/utilities/client-code/"
EXEMPT = "/cit/utilities/exemption/"


def test_the_client_code_changes_for_this_session_only(john, court, signed_in):
    client = signed_in(john)
    other_session = signed_in(john)
    response = client.post(CODE, {"client_code": "acme-2026"})
    assert b"Client code changed." in response.content
    assert b"acme-2026" in client.get("/cit/utilities/").content
    assert b"acme-2026" not in other_session.get("/cit/utilities/").content
    assert AuditEvent.objects.filter(event_type=Event.CLIENT_CODE_CHANGE).count() == 1


@pytest.mark.parametrize(
    ("value", "message"),
    [
        ("has space", b"may not contain a space"),
        ("a,b", b"or a comma"),
        ("x" * 33, b"at most 32 characters"),
    ],
)
def test_a_bad_client_code_names_the_problem_and_keeps_the_old_one(
    john, court, signed_in, value, message
):
    client = signed_in(john)
    client.post(CODE, {"client_code": "kept"})
    response = client.post(CODE, {"client_code": value})
    assert message in response.content
    assert SignOn.objects.get().client_code == "kept"


def test_a_required_client_code_cannot_be_emptied(court):
    account = AccountFactory(client_code_required=True)
    client = Client()
    login(client, account.username, client_code="must-have")
    response = client.post(CODE, {"client_code": ""})
    assert b"cannot be empty" in response.content
    assert SignOn.objects.get().client_code == "must-have"


def test_a_cja_eligible_account_can_switch_this_session_to_exempt(court, signed_in):
    cja = AccountFactory(cja_eligible=True)
    client = signed_in(cja)
    assert b"Non-exempt" in client.get("/cit/utilities/").content
    client.post(EXEMPT, {"exempt": "yes"})
    assert SignOn.objects.get().exempt is True
    assert b"<dd>Exempt</dd>" in client.get("/cit/utilities/").content
    assert (
        AuditEvent.objects.filter(event_type=Event.EXEMPTION_CHANGE, outcome="success").count() == 1
    )


def test_exemption_resets_to_non_exempt_at_every_login(court, signed_in):
    cja = AccountFactory(cja_eligible=True)
    signed_in(cja).post(EXEMPT, {"exempt": "yes"})
    again = signed_in(cja)
    assert SignOn.objects.order_by("-pk").first().exempt is False
    assert b"<dd>Non-exempt</dd>" in again.get("/cit/utilities/").content


def test_only_cja_eligible_accounts_may_become_exempt(john, court, signed_in):
    client = signed_in(john)
    page = client.get(EXEMPT)
    assert b"not approved for a CJA exemption" in page.content
    refused = client.post(EXEMPT, {"exempt": "yes"})
    assert refused.status_code == 403
    assert SignOn.objects.get().exempt is False
    assert AuditEvent.objects.filter(
        event_type=Event.EXEMPTION_CHANGE, reason="not_cja_eligible"
    ).exists()


def test_a_bad_exemption_choice_is_named_and_changes_nothing(court, signed_in):
    client = signed_in(AccountFactory(cja_eligible=True))
    response = client.post(EXEMPT, {"exempt": "maybe"})
    assert response.status_code == 400
    assert b"Choose Exempt or Non-exempt." in response.content
    assert SignOn.objects.get().exempt is False
