"""The PCL API in XML (PCL API User Guide: "Requests and responses are JSON or XML"): with
an Accept header preferring application/xml, the same answers as in JSON, built from the
same dicts, under the guide's root elements in PCL's namespace."""

from __future__ import annotations

from datetime import date
from xml.etree import ElementTree

import pytest
import time_machine
from pydantic import TypeAdapter

from nextecf.api.schemas import CaseList
from nextecf.api.tests.conftest import make_cases
from nextecf.cases.factories import PartyFactory

NS = "{https://pacer.uscourts.gov}"
XML = {"Accept": "application/xml"}


def parse(response) -> ElementTree.Element:
    assert response.status_code == 200, response.content[:300]
    assert response["Content-Type"] == "application/xml; charset=utf-8"
    return ElementTree.fromstring(response.content)  # noqa: S314 - our own server's answer


def as_dict(element: ElementTree.Element, lists: frozenset[str]) -> dict:
    """The element back as the JSON answer's shape (lists named in `lists`)."""
    out: dict = {}
    for child in element:
        name = child.tag.removeprefix(NS)
        value = as_dict(child, lists) if len(child) else (child.text or "")
        if name in lists:
            out.setdefault(name, []).append(value)
        else:
            out[name] = value
    return out


def stringly(value):
    """JSON values as XML text: every scalar a string, booleans lower case, nulls gone."""
    if isinstance(value, dict):
        return {k: stringly(v) for k, v in value.items() if v is not None}
    if isinstance(value, list):
        return [stringly(v) for v in value]
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


@time_machine.travel("2020-12-18 11:01:48.267 -0600", tick=False)
def test_a_case_search_answers_in_xml_field_for_field(api, court, people):
    make_cases(court, 2, "Xml", start=date(2024, 1, 2))
    client = api(people.public)
    as_json = client.cases({"caseTitle": "Xml"}).json()
    TypeAdapter(CaseList).validate_python(as_json)  # the model both answers are built from
    root = parse(client.cases({"caseTitle": "Xml"}, headers=XML))
    assert root.tag == f"{NS}caseList"
    got = as_dict(root, frozenset({"content"}))
    expected = stringly(as_json)
    # The guide's XML form of a time: the zone offset with a colon.
    assert got["receipt"]["transactionDate"] == "2020-12-18T11:01:48.267-06:00"
    assert expected["receipt"]["transactionDate"] == "2020-12-18T11:01:48.267-0600"
    for receipt in (got["receipt"], expected["receipt"]):
        del receipt["transactionDate"], receipt["reportId"]
    assert got == expected
    assert "masterCase" not in got  # null: left out


def test_a_party_search_and_batch_reports_answer_in_xml(api, court, people):
    (case,) = make_cases(court, 1, "Xmlparty")
    PartyFactory(case=case, name="Xmlparty Trading Co.")
    client = api(people.public)
    parties = parse(client.parties({"lastName": "Xmlparty"}, headers=XML))
    assert parties.tag == f"{NS}partyList"
    (row,) = parties.findall(f"{NS}content")
    assert row.findtext(f"{NS}lastName") == "Xmlparty Trading Co."
    assert row.find(f"{NS}courtCase").findtext(f"{NS}caseId") == str(case.pk)
    started = client.post("/cases/download", {"caseTitle": "Xmlparty"}, headers=XML)
    info = parse(started)
    assert info.tag == f"{NS}reportInfo"
    report_id = info.findtext(f"{NS}reportId")
    assert info.findtext(f"{NS}status") == "COMPLETED"
    listed = parse(client.get("/cases/reports", headers=XML))
    assert listed.tag == f"{NS}reportList"
    assert [r.findtext(f"{NS}reportId") for r in listed.findall(f"{NS}content")] == [report_id]
    downloaded = parse(client.get(f"/cases/download/{report_id}", headers=XML))
    assert downloaded.tag == f"{NS}download"
    assert downloaded.find(f"{NS}content").findtext(f"{NS}caseId") == str(case.pk)


@pytest.mark.parametrize(
    ("accept", "xml"),
    [
        ("application/xml", True),
        ("text/xml", True),
        ("application/json", False),
        ("application/json, application/xml;q=0.5", False),
        ("application/xml, application/json;q=0.5", True),
        ("*/*", False),
        ("", False),
    ],
)
def test_json_unless_the_accept_header_prefers_xml(api, court, people, accept, xml):
    make_cases(court, 1, "Negotiated")
    response = api(people.public).cases({"caseTitle": "Negotiated"}, headers={"Accept": accept})
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/xml" if xml else "application/json")


def test_errors_stay_json_when_xml_is_asked_for(api, court, people):
    refused = api(people.public).cases({"caseYear": "twenty"}, headers=XML)
    assert refused.status_code == 406 and refused["Content-Type"] == "application/json"
    assert api(None).cases({"caseTitle": "x"}, headers=XML).status_code == 401


def post_xml(client, path: str, body: str, **headers: str):
    return client.client.post(
        "/pcl-public-api/rest" + path,
        data=body,
        content_type="application/xml",
        headers=client.headers(headers or None),
    )


def test_an_xml_case_search_finds_what_the_same_json_search_finds(api, court, second_court, people):
    year = make_cases(court, 3, "Xmlreq")[0].year
    make_cases(second_court, 2, "Xmlreq")
    client = api(people.public)
    body = (
        '<?xml version="1.0"?><caseSearch xmlns="https://pacer.uscourts.gov">'
        "<caseTitle>Xmlreq</caseTitle><courtId>citdc</courtId><courtId>nyxdc</courtId>"
        f"<caseYear>{year}</caseYear></caseSearch>"
    )
    from_xml = post_xml(client, "/cases/find?page=0", body).json()
    json_body = {"caseTitle": "Xmlreq", "courtId": ["citdc", "nyxdc"], "caseYear": str(year)}
    from_json = client.cases(json_body).json()
    assert from_xml["content"] == from_json["content"]
    assert from_xml["pageInfo"]["totalElements"] == 5
    # One courtId element is still a list of one.
    one = "<caseSearch><caseTitle>Xmlreq</caseTitle><courtId>nyxdc</courtId></caseSearch>"
    assert post_xml(client, "/cases/find", one).json()["pageInfo"]["totalElements"] == 2


def test_an_xml_party_search_with_a_nested_court_case(api, court, second_court, people):
    (ours,) = make_cases(court, 1, "Nested")
    (theirs,) = make_cases(second_court, 1, "Nested")
    PartyFactory(case=ours, name="Nestedparty Co.")
    PartyFactory(case=theirs, name="Nestedparty Co.")
    body = (
        "<partySearch><lastName>Nestedparty</lastName><exactNameMatch>false</exactNameMatch>"
        "<courtCase><courtId>citdc</courtId></courtCase></partySearch>"
    )
    found = post_xml(api(people.public), "/parties/find", body, Accept="application/xml")
    rows = parse(found).findall(f"{NS}content")
    assert [r.findtext(f"{NS}caseId") for r in rows] == [str(ours.pk)]


@pytest.mark.parametrize(
    ("body", "status", "field"),
    [
        ("<caseSearch><caseYear>twenty</caseYear></caseSearch>", 406, "caseYear"),
        ("<caseSearch><caseTitle>a</caseTitle><caseTitle>b</caseTitle></caseSearch>", 406, None),
        ("<caseSearch><caseTitle>a</caseTitle>", 400, None),
        ("<search><caseTitle>a</caseTitle></search>", 400, None),
        (
            '<!DOCTYPE x [<!ENTITY e "boom">]><caseSearch><caseTitle>&e;</caseTitle></caseSearch>',
            400,
            None,
        ),
        (
            "<caseSearch>" + "<caseTitle>" * 6 + "a" + "</caseTitle>" * 6 + "</caseSearch>",
            400,
            None,
        ),
    ],
)
def test_bad_xml_is_refused_naming_the_problem(api, court, people, body, status, field):
    response = post_xml(api(people.public), "/cases/find", body)
    assert response.status_code == status
    data = response.json()
    assert data["message"]
    if field:
        assert data["field"] == field
