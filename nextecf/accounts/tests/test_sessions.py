"""Manage My Account > Active sessions: list the account's sign-ons and end them."""

from __future__ import annotations

from datetime import timedelta

import pytest
import time_machine
from django.conf import settings
from django.test import Client
from django.utils import timezone

from conftest import login
from nextecf.accounts.factories import PASSWORD, AccountFactory
from nextecf.accounts.models import SignOn, hash_token
from nextecf.audit.models import AuditEvent, Event

SESSIONS = "/account/sessions/"


def api_signon(account) -> tuple[SignOn, str]:
    token = SignOn.new_token()
    signon = SignOn.objects.create(
        account=account,
        token_hash=hash_token(token),
        via=SignOn.Via.API,
        ip="198.51.100.4",
        user_agent="pacer-cli/1.0",
    )
    return signon, token


def test_the_list_shows_every_live_session_and_marks_this_one(john, signed_in):
    me = signed_in(john)
    other = Client(HTTP_USER_AGENT="Firefox on the office PC", REMOTE_ADDR="203.0.113.7")
    login(other, "johndoe1")
    api_signon(john)
    ended, _ = api_signon(john)
    ended.ended_at = timezone.now()
    ended.save()
    stranger = AccountFactory()
    api_signon(stranger)
    page = me.get(SESSIONS).content.decode()
    assert page.count("<tr>") == 4  # the header and three live sessions
    assert page.count("<strong>This session</strong>") == 1
    assert "Firefox on the office PC" in page and "203.0.113.7" in page
    assert "pacer-cli/1.0" in page and "<td>API</td>" in page and "<td>Web</td>" in page
    assert page.count("End this session</a>") == 2
    assert 'href="/account/sessions/end-others/">End all other sessions</a>' in page


def test_expired_sessions_are_not_listed(john, signed_in):
    old, _ = api_signon(john)
    SignOn.objects.filter(pk=old.pk).update(
        last_seen_at=timezone.now() - timedelta(seconds=settings.SIGNON_IDLE_SECONDS + 1)
    )
    page = signed_in(john).get(SESSIONS).content.decode()
    assert page.count("<tr>") == 2


def test_ending_one_session_needs_fresh_auth_and_works(john, signed_in):
    me = signed_in(john)
    other = signed_in(john)
    target = SignOn.objects.exclude(pk=SignOn.objects.order_by("pk").first().pk).get()
    url = f"/account/sessions/{target.pk}/end/"
    with time_machine.travel(timezone.now() + timedelta(minutes=6), tick=False):
        stale = me.post(url)
        assert (
            stale["Location"]
            == f"/csologin/reauth/?next=%2Faccount%2Fsessions%2F{target.pk}%2Fend%2F"
        )
        assert other.get("/account/").status_code == 200
        back = me.post(stale["Location"], {"password": PASSWORD})
        assert back["Location"] == url
        ask = me.get(url)
        assert ask.status_code == 200 and b"End this session?" in ask.content
        done = me.post(url)
        assert done["Location"] == SESSIONS
        assert other.get("/account/").status_code == 302
        assert me.get("/account/").status_code == 200
    target.refresh_from_db()
    assert target.end_reason == "ended_by_user"
    row = AuditEvent.objects.get(event_type=Event.SIGNON_ENDED)
    assert row.actor == john and row.detail["ended"] == 1


def test_end_all_other_sessions_keeps_this_one(john, signed_in):
    me = signed_in(john)
    others = [signed_in(john), signed_in(john)]
    _, api_token = api_signon(john)
    stranger = signed_in(AccountFactory(username="stranger01"))
    ask = me.get("/account/sessions/end-others/")
    assert b"3 other sessions" in ask.content
    done = me.post("/account/sessions/end-others/")
    assert done["Location"] == SESSIONS
    assert b"3 other sessions ended." in me.get(SESSIONS).content
    assert all(o.get("/account/").status_code == 302 for o in others)
    assert Client().get("/account/", HTTP_X_NEXT_GEN_CSO=api_token).status_code == 302
    assert me.get("/account/").status_code == 200
    assert stranger.get("/account/").status_code == 200
    assert SignOn.objects.filter(account=john, ended_at__isnull=True).count() == 1
    assert AuditEvent.objects.get(event_type=Event.SIGNON_ENDED).detail["ended"] == 3


def test_end_all_others_needs_fresh_auth(john, signed_in):
    me = signed_in(john)
    other = signed_in(john)
    with time_machine.travel(timezone.now() + timedelta(minutes=6), tick=False):
        assert me.post("/account/sessions/end-others/")["Location"].startswith("/csologin/reauth/")
        assert other.get("/account/").status_code == 200


def test_no_one_ends_anothers_session_or_this_one_by_address(john, signed_in):
    me = signed_in(john)
    mine = SignOn.objects.get(account=john)
    stranger_account = AccountFactory()
    stranger = signed_in(stranger_account)
    theirs = SignOn.objects.get(account=stranger_account)
    assert me.post(f"/account/sessions/{theirs.pk}/end/").status_code == 404
    assert me.post(f"/account/sessions/{mine.pk}/end/").status_code == 404
    assert me.get(f"/account/sessions/{10**30}/end/").status_code == 404
    assert stranger.get("/account/").status_code == 200 and me.get("/account/").status_code == 200


@pytest.mark.parametrize("method", ["get", "post"])
def test_sessions_pages_need_a_sign_on(court, method):
    urls = ["/account/sessions/1/end/", "/account/sessions/end-others/"]
    for url in [SESSIONS, *urls] if method == "get" else urls:
        response = getattr(Client(), method)(url)
        assert response.status_code == 302 and response["Location"].startswith("/csologin/login/")
