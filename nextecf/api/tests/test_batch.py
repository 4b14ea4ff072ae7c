"""Batch searches: POST .../download starts a report (run at once, stored in the database),
status, results (billed once), the caller's list, delete; another user's report is 404."""

from __future__ import annotations

import pytest

from nextecf.api.models import PclReport
from nextecf.api.tests.conftest import add_parties, make_cases
from nextecf.audit.models import AuditEvent, Event
from nextecf.billing.models import AccessCharge

REPORT_KEYS = {
    "reportId",
    "status",
    "startTime",
    "endTime",
    "recordCount",
    "unbilledPageCount",
    "downloadFee",
    "pages",
    "sort",
    "searchType",
    "criteria",
}


def immediate_rows(client, kind: str, body: dict) -> list[dict]:
    rows, page = [], 0
    while True:
        data = client.post(f"/{kind}/find?page={page}", body).json()
        rows += data["content"]
        if data["pageInfo"]["last"]:
            return rows
        page += 1


def test_a_case_report_from_start_to_delete(api, court, second_court, people):
    make_cases(court, 70, "Batch")
    make_cases(second_court, 5, "Batch")
    client = api(people.public)
    body = {"caseTitle": "batch", "caseNumberFull": None, "dateFiledFrom": "2025-01-01"}
    started = client.post("/cases/download?sort=caseTitle,DESC", body)
    assert started.status_code == 200
    info = started.json()
    assert info.keys() == REPORT_KEYS
    report_id = info["reportId"]
    assert isinstance(report_id, int)
    assert info["status"] == "COMPLETED"
    assert (info["recordCount"], info["pages"], info["unbilledPageCount"]) == (75, 2, 2)
    assert info["downloadFee"] == 0.0 and info["searchType"] == "COURT_CASE"
    assert info["sort"] == {
        "orders": [
            {
                "direction": "DESC",
                "property": "caseTitle",
                "ignoreCase": False,
                "nullHandling": "NATIVE",
            }
        ]
    }
    assert info["criteria"] == {
        "caseTitle": "batch",
        "dateFiledFrom": "2025-01-01",
        "requestType": "Batch",
        "requestSource": "Other",
    }
    assert not AccessCharge.objects.exists()  # starting a report is free

    status = client.get(f"/cases/download/status/{report_id}")
    assert status.status_code == 200 and status.json() == info
    listed = client.get("/cases/reports").json()
    assert listed["receipt"] is None
    assert [r["reportId"] for r in listed["content"]] == [report_id]
    assert listed["pageInfo"]["totalElements"] == 1
    assert client.get("/parties/reports").json()["content"] == []

    results = client.get(f"/cases/download/{report_id}").json()
    assert results.keys() == {"receipt", "pageInfo", "content"}
    assert results["receipt"]["billablePages"] == 2
    assert results["receipt"]["searchFee"] == ".20"
    assert results["receipt"]["reportId"] == str(report_id)
    assert results["pageInfo"]["totalElements"] == len(results["content"]) == 75
    # The same rows an immediate search finds, in the report's sort.
    immediate = immediate_rows(client, "cases", {"caseTitle": "batch"})
    assert results["content"] == sorted(immediate, key=lambda r: r["caseTitle"], reverse=True)
    assert [r["caseTitle"] for r in results["content"]][:2] == [
        "Batch 069 v. United States",
        "Batch 068 v. United States",
    ]
    charge = AccessCharge.objects.get(search_criteria__contains="Batch Report")
    assert (charge.pages, charge.cost_cents) == (2, 20)
    assert charge.search_criteria == (
        f"All Courts; Case Title batch; dateFiled From 2025-01-01; Batch Report {report_id}; "
        "Rows: 75"
    )
    assert PclReport.objects.get().charge == charge
    charges_before = AccessCharge.objects.count()

    again = client.get(f"/cases/download/{report_id}").json()
    assert again == results  # the same receipt: billed once
    assert AccessCharge.objects.count() == charges_before
    billed = client.get(f"/cases/download/status/{report_id}").json()
    assert (billed["unbilledPageCount"], billed["downloadFee"]) == (0, 0.2)

    deleted = client.delete(f"/cases/reports/{report_id}")
    assert deleted.status_code == 204 and deleted.content == b""
    assert client.get(f"/cases/download/status/{report_id}").status_code == 404
    assert client.get(f"/cases/download/{report_id}").status_code == 404
    assert client.delete(f"/cases/reports/{report_id}").status_code == 404
    assert client.get("/cases/reports").json()["content"] == []
    assert AccessCharge.objects.filter(pk=charge.pk).exists()  # the charge stays
    first = AuditEvent.objects.filter(event_type=Event.PCL_SEARCH).order_by("pk").first()
    assert first.detail["batch"] == report_id and first.detail["results"] == 75
    report_rows = AuditEvent.objects.filter(event_type=Event.PCL_REPORT).order_by("pk")
    assert [row.detail["action"] for row in report_rows] == ["download", "delete"]


def test_a_party_report(api, court, people):
    cases = make_cases(court, 3, "Partied")
    add_parties(cases, "Batch Party")
    client = api(people.public)
    info = client.post("/parties/download", {"lastName": "batch party"}).json()
    assert info["searchType"] == "PARTY" and info["recordCount"] == 3
    rows = client.get(f"/parties/download/{info['reportId']}").json()
    assert [r["lastName"] for r in rows["content"]] == [f"Batch Party {n:03d}" for n in range(3)]
    assert rows["receipt"]["description"] == "All Court Types Party Search"
    # A party report is not found under /cases, nor a case report under /parties.
    assert client.get(f"/cases/download/status/{info['reportId']}").status_code == 404
    assert client.delete(f"/cases/reports/{info['reportId']}").status_code == 404
    assert client.delete(f"/parties/reports/{info['reportId']}").status_code == 204


def test_a_report_with_no_rows_still_costs_one_page(api, court, people):
    client = api(people.public)
    info = client.post("/cases/download", {"caseTitle": "nothing at all"}).json()
    assert (info["recordCount"], info["pages"], info["unbilledPageCount"]) == (0, 0, 1)
    rows = client.get(f"/cases/download/{info['reportId']}").json()
    assert rows["content"] == [] and rows["receipt"]["billablePages"] == 1


def test_another_users_report_is_not_found(api, court, people):
    mine = api(people.public)
    theirs = api(people.other_filer)
    info = mine.post("/cases/download", {"caseTitle": "x"}).json()
    rid = info["reportId"]
    for response in (
        theirs.get(f"/cases/download/status/{rid}"),
        theirs.get(f"/cases/download/{rid}"),
        theirs.delete(f"/cases/reports/{rid}"),
    ):
        assert response.status_code == 404
        assert response.json()["error"] == "Not Found"
    assert theirs.get("/cases/reports").json()["content"] == []
    assert PclReport.objects.filter(pk=rid).exists()
    assert not AccessCharge.objects.exists()
    # The owner still has it, through another sign-on of the same account too.
    assert api(people.public).get(f"/cases/download/status/{rid}").status_code == 200


def test_at_most_ten_reports_are_held(api, court, people):
    client = api(people.public)
    ids = [
        client.post("/cases/download", {"caseTitle": f"r{n}"}).json()["reportId"] for n in range(6)
    ]
    ids += [
        client.post("/parties/download", {"lastName": f"p{n}"}).json()["reportId"] for n in range(4)
    ]
    refused = client.post("/cases/download", {"caseTitle": "one more"})
    assert refused.status_code == 429
    assert "10" in refused.json()["message"]
    assert PclReport.objects.count() == 10
    client.delete(f"/cases/reports/{ids[0]}")
    assert client.post("/cases/download", {"caseTitle": "one more"}).status_code == 200


@pytest.mark.parametrize(
    ("path", "body", "field"),
    [
        ("/cases/download", {}, "body"),
        ("/cases/download", {"caseTitle": 1}, "caseTitle"),
        ("/parties/download", {"firstName": "x"}, "lastName"),
        ("/cases/download?sort=nope,ASC", {"caseTitle": "x"}, "sort"),
    ],
)
def test_invalid_report_criteria_create_nothing(api, court, people, path, body, field):
    response = api(people.public).post(path, body)
    assert response.status_code == 406 and response.json()["field"] == field
    assert not PclReport.objects.exists()


def test_reports_are_stored_results_not_live_ones(api, court, people):
    """Rows are what the search found when it ran."""
    make_cases(court, 2, "Snapshot")
    client = api(people.public)
    rid = client.post("/cases/download", {"caseTitle": "snapshot"}).json()["reportId"]
    make_cases(court, 3, "Snapshot")
    assert len(client.get(f"/cases/download/{rid}").json()["content"]) == 2


def test_an_ssn_searched_with_is_never_stored(api, court, people):
    client = api(people.public)
    body = {"lastName": "Doe", "ssn": "123-45-6789"}
    info = client.post("/parties/download", body).json()
    report = PclReport.objects.get(pk=info["reportId"])
    assert "6789" not in str(report.criteria) + str(report.echo) + report.search
    assert report.criteria == {"lastName": "Doe"}
    case_info = client.post("/cases/download", {"party": {"lastName": "Doe", "ssn4": "6789"}})
    stored = PclReport.objects.get(pk=case_info.json()["reportId"])
    assert stored.criteria == {"party": {"lastName": "Doe"}}


@pytest.mark.parametrize("kind", ["cases", "parties"])
def test_a_case_sealed_after_the_report_ran_is_not_in_its_download(api, court, people, kind):
    """Finding: a report made before a case was sealed still returned the case after."""
    cases = make_cases(court, 3, "Sealing")
    add_parties(cases, "Sealing Party")
    client = api(people.public)
    body = {"caseTitle": "sealing"} if kind == "cases" else {"lastName": "sealing party"}
    rid = client.post(f"/{kind}/download", body).json()["reportId"]
    type(cases[1]).objects.filter(pk=cases[1].pk).update(is_sealed=True)
    rows = client.get(f"/{kind}/download/{rid}").json()
    assert [row["caseId"] for row in rows["content"]] == [cases[0].pk, cases[2].pk]
    assert rows["pageInfo"]["totalElements"] == 2
    assert cases[1].title not in str(rows)
