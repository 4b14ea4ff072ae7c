"""Origin checks on the CSRF-exempt POSTs (the PACER endpoints): a browser page on another
host, a sibling under ECF_DOMAIN included, cannot force a billed report or a logout; PACER
client software, which sends neither Origin nor Referer, is not affected."""

from __future__ import annotations

import json

import pytest
from django.test import Client

from conftest import login
from nextecf.accounts.factories import PASSWORD, AccountFactory
from nextecf.accounts.models import SignOn
from nextecf.api.tests.conftest import api_token
from nextecf.audit.models import AuditEvent, Event
from nextecf.billing.models import AccessCharge
from nextecf.cases.factories import CaseFactory

SIBLING = "https://ecf.other.uscourts.test"
COURT_HOST = "ecf.cit.uscourts.test"


@pytest.fixture
def domain(settings):
    settings.ECF_DOMAIN = "uscourts.test"
    settings.ALLOWED_HOSTS = [*settings.ALLOWED_HOSTS, ".uscourts.test"]


def post_json(url: str, body: object, **extra):
    return Client().post(url, data=json.dumps(body), content_type="application/json", **extra)


def refusals() -> list[tuple[str, str]]:
    rows = AuditEvent.objects.filter(event_type=Event.ACCESS_DENIED, reason="foreign_origin")
    return [(row.detail["header"], row.detail["host"]) for row in rows]


@pytest.mark.parametrize("header", ["HTTP_ORIGIN", "HTTP_REFERER"])
def test_a_forced_logout_from_a_sibling_host_is_refused(court, domain, header):
    token = api_token(AccountFactory())
    response = post_json("/services/cso-logout", {"nextGenCSO": token}, **{header: SIBLING})
    assert response.status_code == 403
    assert b"came from a page on another site" in response.content
    assert SignOn.objects.get().ended_at is None
    assert refusals() == [(header[5:].lower(), "ecf.other.uscourts.test")]


def test_a_forced_login_from_another_site_is_refused(court):
    AccountFactory(username="publicuser1")
    body = {"loginId": "publicuser1", "password": PASSWORD}
    assert (
        post_json("/services/cso-auth", body, HTTP_ORIGIN="https://evil.example").status_code == 403
    )
    assert post_json("/services/cso-auth", body, HTTP_ORIGIN="null").status_code == 403
    assert not SignOn.objects.exists()


def test_a_forced_pcl_search_is_refused_and_nothing_is_billed(court):
    token = api_token(AccountFactory())
    response = Client().post(
        "/pcl-public-api/rest/cases/find?page=0",
        data=json.dumps({"caseTitle": "Anything"}),
        content_type="application/json",
        headers={"X-Next-Gen-Cso": token, "Origin": SIBLING},
    )
    assert response.status_code == 403
    assert not AccessCharge.objects.exists()


def test_a_forced_billed_report_from_a_sibling_court_host_is_refused(court, domain):
    account = AccountFactory()
    client = Client()
    login(client, account.username)
    case = CaseFactory(court=court)
    url = f"/cgi-bin/DktRpt.pl?{case.pk}"
    response = client.post(
        url, {"all_case_ids": case.pk}, HTTP_HOST=COURT_HOST, HTTP_ORIGIN=SIBLING
    )
    assert response.status_code == 403
    assert not AccessCharge.objects.exists()
    # From the court's own host the same POST is served.
    own = client.post(
        url, {"all_case_ids": case.pk}, HTTP_HOST=COURT_HOST, HTTP_ORIGIN=f"https://{COURT_HOST}"
    )
    assert own.status_code == 200


def test_a_referer_outside_the_domain_without_origin_is_not_a_browser_and_is_served(court, domain):
    # juriscraper's own "Referer: https://external" on every request.
    AccountFactory(username="publicuser1")
    body = {"loginId": "publicuser1", "password": PASSWORD}
    answer = post_json("/services/cso-auth", body, HTTP_REFERER="https://external")
    assert answer.status_code == 200 and answer.json()["loginResult"] == "0"


def test_pacer_clients_sending_neither_header_are_served(court):
    AccountFactory(username="publicuser1")
    answer = post_json("/services/cso-auth", {"loginId": "publicuser1", "password": PASSWORD})
    assert answer.status_code == 200 and answer.json()["loginResult"] == "0"
    token = answer.json()["nextGenCSO"]
    same = post_json("/services/cso-logout", {"nextGenCSO": token}, HTTP_ORIGIN="http://testserver")
    assert same.status_code == 200
    assert refusals() == []


def test_forms_with_csrf_protection_are_left_to_it(court):
    # The web login is not CSRF-exempt: a foreign Origin is Django's CSRF check's business.
    response = Client(enforce_csrf_checks=True).post(
        "/csologin/login/", {"username": "x", "password": "y"}, HTTP_ORIGIN=SIBLING
    )
    assert response.status_code == 403
    assert refusals() == []
