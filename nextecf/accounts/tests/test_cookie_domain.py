"""The sign-on cookie's Domain follows the host the request came to: `.<ECF_DOMAIN>` under
that domain, host-only anywhere else (a browser drops a cookie whose Domain does not cover
the host that set it, so 127.0.0.1:8000 must get a host-only one)."""

from __future__ import annotations

import pytest
from django.conf import settings
from django.http import HttpResponse
from django.test import Client, RequestFactory

from nextecf.accounts.cookies import signon_cookie_domain
from nextecf.accounts.factories import PASSWORD, AccountFactory
from nextecf.courts.middleware import court_cache_clear

LOGIN = "/csologin/login/?court=cit"


@pytest.fixture(autouse=True)
def ecf_domain(settings):
    settings.ECF_DOMAIN = "uscourts.gov"
    settings.ALLOWED_HOSTS = [*settings.ALLOWED_HOSTS, ".uscourts.gov"]
    settings.SIGNON_COOKIE_DOMAIN = ".uscourts.gov"
    court_cache_clear()
    yield
    court_cache_clear()


@pytest.fixture
def person(court):
    return AccountFactory(username="cookiehost1")


def log_in_at(host: str) -> tuple[Client, HttpResponse]:
    client = Client(HTTP_HOST=host)
    response = client.post(LOGIN, {"username": "cookiehost1", "password": PASSWORD})
    assert response.status_code == 302, response.content[:500]
    return client, response


def test_logging_in_at_127_0_0_1_sets_a_host_only_cookie_that_signs_on(person):
    client, response = log_in_at("127.0.0.1:8000")
    cookie = response.cookies[settings.SIGNON_COOKIE_NAME]
    assert cookie["domain"] == ""
    assert len(cookie.value) == 128
    assert client.get("/account/").status_code == 200


def test_logging_in_at_the_pacer_login_host_covers_every_court_host(person):
    _client, response = log_in_at("pacer.login.uscourts.gov")
    cookie = response.cookies[settings.SIGNON_COOKIE_NAME]
    assert cookie["domain"] == ".uscourts.gov"


def test_logging_out_at_127_0_0_1_deletes_the_host_only_cookie(person):
    client, _response = log_in_at("127.0.0.1:8000")
    page = client.post("/cit/cgi-bin/login.pl?logout")
    cookie = page.cookies[settings.SIGNON_COOKIE_NAME]
    assert cookie.value == ""
    assert cookie["domain"] == ""
    assert client.get("/account/").status_code == 302


@pytest.mark.parametrize(
    ("host", "domain"),
    [
        ("ecf.cit.uscourts.gov", ".uscourts.gov"),
        ("pcl.uscourts.gov:443", ".uscourts.gov"),
        ("uscourts.gov", ".uscourts.gov"),
        ("127.0.0.1:8000", None),
        ("localhost", None),
        ("notuscourts.gov", None),
        ("uscourts.gov.example", None),
    ],
)
def test_the_cookie_domain_is_the_ecf_domain_only_for_hosts_under_it(settings, host, domain):
    settings.ALLOWED_HOSTS = ["*"]
    request = RequestFactory().get("/", HTTP_HOST=host)
    assert signon_cookie_domain(request) == domain


def test_without_ecf_domain_every_cookie_is_host_only(settings):
    settings.ECF_DOMAIN = ""
    settings.SIGNON_COOKIE_DOMAIN = None
    request = RequestFactory().get("/", HTTP_HOST="ecf.cit.uscourts.gov")
    assert signon_cookie_domain(request) is None
