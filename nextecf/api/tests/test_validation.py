"""Authentication (401), invalid criteria (406 naming the field), bad bodies (400), paths
and methods: always JSON, never a server error, never a charge."""

from __future__ import annotations

import json
from datetime import timedelta

import pytest
from django.test import Client
from django.utils import timezone

from nextecf.accounts.models import SignOn
from nextecf.api.tests.conftest import BASE, Api, api_token
from nextecf.audit.models import AuditEvent, Event
from nextecf.billing.models import AccessCharge

# --- 401 ---------------------------------------------------------------------------------------


def test_without_a_token_every_endpoint_answers_401_in_json(api, court, people):
    anonymous = api(None)
    for response in (
        anonymous.cases({"caseTitle": "x"}),
        anonymous.parties({"lastName": "x"}),
        anonymous.post("/cases/download", {"caseTitle": "x"}),
        anonymous.get("/cases/download/status/1"),
        anonymous.get("/parties/download/1"),
        anonymous.get("/cases/reports"),
        anonymous.delete("/parties/reports/1"),
    ):
        assert response.status_code == 401
        assert response["Content-Type"] == "application/json"
        assert "X-NEXT-GEN-CSO" in response.json()["message"]
    assert not AccessCharge.objects.exists()
    denied = AuditEvent.objects.filter(event_type=Event.ACCESS_DENIED, reason="pcl_no_token")
    assert denied.count() == 7


@pytest.mark.parametrize("header", ["X-NEXT-GEN-CSO", "x-next-gen-cso", "X-Next-Gen-Cso"])
def test_the_token_header_is_read_whatever_its_letter_case(court, people, header):
    token = api_token(people.public)
    response = Client().post(
        f"{BASE}/cases/find",
        data=json.dumps({"caseTitle": "x"}),
        content_type="application/json",
        headers={header: token},
    )
    assert response.status_code == 200


def test_bad_ended_pending_and_expired_tokens_answer_401(api, court, people, settings):
    assert Api("not-a-token").cases({"caseTitle": "x"}).status_code == 401
    assert Api("x" * 300).cases({"caseTitle": "x"}).status_code == 401
    client = api(people.public)
    signon = SignOn.objects.get(account=people.public)
    signon.stage = SignOn.Stage.PENDING
    signon.save()
    assert client.cases({"caseTitle": "x"}).status_code == 401
    signon.stage = SignOn.Stage.ACTIVE
    signon.save()
    assert client.cases({"caseTitle": "x"}).status_code == 200
    SignOn.objects.filter(pk=signon.pk).update(
        last_seen_at=timezone.now() - timedelta(seconds=settings.SIGNON_IDLE_SECONDS + 5)
    )
    assert client.cases({"caseTitle": "x"}).status_code == 401
    signon.refresh_from_db()
    assert signon.ended_at is not None and signon.end_reason == "idle_timeout"


def test_a_browser_cookie_alone_never_authorises_an_api_call(court, people, settings):
    """The cookie rides along on cross-site requests; the header cannot be forged by a form."""
    token = api_token(people.public)
    browser = Client()
    browser.cookies[settings.SIGNON_COOKIE_NAME] = token
    response = browser.post(
        f"{BASE}/cases/find", data='{"caseTitle": "x"}', content_type="application/json"
    )
    assert response.status_code == 401
    # A form post (what a cross-site page can send) does not get through either.
    form = browser.post(f"{BASE}/cases/find", data={"caseTitle": "x"})
    assert form.status_code == 401
    assert not AccessCharge.objects.exists()
    # The header works alongside its own cookie.
    both = browser.post(
        f"{BASE}/cases/find",
        data='{"caseTitle": "x"}',
        content_type="application/json",
        headers={"X-NEXT-GEN-CSO": token},
    )
    assert both.status_code == 200


# --- 406 -----------------------------------------------------------------------------------------

CASE_406 = [
    ({"bogus": 1}, "bogus"),
    ({"CaseTitle": "x"}, "CaseTitle"),  # field names are case-sensitive
    ({"caseTitle": 5}, "caseTitle"),
    ({"caseTitle": ["x"]}, "caseTitle"),
    ({"caseTitle": "x" * 255}, "caseTitle"),
    ({"caseTitle": "a\x00b"}, "caseTitle"),
    ({"courtId": "citdc"}, "courtId"),
    ({"courtId": [1]}, "courtId"),
    ({"courtId": ["cit dc"]}, "courtId"),
    ({"courtId": ["x" * 40]}, "courtId"),
    ({"caseId": "abc"}, "caseId"),
    ({"caseId": 1.5}, "caseId"),
    ({"caseId": True}, "caseId"),
    ({"caseId": 0}, "caseId"),
    ({"caseId": -4}, "caseId"),
    ({"caseYear": "20x5"}, "caseYear"),
    ({"caseYear": 1812}, "caseYear"),
    ({"caseYear": {}}, "caseYear"),
    ({"caseYearFrom": 2025, "caseYearTo": 2024}, "caseYearFrom"),
    ({"caseNumber": 100000}, "caseNumber"),
    ({"caseNumberFull": "abc"}, "caseNumberFull"),
    ({"caseNumberFull": "25-cv-000001"}, "caseNumberFull"),
    ({"caseNumberFull": "25-0"}, "caseNumberFull"),
    ({"caseNumberFull": "x:25-1"}, "caseNumberFull"),
    ({"caseOffice": "abc"}, "caseOffice"),
    ({"caseType": "cv"}, "caseType"),
    ({"caseStatus": "X"}, "caseStatus"),
    ({"jurisdictionType": "civil"}, "jurisdictionType"),
    ({"dateFiledFrom": "01/02/2025"}, "dateFiledFrom"),
    ({"dateFiledFrom": "2025-02-30"}, "dateFiledFrom"),
    ({"dateFiledTo": 20250101}, "dateFiledTo"),
    ({"dateFiledFrom": "2025-03-01", "dateFiledTo": "2025-01-01"}, "dateFiledFrom"),
    ({"dateDismissedFrom": "soon"}, "dateDismissedFrom"),
    ({"natureOfSuit": "890"}, "natureOfSuit"),
    ({"natureOfSuit": [True]}, "natureOfSuit"),
    ({"jpmlNumber": "x"}, "jpmlNumber"),
    ({"party": "smith"}, "party"),
    ({"party": {"lastName": 1}}, "party.lastName"),
    ({"party": {"bogus": 1}}, "party.bogus"),
    ({"party": {"lastName": "x", "role": "pla"}}, "party.role"),
    ({"party": {"lastName": "x", "exactNameMatch": "yes"}}, "party.exactNameMatch"),
    ({"party": {"courtCase": {}}}, "party.courtCase"),
    ({"courtCase": {"caseTitle": "x"}}, "courtCase"),  # a party search field
    ({"reportId": {}}, "reportId"),
]


@pytest.mark.parametrize(("body", "field"), CASE_406)
def test_invalid_case_criteria_answer_406_naming_the_field(api, court, people, body, field):
    response = api(people.public).cases(body)
    assert response.status_code == 406, response.content
    data = response.json()
    assert data["error"] == "Validation Exception"
    assert data["field"] == field
    assert data["message"].startswith(f"Invalid search parameter {field}: ")
    assert not AccessCharge.objects.exists()
    row = AuditEvent.objects.get(event_type=Event.PCL_SEARCH)
    assert (row.outcome, row.reason, row.detail) == (
        "failure",
        "invalid_criteria",
        {"field": field},
    )


PARTY_406 = [
    ({"firstName": "x"}, "lastName"),  # neither a last name, an SSN, a case nor a date range
    ({"role": ["pla"]}, "lastName"),
    ({"courtCase": {"caseTitle": "x"}}, "lastName"),
    ({"lastName": "x", "courtCase": {"bogus": 1}}, "courtCase.bogus"),
    ({"lastName": "x", "courtCase": "x"}, "courtCase"),
    ({"lastName": "x", "courtCase": {"party": {}}}, "courtCase.party"),
    ({"lastName": "x", "courtCase": {"dateFiledFrom": "x"}}, "courtCase.dateFiledFrom"),
    ({"lastName": "x", "exactNameMatch": 1}, "exactNameMatch"),
    ({"lastName": "x", "generation": "junior"}, "generation"),
    ({"lastName": "x" * 201}, "lastName"),
    ({"ssn": "123-45-6789"}, "ssn"),  # only with a last name
    ({"lastName": "x", "ssn": "12345"}, "ssn"),
    ({"lastName": "x", "ssn4": "12a4"}, "ssn4"),
    ({"lastName": "x", "caseTitle": "y"}, "caseTitle"),  # a case field outside courtCase
    ({"lastName": "x", "seqNo": "one"}, "seqNo"),
]


@pytest.mark.parametrize(("body", "field"), PARTY_406)
def test_invalid_party_criteria_answer_406_naming_the_field(api, court, people, body, field):
    response = api(people.public).parties(body)
    assert response.status_code == 406, response.content
    assert response.json()["field"] == field
    assert field in response.json()["message"]


@pytest.mark.parametrize(
    "body",
    [
        {},
        {"party": {}},
        {"caseTitle": "   "},
        {"courtId": []},
        {"reportId": "mine"},
        {"caseTitle": None},
    ],
)
def test_an_empty_search_answers_406(api, court, people, body):
    response = api(people.public).cases(body)
    assert response.status_code == 406
    assert "no search criteria" in response.json()["message"]
    assert api(people.public).parties(body).status_code == 406


@pytest.mark.parametrize(
    ("query", "field"),
    [
        ("page=-1", "page"),
        ("page=abc", "page"),
        ("page=1.5", "page"),
        ("page=100", "page"),
        ("page=99999999999999999999", "page"),
        ("sort=bogus,ASC", "sort"),
        ("sort=caseTitle,UP", "sort"),
        ("sort=caseTitle,ASC,DESC", "sort"),
        ("sort=", "sort"),
        ("sort=,ASC", "sort"),
        ("sort=lastName,ASC", "sort"),  # a party field, not a case one
        ("&".join(["sort=caseYear,ASC"] * 11), "sort"),
    ],
)
def test_bad_paging_and_sorting_answer_406(api, court, people, query, field):
    response = api(people.public).cases({"caseTitle": "x"}, query=query)
    assert response.status_code == 406
    assert response.json()["field"] == field
    assert not AccessCharge.objects.exists()


def test_a_99th_page_is_allowed_and_sort_direction_is_case_insensitive(api, court, people):
    client = api(people.public)
    assert client.cases({"caseTitle": "x"}, query="page=99").status_code == 200
    assert client.cases({"caseTitle": "x"}, query="sort=caseTitle,desc").status_code == 200
    assert client.cases({"caseTitle": "x"}, query="sort=caseTitle").status_code == 200


# --- 400 and odd bodies ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("raw", "status"),
    [
        ("{", 400),
        ("caseTitle=x", 400),
        ('{"caseTitle": NaN}', 400),
        (b"\xff\xfe{}", 400),
        ("[" * 100000 + "]" * 100000, 400),  # too large
        ("[" * 20000 + "]" * 20000, 400),  # nested too deep for the parser
        ("[]", 406),
        ('"caseTitle"', 406),
        ("null", 406),
        ("17", 406),
        ('{"caseId": 1' + "0" * 5000 + "}", 400),  # an integer too long to read
        ('{"caseId": 1e400}', 406),
        ('{"caseTitle": "\\ud800"}', 406),  # a lone surrogate: no database stores it
        ('{"\\ud800": 1}', 406),
        ("", 406),  # no body: an empty search
    ],
)
def test_odd_bodies_get_clear_answers_never_a_server_error(api, court, people, raw, status):
    response = api(people.public).cases(None, raw=raw)
    assert response.status_code == status, response.content[:300]
    assert response["Content-Type"] == "application/json"
    assert response.json()["message"]


def test_non_json_content_types_are_read_as_json_and_form_bodies_refused(court, people):
    token = api_token(people.public)
    client = Client()
    response = client.post(
        f"{BASE}/cases/find",
        data='{"caseTitle": "x"}',
        content_type="text/plain",
        headers={"X-NEXT-GEN-CSO": token},
    )
    assert response.status_code == 200
    form = client.post(f"{BASE}/cases/find", data={"a": "b"}, headers={"X-NEXT-GEN-CSO": token})
    assert form.status_code == 400


# --- Paths and methods ---------------------------------------------------------------------------


def test_wrong_methods_answer_405_with_allow(api, court, people):
    client = api(people.public)
    response = client.get("/cases/find")
    assert response.status_code == 405 and response["Allow"] == "POST"
    assert response.json()["error"] == "Method Not Allowed"
    put = client.client.put(f"{BASE}/parties/reports/1", headers=client.headers())
    assert put.status_code == 405 and put["Allow"] == "DELETE"
    assert client.post("/cases/reports", {}).status_code == 405


def test_paths_need_no_trailing_slash_and_unknown_ones_are_json_404s(api, court, people):
    client = api(people.public)
    for path in ("/cases/find/", "/cases/search", "/courts/find", "/cases/download/status/", ""):
        response = client.post(path, {"caseTitle": "x"})
        assert response.status_code == 404, path
        assert response.json()["error"] == "Not Found"
    bare = client.client.post("/pcl-public-api", headers=client.headers())
    assert bare.status_code in (301, 404)
    assert not AccessCharge.objects.exists()


@pytest.mark.parametrize("report_id", ["abc", "-1", "0", "1.0", "99999999999999999999999", "%00"])
def test_odd_report_ids_are_404s(api, court, people, report_id):
    client = api(people.public)
    for response in (
        client.get(f"/cases/download/status/{report_id}"),
        client.get(f"/parties/download/{report_id}"),
        client.delete(f"/cases/reports/{report_id}"),
    ):
        assert response.status_code in (404, 400), response.content
        if response.status_code == 404:
            assert response["Content-Type"] == "application/json"


def test_refused_searches_are_audited(api, court, people):
    client = api(people.public)
    client.cases(None, raw="{")
    client.cases({"bogus": 1})
    rows = AuditEvent.objects.filter(event_type=Event.PCL_SEARCH, outcome="failure")
    assert sorted(rows.values_list("reason", flat=True)) == ["bad_body", "invalid_criteria"]
