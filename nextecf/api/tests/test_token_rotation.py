"""PCL's token rotation (PCL API User Guide: "a new X-NEXT-GEN-CSO token is returned in
the head of the response"): a token in use for SIGNON_TOKEN_ROTATE_SECONDS gets a fresh
one in the X-NEXT-GEN-CSO response header of the next successful answer, once; the old
token keeps working (pacersdk never reads the header), and the new one keeps the sign-on's
absolute limit."""

from __future__ import annotations

from datetime import timedelta

import pytest
import time_machine
from django.utils import timezone

from nextecf.accounts.factories import AccountFactory
from nextecf.accounts.models import SignOn, hash_token
from nextecf.api.tests.conftest import Api, api_token

HEADER = "X-NEXT-GEN-CSO"


@pytest.fixture
def rotating(settings, court):
    settings.SIGNON_TOKEN_ROTATE_SECONDS = 600
    settings.SIGNON_IDLE_SECONDS = 1800
    settings.SIGNON_ABSOLUTE_SECONDS = 3600
    return AccountFactory(username="rotating01")


def test_a_token_in_use_long_enough_gets_a_fresh_one_once(rotating):
    with time_machine.travel(timezone.now(), tick=False) as clock:
        old = api_token(rotating)
        api = Api(old)
        first = api.cases({"caseTitle": "x"})
        assert first.status_code == 200 and HEADER not in first.headers
        clock.shift(timedelta(seconds=601))
        due = api.cases({"caseTitle": "x"})
        assert due.status_code == 200
        new = due.headers[HEADER]
        assert len(new) == 128 and new != old
        again = api.cases({"caseTitle": "x"})  # the old token still works, and rotates no more
        assert again.status_code == 200 and HEADER not in again.headers
        assert Api(new).cases({"caseTitle": "x"}).status_code == 200
    previous = SignOn.objects.get(token_hash=hash_token(old))
    successor = SignOn.objects.get(token_hash=hash_token(new))
    assert previous.rotated_to == successor
    assert (successor.via, successor.authenticated_at) == ("api", previous.authenticated_at)


def test_the_fresh_token_ends_with_the_sign_on_it_replaced(rotating):
    with time_machine.travel(timezone.now(), tick=False) as clock:
        old = api_token(rotating)
        clock.shift(timedelta(seconds=601))
        new = Api(old).cases({"caseTitle": "x"}).headers[HEADER]
        clock.shift(timedelta(seconds=1200))
        assert Api(new).cases({"caseTitle": "x"}).status_code == 200
        clock.shift(timedelta(seconds=1800))  # 3601 s after the password
        assert Api(new).cases({"caseTitle": "x"}).status_code == 401


def test_only_successful_answers_carry_a_fresh_token(rotating):
    with time_machine.travel(timezone.now(), tick=False) as clock:
        token = api_token(rotating)
        clock.shift(timedelta(seconds=601))
        refused = Api(token).cases({"caseYear": "twenty"})
        assert refused.status_code == 406 and HEADER not in refused.headers
        unknown = Api("x" * 128).cases({"caseTitle": "x"})
        assert unknown.status_code == 401 and HEADER not in unknown.headers
        assert HEADER in Api(token).cases({"caseTitle": "x"}).headers


def test_logging_out_with_either_token_ends_both(rotating):
    from django.test import Client

    with time_machine.travel(timezone.now(), tick=False) as clock:
        old = api_token(rotating)
        clock.shift(timedelta(seconds=601))
        new = Api(old).cases({"caseTitle": "x"}).headers[HEADER]
        Client().post("/services/cso-logout", {"nextGenCSO": old}, content_type="application/json")
        assert Api(new).cases({"caseTitle": "x"}).status_code == 401
    assert not SignOn.objects.live().exists()
