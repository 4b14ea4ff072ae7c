"""Manage My Account > API tokens: made with a fresh MFA code, shown once, stored hashed,
listed with their last use, revoked."""

from __future__ import annotations

import hashlib
import re

from conftest import enroll_app, next_totp_code
from nextecf.accounts.models import ApiToken
from nextecf.audit.models import AuditEvent, Event

PAGE = "/account/api-tokens/"


def form(**extra: object) -> dict[str, object]:
    return {
        "name": "Docketing software",
        "scopes": ["read_public"],
        "file_court": "",
        "days": "90",
        "ip_allowlist": "",
        **extra,
    }


def test_a_token_needs_an_authenticator_app_first(people, signed_in):
    client = signed_in(people.public)
    page = client.get(PAGE)
    assert b"set up multifactor authentication" in page.content
    answer = client.post(PAGE, form(mfa_code="123456"))
    assert answer.status_code == 400
    assert not ApiToken.objects.exists()


def test_making_a_token_shows_it_once_and_keeps_only_its_hash(people, signed_in):
    enroll_app(people.filer)
    client = signed_in(people.filer)
    answer = client.post(
        PAGE,
        form(
            scopes=["read_public", "file"],
            file_court="cit",
            ip_allowlist="127.0.0.1\n10.0.0.0/8",
            mfa_code=next_totp_code("filerofrecord"),
        ),
    )
    assert answer.status_code == 200, answer.content.decode()
    shown = re.search(rb'value="(necf_[A-Za-z0-9_-]+)"', answer.content).group(1).decode()
    token = ApiToken.objects.get()
    assert token.token_hash == hashlib.sha256(shown.encode()).hexdigest()
    assert shown not in str(token.__dict__)
    assert token.scopes == ["file", "read_public"] and token.file_court_id == "cit"
    assert token.ip_allowlist == ["10.0.0.0/8", "127.0.0.1/32"]
    listed = client.get(PAGE).content.decode()
    assert "Docketing software" in listed and token.hint in listed
    assert shown not in listed
    made = AuditEvent.objects.get(event_type=Event.API_TOKEN_CREATE)
    assert made.detail["token"] == "Docketing software"
    assert shown not in str(made.detail)


def test_a_wrong_code_makes_no_token_and_is_audited(people, signed_in):
    enroll_app(people.filer)
    client = signed_in(people.filer)
    answer = client.post(PAGE, form(mfa_code="000000"))
    assert answer.status_code == 400
    assert b"That code is not correct" in answer.content
    assert not ApiToken.objects.exists()
    assert AuditEvent.objects.filter(event_type=Event.MFA_ERROR).exists()


def test_bad_fields_are_named_and_spend_no_code(people, signed_in):
    enroll_app(people.filer)
    client = signed_in(people.filer)
    code = next_totp_code("filerofrecord")
    for bad, message in [
        ({"scopes": []}, b"Choose at least one"),
        ({"scopes": ["file"]}, b"name the court a filing token files in"),
        ({"days": "999"}, b"from 1 to 366 days"),
        ({"ip_allowlist": "not-an-ip"}, b"is not an IP address"),
        ({"scopes": ["file"], "file_court": "ca9"}, b"Select a valid choice"),
    ]:
        answer = client.post(PAGE, form(mfa_code=code, **bad))
        assert answer.status_code == 400
        assert message in answer.content, bad
    assert not ApiToken.objects.exists()
    # The code was never checked, so it still works.
    assert client.post(PAGE, form(mfa_code=code)).status_code == 200


def test_revoking_a_token(people, signed_in):
    enroll_app(people.filer)
    client = signed_in(people.filer)
    client.post(PAGE, form(mfa_code=next_totp_code("filerofrecord")))
    token = ApiToken.objects.get()
    answer = client.post(f"{PAGE}{token.pk}/revoke/")
    assert answer.status_code == 302
    token.refresh_from_db()
    assert token.state() == "revoked"
    assert AuditEvent.objects.filter(event_type=Event.API_TOKEN_REVOKE).exists()
    assert "Revoked" in client.get(PAGE).content.decode()


def test_nobody_revokes_anothers_token(people, signed_in):
    enroll_app(people.filer)
    signed_in(people.filer).post(PAGE, form(mfa_code=next_totp_code("filerofrecord")))
    token = ApiToken.objects.get()
    other = signed_in(people.other_filer)
    other.post(f"{PAGE}{token.pk}/revoke/")
    token.refresh_from_db()
    assert token.revoked_at is None
