"""Services take an Actor, never a request: who acts and from where reach the audit log
the same whether a view, the API or a command called them."""

from __future__ import annotations

import hashlib

from nextecf.accounts.factories import PASSWORD, AccountFactory
from nextecf.accounts.models import SignOn
from nextecf.accounts.services import (
    account_login,
    signon_client_code_set,
    signon_exemption_set,
    signon_logout,
)
from nextecf.api.signon import api_signon_login
from nextecf.audit.models import AuditEvent, Event
from nextecf.audit.services import audit_record
from nextecf.lib.actor import Actor


def _signon(account) -> SignOn:
    return SignOn.objects.create(account=account, token_hash=f"{account.pk:064d}")


def _ref(signon: SignOn) -> str:
    return hashlib.sha256(f"signon:{signon.pk}".encode()).hexdigest()[:16]


def test_an_audit_row_says_who_acted_and_from_where_from_the_actor(court, other_court):
    account = AccountFactory()
    signon = _signon(account)
    actor = Actor(
        account=account, signon=signon, court=court, ip="192.0.2.7", user_agent="UA/1", path="/x/"
    )
    row = audit_record(event=Event.LOGIN, success=True, actor=actor)
    assert (row.actor, row.court, row.ip, row.user_agent, row.path) == (
        account,
        court,
        "192.0.2.7",
        "UA/1",
        "/x/",
    )
    assert row.signon_ref == _ref(signon)
    elsewhere = audit_record(event=Event.LOGIN, success=True, actor=actor, court=other_court)
    assert elsewhere.court == other_court
    nobody = audit_record(event=Event.LOGIN, success=True, actor=Actor.system())
    assert (nobody.actor, nobody.ip, nobody.signon_ref, nobody.court) == (None, None, "", None)


def test_a_failed_web_login_is_audited_from_the_actor_with_the_username_masked(db):
    account_login(username="nobody-at-all", password="x", actor=Actor(ip="198.51.100.3"))
    row = AuditEvent.objects.get(event_type=Event.LOGIN_ERROR)
    assert (row.ip, row.subject, row.reason) == ("198.51.100.3", None, "invalid_credentials")
    assert row.username != "nobody-at-all"


def test_session_settings_change_the_sign_on_and_are_audited_in_the_actors_court(court):
    account = AccountFactory(cja_eligible=True)
    signon = _signon(account)
    actor = Actor(account=account, signon=signon, court=court)
    signon_client_code_set(actor=actor, signon=signon, client_code="acme-7")
    signon_exemption_set(actor=actor, signon=signon, exempt=True)
    signon.refresh_from_db()
    assert (signon.client_code, signon.exempt) == ("acme-7", True)
    rows = AuditEvent.objects.filter(court=court, actor=account).order_by("pk")
    assert [(r.event_type, r.detail) for r in rows] == [
        (Event.CLIENT_CODE_CHANGE, {"client_code": "acme-7"}),
        (Event.EXEMPTION_CHANGE, {"exempt": True}),
    ]


def test_logging_out_ends_the_sign_on_and_audits_it(db):
    account = AccountFactory()
    signon = _signon(account)
    signon_logout(actor=Actor(account=account, signon=signon), signon=signon)
    signon.refresh_from_db()
    assert signon.ended_at is not None and signon.end_reason == "logout"
    row = AuditEvent.objects.get(event_type=Event.LOGOUT)
    assert (row.actor, row.signon_ref) == (account, _ref(signon))


def test_the_authentication_api_ignores_the_account_a_browser_cookie_brought_along(db):
    browser = AccountFactory()
    other = AccountFactory()
    actor = Actor(account=browser, signon=_signon(browser), ip="203.0.113.5")
    refused = api_signon_login(actor=actor, login_id=other.username, password="wrong password")
    assert not refused.ok
    row = AuditEvent.objects.get(event_type=Event.API_AUTH_ERROR)
    assert (row.actor, row.signon_ref, row.subject, row.ip) == (None, "", other, "203.0.113.5")
    signed = api_signon_login(actor=actor, login_id=other.username, password=PASSWORD)
    assert signed.ok and signed.signon is not None
    ok = AuditEvent.objects.get(event_type=Event.API_AUTH)
    assert (ok.actor, ok.signon_ref) == (other, _ref(signed.signon))
