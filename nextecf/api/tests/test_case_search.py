"""POST /pcl-public-api/rest/cases/find: what is found, how it is paged and sorted, and the
exact shape of every item (PCL API User Guide; pacer-api-clients.md §6.4-6.5)."""

from __future__ import annotations

import re
from datetime import date

import pytest

from nextecf.api.tests.conftest import add_parties, make_cases
from nextecf.cases.factories import CaseFactory, PartyFactory
from nextecf.cases.models import Case, Party

CASE_KEYS = {
    "courtId",
    "caseId",
    "caseYear",
    "caseNumber",
    "caseOffice",
    "caseType",
    "caseTitle",
    "dateFiled",
    "jurisdictionType",
    "caseLink",
    "caseNumberFull",
}
OPTIONAL_DATES = {"dateTermed", "effectiveDateClosed", "dateReopened"}
INTS = {"caseId", "caseYear", "caseNumber"}


def no_nulls(value) -> bool:
    if value is None:
        return False
    if isinstance(value, dict):
        return all(no_nulls(v) for k, v in value.items() if k != "masterCase")
    if isinstance(value, list):
        return all(no_nulls(v) for v in value)
    return True


def assert_case_item(item: dict, case: Case) -> None:
    assert CASE_KEYS <= item.keys() <= CASE_KEYS | OPTIONAL_DATES
    for key in item:
        expected = int if key in INTS else str
        assert type(item[key]) is expected, (key, item[key])
    assert item == {
        **item,
        "courtId": f"{case.court_id}dc",
        "caseId": case.pk,
        "caseYear": case.year,
        "caseNumber": case.sequence,
        "caseOffice": "1",
        "caseType": "cv",
        "caseTitle": case.title,
        "dateFiled": case.date_filed.isoformat(),
        "jurisdictionType": "Civil",
        "caseNumberFull": f"1:{case.year}cv{case.sequence:05d}",
    }


def titles(response) -> list[str]:
    return [item["caseTitle"] for item in response.json()["content"]]


def test_a_case_item_has_exactly_the_guides_fields_and_types(api, court, people):
    case = CaseFactory(
        court=court, title="Acme Steel v. United States", date_filed=date(2025, 3, 4)
    )
    response = api(people.public).cases({"caseTitle": "Acme"})
    assert response.status_code == 200
    assert response["Content-Type"] == "application/json"
    data = response.json()
    assert set(data) == {"receipt", "pageInfo", "content", "masterCase"}
    assert data["masterCase"] is None
    assert no_nulls(data)
    (item,) = data["content"]
    assert_case_item(item, case)
    assert item.keys() == CASE_KEYS  # an open case: no closing dates at all
    assert item["caseNumberFull"] == f"1:2025cv{case.sequence:05d}"
    assert item["caseLink"] == f"http://127.0.0.1:8000/cit/cgi-bin/iqquerymenu.pl?{case.pk}"


def test_the_case_link_uses_the_court_host_when_ecf_domain_is_set(api, court, people, settings):
    settings.ECF_DOMAIN = "courts.example"
    case = CaseFactory(court=court, title="Hostly v. United States")
    (item,) = api(people.public).cases({"caseTitle": "Hostly"}).json()["content"]
    assert item["caseLink"] == f"https://ecf.cit.courts.example/cgi-bin/iqquerymenu.pl?{case.pk}"


def test_closing_and_reopening_dates_appear_only_when_there_are_some(api, court, people):
    closed = CaseFactory(
        court=court,
        title="Closed v. US",
        date_filed=date(2024, 1, 2),
        date_terminated=date(2024, 6, 1),
    )
    reopened = CaseFactory(
        court=court,
        title="Closed again v. US",
        date_filed=date(2024, 1, 3),
        date_terminated=date(2024, 6, 1),
        date_reopened=date(2024, 7, 1),
    )
    items = {
        i["caseId"]: i for i in api(people.public).cases({"caseTitle": "Closed"}).json()["content"]
    }
    assert items[closed.pk]["dateTermed"] == items[closed.pk]["effectiveDateClosed"] == "2024-06-01"
    assert "dateReopened" not in items[closed.pk]
    # Reopened after it closed: terminated once, reopened, and not closed now.
    assert items[reopened.pk]["dateTermed"] == "2024-06-01"
    assert items[reopened.pk]["dateReopened"] == "2024-07-01"
    assert "effectiveDateClosed" not in items[reopened.pk]
    for item, case in ((items[closed.pk], closed), (items[reopened.pk], reopened)):
        assert_case_item(item, case)


# --- Paging --------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("count", "pages"),
    [(0, 0), (1, 1), (53, 1), (54, 1), (55, 2), (108, 2), (109, 3)],
)
def test_page_info_is_right_at_every_boundary(api, court, people, count, pages):
    cases = make_cases(court, count, "Pager")
    client = api(people.public)
    seen: list[int] = []
    for page in range(max(pages, 1) + 1):  # every page, and one past the end
        response = client.cases({"caseTitle": "Pager"}, query=f"page={page}")
        assert response.status_code == 200
        info = response.json()["pageInfo"]
        on_page = max(0, min(54, count - 54 * page))
        assert info == {
            "number": page,
            "size": 54,
            "totalPages": pages,
            "totalElements": count,
            "numberOfElements": on_page,
            "first": page == 0,
            "last": page + 1 >= pages,
        }
        content = response.json()["content"]
        assert isinstance(content, list) and len(content) == on_page
        seen += [item["caseId"] for item in content]
    # Every case exactly once, in the default order (court, year, number).
    assert seen == [case.pk for case in cases]


def test_page_defaults_to_0_and_pages_do_not_overlap(api, court, people):
    make_cases(court, 60, "Overlap")
    client = api(people.public)
    first = client.post("/cases/find", {"caseTitle": "Overlap"}).json()
    assert first["pageInfo"]["number"] == 0 and len(first["content"]) == 54
    second = client.cases({"caseTitle": "Overlap"}, query="page=1").json()
    ids = [i["caseId"] for i in first["content"] + second["content"]]
    assert len(ids) == len(set(ids)) == 60


def test_the_immediate_search_stops_at_100_pages():
    from nextecf.api.serializers import page_info

    info = page_info(page=99, total=54 * 100 + 7, on_page=54, max_pages=100)
    assert (info["totalPages"], info["totalElements"], info["last"]) == (100, 5407, True)


# --- Across courts -------------------------------------------------------------------------------


def test_a_search_spans_every_court_unless_court_ids_narrow_it(api, court, second_court, people):
    ours = make_cases(court, 3, "Span")
    theirs = make_cases(second_court, 2, "Span")
    client = api(people.public)
    everywhere = client.cases({"caseTitle": "Span"}).json()["content"]
    assert [i["caseId"] for i in everywhere] == [c.pk for c in ours + theirs]
    assert [i["courtId"] for i in everywhere] == ["citdc"] * 3 + ["nyxdc"] * 2
    only_cit = client.cases({"caseTitle": "Span", "courtId": ["CITDC"]}).json()["content"]
    assert [i["caseId"] for i in only_cit] == [c.pk for c in ours]
    both = client.cases({"caseTitle": "Span", "courtId": ["nyxdc", "citdc"]}).json()
    assert both["pageInfo"]["totalElements"] == 5
    # A PCL court that is not one of ours (or not a district-style id) finds nothing.
    for other in (["nysddc"], ["cit"], ["ilnbk"]):
        assert client.cases({"caseTitle": "Span", "courtId": other}).json()["content"] == []


# --- Criteria ------------------------------------------------------------------------------------


@pytest.fixture
def spread(court):
    """Cases of 2024 and 2025 with different dates, states and parties."""
    a = CaseFactory(
        court=court, title="Alpha Trading v. United States", date_filed=date(2024, 2, 1)
    )
    b = CaseFactory(
        court=court,
        title="Beta Imports v. United States",
        date_filed=date(2024, 5, 1),
        date_terminated=date(2024, 9, 30),
    )
    c = CaseFactory(court=court, title="Gamma Corp. v. United States", date_filed=date(2025, 1, 15))
    PartyFactory(case=a, name="Alpha Trading Co.", role=Party.Role.PLAINTIFF)
    PartyFactory(case=b, name="Beta Imports Inc.", role=Party.Role.PLAINTIFF)
    PartyFactory(case=c, name="Gamma Corp.", role=Party.Role.PLAINTIFF)
    PartyFactory(case=c, name="Alpha Steel Ltd.", role=Party.Role.INTERVENOR_DEFENDANT)
    return {"a": a, "b": b, "c": c}


def found(api, people, body) -> set[str]:
    response = api(people.public).cases(body)
    assert response.status_code == 200, response.json()
    return {item["caseTitle"].split()[0] for item in response.json()["content"]}


@pytest.mark.parametrize(
    ("body", "expected"),
    [
        ({"caseTitle": "alpha"}, {"Alpha"}),  # starts-with, any letter case
        ({"caseTitle": "Trading"}, set()),  # not a prefix
        ({"caseTitle": "  beta "}, {"Beta"}),
        ({"caseYear": "2024"}, {"Alpha", "Beta"}),
        ({"caseYear": 2025}, {"Gamma"}),
        ({"caseYear": "25"}, {"Gamma"}),
        ({"caseYearFrom": 2025, "caseYearTo": "2026"}, {"Gamma"}),
        ({"dateFiledFrom": "2024-03-01"}, {"Beta", "Gamma"}),
        ({"dateFiledFrom": "2024-02-01", "dateFiledTo": "2024-05-01"}, {"Alpha", "Beta"}),
        ({"dateTermedFrom": "2024-09-01", "dateTermedTo": "2024-09-30"}, {"Beta"}),
        ({"effectiveDateClosedFrom": "2024-01-01"}, {"Beta"}),
        ({"caseStatus": "C"}, {"Beta"}),
        ({"caseStatus": "o", "caseYear": "2024"}, {"Alpha"}),
        ({"jurisdictionType": "cv", "caseYear": "2024"}, {"Alpha", "Beta"}),
        ({"jurisdictionType": "BK", "caseYear": "2024"}, set()),
        ({"caseType": ["cv"], "caseYear": 2025}, {"Gamma"}),
        ({"caseType": ["bk", "cr"]}, set()),
        ({"caseOffice": "1", "caseYear": 2025}, {"Gamma"}),
        ({"caseOffice": "2"}, set()),
        ({"party": {"lastName": "alpha"}}, {"Alpha", "Gamma"}),
        ({"party": {"lastName": "alpha", "role": ["pla"]}}, {"Alpha"}),
        ({"party": {"lastName": "alpha", "role": ["intvd"]}}, {"Gamma"}),
        ({"party": {"lastName": "Gamma Corp.", "exactNameMatch": True}}, {"Gamma"}),
        ({"party": {"lastName": "Gamma", "exactNameMatch": True}}, set()),
        ({"party": {"lastName": "alpha", "firstName": "steel"}}, {"Gamma"}),
        # Criteria no court here can meet: accepted, and nothing is found.
        ({"caseYear": 2024, "natureOfSuit": ["890"]}, set()),
        ({"caseYear": 2024, "nos": [890]}, set()),
        ({"caseYear": 2024, "federalBankruptcyChapter": [7, "11"]}, set()),
        ({"caseYear": 2024, "dateDischargedFrom": "2024-01-01"}, set()),
        ({"caseYear": 2024, "jpmlNumber": 12}, set()),
    ],
)
def test_every_criterion_given_must_be_met(api, people, spread, body, expected):
    assert found(api, people, body) == expected


def test_case_numbers_are_found_in_every_form_pcl_accepts(api, court, people):
    make_cases(court, 3, "Numbered", start=date(2025, 1, 1))
    target = Case.objects.get(court=court, year=2025, sequence=2)
    client = api(people.public)
    forms = [
        "25-2",
        "25-00002",
        "25-cv-00002",
        "25 cv 2",
        "25cv00002",
        "2500002",
        "1:25-cv-00002",
        "1:25-cv-00002-GSK",
        "2025-00002",
        "1:2025cv00002",
        "202500002",
        "1:25CV2",
        "01:25-cv-2",
    ]
    for form in forms:
        items = client.cases({"caseNumberFull": form}).json()["content"]
        assert [i["caseId"] for i in items] == [target.pk], form
    for form in ("2:25-cv-00002", "25-bk-00002", "24-00002"):
        assert client.cases({"caseNumberFull": form}).json()["content"] == [], form
    by_parts = client.cases({"caseYear": "2025", "caseNumber": "2"}).json()["content"]
    assert [i["caseId"] for i in by_parts] == [target.pk]
    by_id = client.cases({"caseId": target.pk}).json()["content"]
    assert [i["caseId"] for i in by_id] == [target.pk]
    assert client.cases({"caseId": str(target.pk)}).json()["content"] == by_id


# --- Sorting -------------------------------------------------------------------------------------


def test_sort_by_title_descending_with_an_encoded_comma(api, people, spread):
    client = api(people.public)
    plain = client.cases({"caseTitle": "a"}, query="page=0&sort=caseTitle,DESC")
    encoded = client.cases({"caseTitle": "a"}, query="page=0&sort=caseTitle%2CDESC")
    assert titles(plain) == titles(encoded) == ["Alpha Trading v. United States"]
    every = {"caseYearFrom": 2000}
    assert [t.split()[0] for t in titles(client.cases(every, query="sort=caseTitle%2CDESC"))] == [
        "Gamma",
        "Beta",
        "Alpha",
    ]
    assert [t.split()[0] for t in titles(client.cases(every, query="sort=caseTitle"))] == [
        "Alpha",
        "Beta",
        "Gamma",
    ]


def test_sorts_apply_in_priority_order_and_no_op_fields_are_accepted(api, court, people):
    for day, title in ((3, "Same"), (1, "Same"), (2, "Other")):
        CaseFactory(court=court, title=f"{title} v. US", date_filed=date(2024, 1, day))
    client = api(people.public)
    body = {"caseYear": 2024}

    def order(query: str) -> list[tuple[str, str]]:
        content = client.cases(body, query=query).json()["content"]
        return [(i["caseTitle"].split()[0], i["dateFiled"][-2:]) for i in content]

    assert order("sort=natureOfSuit,ASC&sort=caseTitle,DESC&sort=dateFiled,ASC") == [
        ("Same", "01"),
        ("Same", "03"),
        ("Other", "02"),
    ]
    assert order("sort=caseTitle,DESC&sort=dateFiled,DESC") == [
        ("Same", "03"),
        ("Same", "01"),
        ("Other", "02"),
    ]
    assert order("sort=dateFiled,DESC") == [("Same", "03"), ("Other", "02"), ("Same", "01")]
    # The default: court, year, case number (the order they were opened).
    assert order("page=0") == [("Same", "03"), ("Same", "01"), ("Other", "02")]


def test_closed_dates_sort_with_empty_values_last_ascending(api, people, spread):
    client = api(people.public)
    response = client.cases({"caseYearFrom": 2000}, query="sort=effectiveDateClosed,ASC")
    assert titles(response)[0].startswith("Beta")
    response = client.cases({"caseYearFrom": 2000}, query="sort=effectiveDateClosed,DESC")
    assert titles(response)[-1].startswith("Beta")


def test_pcl_number_and_links_stay_consistent_with_the_database(api, court, second_court, people):
    cases = make_cases(court, 5, "Consistent") + make_cases(second_court, 5, "Consistent")
    items = api(people.public).cases({"caseTitle": "consistent"}).json()["content"]
    assert len(items) == 10
    for item, case in zip(items, cases, strict=True):
        assert_case_item(item, case)
        assert re.fullmatch(r"\d:\d{4}cv\d{5}", item["caseNumberFull"])
        assert item["caseLink"].endswith(f"/{case.court_id}/cgi-bin/iqquerymenu.pl?{case.pk}")


def test_parties_added_per_case_do_not_duplicate_cases(api, court, people):
    cases = make_cases(court, 3, "Dup")
    add_parties(cases, "Dup Plaintiff")
    add_parties(cases, "Dup Other", role=Party.Role.DEFENDANT)
    items = api(people.public).cases({"party": {"lastName": "dup"}}).json()
    assert items["pageInfo"]["totalElements"] == 3


def test_the_case_link_opens_the_cases_query_menu(api, court, people):
    from urllib.parse import urlsplit

    case = CaseFactory(court=court, title="Linked v. United States")
    client = api(people.public)
    (item,) = client.cases({"caseTitle": "linked"}).json()["content"]
    link = urlsplit(item["caseLink"])
    page = client.client.get(f"{link.path}?{link.query}", headers=client.headers())
    assert page.status_code == 200
    assert case.title in page.content.decode()


def test_a_case_with_a_judge_carries_the_judges_last_name(api, court, people):
    from nextecf.cases.factories import JudgeFactory

    judges = [
        JudgeFactory(court=court, name="M. Miller Baker", initials="MMB"),
        JudgeFactory(court=court, name="Raymond Doe, Jr.", initials="RDJ"),
    ]
    for n, judge in enumerate(judges):
        CaseFactory(court=court, title=f"Judged {n} v. United States", judge=judge)
    CaseFactory(court=court, title="Judged 9 v. United States", judge=None)
    items = api(people.public).cases({"caseTitle": "Judged"}).json()["content"]
    assert [item.get("judgeLastName") for item in items] == ["Baker", "Doe", None]
    # In the guide's order: after jurisdictionType, before caseLink.
    keys = list(items[0])
    assert keys.index("jurisdictionType") + 1 == keys.index("judgeLastName")
    assert keys.index("judgeLastName") + 1 == keys.index("caseLink")
    party = {"lastName": "Judged", "courtCase": {"caseTitle": "Judged 0"}}
    PartyFactory(case=Case.objects.get(title="Judged 0 v. United States"), name="Judged Inc.")
    (row,) = api(people.public).parties(party).json()["content"]
    assert row["courtCase"]["judgeLastName"] == "Baker"


@pytest.mark.parametrize("region", ["ny", "NY", "02", " ny "])
def test_a_region_code_finds_the_courts_in_that_region(api, court, second_court, people, region):
    ours = make_cases(court, 2, "Regional")
    make_cases(second_court, 1, "Regional")
    found = api(people.public).cases({"caseTitle": "Regional", "courtId": [region]}).json()
    assert [i["caseId"] for i in found["content"]] == [c.pk for c in ours]


@pytest.mark.parametrize("region", ["il", "09", "dc"])
def test_a_region_without_a_court_of_ours_finds_nothing(api, court, people, region):
    make_cases(court, 1, "Regional")
    found = api(people.public).cases({"caseTitle": "Regional", "courtId": [region]}).json()
    assert found["content"] == [] and found["pageInfo"]["totalElements"] == 0
