"""POST /pcl-public-api/rest/parties/find."""

from __future__ import annotations

from datetime import date

import pytest

from nextecf.api.tests.conftest import add_parties, make_cases
from nextecf.cases.factories import CaseFactory, PartyFactory
from nextecf.cases.models import Party

PARTY_KEYS = {
    "courtId",
    "caseId",
    "caseYear",
    "caseNumber",
    "lastName",
    "firstName",
    "middleName",
    "generation",
    "partyType",
    "partyRole",
    "jurisdictionType",
    "courtCase",
    "dateFiled",
    "caseOffice",
    "caseType",
    "caseTitle",
    "caseNumberFull",
}


def names(response) -> list[str]:
    assert response.status_code == 200, response.json()
    return [item["lastName"] for item in response.json()["content"]]


def test_a_party_item_has_the_guides_fields_and_types(api, court, people):
    case = CaseFactory(
        court=court,
        title="Omega Steel v. United States",
        date_filed=date(2025, 2, 3),
        date_terminated=date(2025, 8, 1),
    )
    PartyFactory(case=case, name="Omega Steel LLC", role=Party.Role.PLAINTIFF)
    response = api(people.public).parties({"lastName": "omega"})
    data = response.json()
    assert set(data) == {"receipt", "pageInfo", "content", "masterCase"}
    assert data["receipt"]["description"] == "All Court Types Party Search"
    (item,) = data["content"]
    assert item.keys() == PARTY_KEYS | {"dateTermed", "effectiveDateClosed"}
    assert item["lastName"] == "Omega Steel LLC"
    assert (item["firstName"], item["middleName"], item["generation"]) == (" ", " ", " ")
    assert (item["partyType"], item["partyRole"], item["jurisdictionType"]) == (
        "pty",
        "pla",
        "Civil",
    )
    assert (item["caseId"], item["caseYear"], item["caseNumber"]) == (
        case.pk,
        2025,
        case.sequence,
    )
    assert item["courtCase"]["caseId"] == case.pk
    assert item["courtCase"]["caseLink"].endswith(f"iqquerymenu.pl?{case.pk}")
    for key in ("dateFiled", "dateTermed", "effectiveDateClosed", "caseTitle", "caseNumberFull"):
        assert item[key] == item["courtCase"][key]
    assert item["caseNumberFull"] == f"1:2025cv{case.sequence:05d}"
    for key in ("caseId", "caseYear", "caseNumber"):
        assert type(item[key]) is int and type(item["courtCase"][key]) is int


@pytest.fixture
def parties(court, second_court):
    a = CaseFactory(court=court, title="Sun Co. v. United States", date_filed=date(2024, 3, 1))
    b = CaseFactory(court=second_court, title="Moon v. Sun", date_filed=date(2025, 3, 1))
    PartyFactory(case=a, name="Sun Co.", role=Party.Role.PLAINTIFF)
    PartyFactory(case=a, name="United States", role=Party.Role.DEFENDANT)
    PartyFactory(case=b, name="Moon Sun Partners", role=Party.Role.PLAINTIFF)
    PartyFactory(case=b, name="Sun Co.", role=Party.Role.DEFENDANT, extra_info="a Delaware corp")
    return a, b


@pytest.mark.parametrize(
    ("body", "expected"),
    [
        ({"lastName": "sun"}, ["Sun Co.", "Sun Co."]),
        ({"lastName": "Sun Co.", "exactNameMatch": True}, ["Sun Co.", "Sun Co."]),
        ({"lastName": "Sun", "exactNameMatch": True}, []),
        ({"lastName": "sun", "role": ["dft"]}, ["Sun Co."]),
        ({"lastName": "sun", "role": ["pla", "dft"]}, ["Sun Co.", "Sun Co."]),
        ({"lastName": "sun", "courtId": ["nyxdc"]}, ["Sun Co."]),
        ({"lastName": "sun", "courtCase": {"courtId": ["citdc"]}}, ["Sun Co."]),
        ({"lastName": "sun", "courtId": ["citdc"], "courtCase": {"courtId": ["nyxdc"]}}, []),
        ({"lastName": "moon", "firstName": "sun"}, ["Moon Sun Partners"]),
        ({"lastName": "moon", "firstName": "su"}, []),
        ({"lastName": "s", "courtCase": {"dateFiledFrom": "2025-01-01"}}, ["Sun Co."]),
        ({"lastName": "sun", "description": "delaware"}, ["Sun Co."]),
        ({"lastName": "sun", "partyType": "pty"}, ["Sun Co.", "Sun Co."]),
        ({"lastName": "sun", "partyType": "aty"}, []),
        ({"lastName": "sun", "caseYearFrom": 2025}, ["Sun Co."]),
        (
            {"lastName": "sun", "caseYearFrom": 2020, "courtCase": {"caseYearFrom": 2025}},
            ["Sun Co."],
        ),
        ({"lastName": "sun", "caseYearTo": 2024, "courtCase": {"caseYearFrom": 2025}}, []),
        ({"lastName": "sun", "caseYear": 2024, "courtCase": {"caseYear": 2025}}, []),
        ({"lastName": "sun", "jurisdictionType": "cv"}, ["Sun Co.", "Sun Co."]),
        ({"lastName": "sun", "jurisdictionType": "bk"}, []),
        ({"lastName": "sun", "ssn4": "1234"}, []),  # bankruptcy debtors only
        ({"lastName": "sun", "aliasType": "aka"}, []),
        (
            {"courtCase": {"dateFiledFrom": "2024-01-01", "caseTitle": "moon"}},
            ["Moon Sun Partners", "Sun Co."],
        ),
    ],
)
def test_party_criteria(api, people, parties, body, expected):
    assert names(api(people.public).parties(body)) == expected


def test_a_party_search_by_case_number_lists_that_cases_parties(api, people, parties):
    a, _ = parties
    response = api(people.public).parties({"caseNumberFull": f"{a.year % 100}-{a.sequence}"})
    assert names(response) == ["Sun Co.", "United States"]
    by_id = api(people.public).parties({"caseId": a.pk, "courtId": ["citdc"]})
    assert names(by_id) == ["Sun Co.", "United States"]


def test_party_sorts(api, people, parties):
    client = api(people.public)
    body = {"lastName": "sun"}
    by_court = client.parties(body, query="sort=courtId,DESC").json()["content"]
    assert [i["courtId"] for i in by_court] == ["nyxdc", "citdc"]
    by_role = client.parties(body, query="sort=role%2CDESC").json()["content"]
    assert [i["partyRole"] for i in by_role] == ["pla", "dft"]  # Plaintiff > Defendant
    assert client.parties(body, query="sort=caseTitle,ASC").status_code == 406


def test_party_search_pages_like_case_search(api, court, people):
    cases = make_cases(court, 60, "Paged")
    add_parties(cases, "Pagination Party")
    client = api(people.public)
    first = client.parties({"lastName": "pagination"}).json()
    second = client.parties({"lastName": "pagination"}, query="page=1").json()
    assert first["pageInfo"] == {
        "number": 0,
        "size": 54,
        "totalPages": 2,
        "totalElements": 60,
        "numberOfElements": 54,
        "first": True,
        "last": False,
    }
    assert second["pageInfo"]["numberOfElements"] == 6 and second["pageInfo"]["last"]
    found = [i["lastName"] for i in first["content"] + second["content"]]
    assert found == [f"Pagination Party {n:03d}" for n in range(60)]
