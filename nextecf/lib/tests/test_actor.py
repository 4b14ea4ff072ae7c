from __future__ import annotations

import dataclasses

import pytest
from django.contrib.auth.models import AnonymousUser
from django.test import RequestFactory

from nextecf.lib.actor import Actor


def test_an_anonymous_request_acts_as_no_account_with_its_address_and_agent():
    request = RequestFactory().get("/cit/", REMOTE_ADDR="203.0.113.9", HTTP_USER_AGENT="ua\x00x")
    request.user = AnonymousUser()
    actor = Actor.from_request(request)
    assert actor.account is None
    assert actor.ip == "203.0.113.9"
    assert actor.path == "/cit/"
    assert "\x00" not in actor.user_agent


def test_the_actor_is_frozen():
    actor = Actor.system()
    with pytest.raises(dataclasses.FrozenInstanceError):
        actor.ip = "198.51.100.1"  # type: ignore[misc]


def test_a_system_actor_has_no_client():
    actor = Actor.system()
    assert (actor.account, actor.signon, actor.ip, actor.user_agent) == (None, None, "", "")


def test_a_service_that_needs_a_signed_on_actor_refuses_one_without_a_sign_on():
    account, signon = object(), object()  # lib knows the account and sign-on only by type
    assert Actor(account=account, signon=signon).signed_on() == (account, signon)
    with pytest.raises(ValueError, match="signed-on"):
        Actor(account=account).signed_on()
    with pytest.raises(ValueError, match="signed-on"):
        Actor.system().signed_on()


def test_a_court_host_request_gives_no_court_unless_the_view_names_it():
    # The court host middleware leaves the court's id on the request, not a Court: taking it
    # would put a string where audit rows need a court.
    request = RequestFactory().get("/cit/cgi-bin/login.pl")
    request.user = AnonymousUser()
    request.court_host = "cit"
    assert Actor.from_request(request).court is None
