"""DocketReport, end to end: juriscraper logs in through /services/cso-auth and posts
DktRpt.pl?1-L_1_0-1 on ecf.cit.uscourts.gov; every field it parses is what the database
holds."""

from __future__ import annotations

from nextecf.billing.models import AccessCharge
from tests.juriscraper import expected
from tests.juriscraper.conftest import ECF


def docket_of(pacer, case, **options):
    from juriscraper.pacer import DocketReport

    async def fetch(session):
        report = DocketReport("cit", pacer_session=session)
        await report.query(str(case.pk), show_parties_and_counsel=True, **options)
        return report.data, report.response

    return pacer.run(fetch)


def test_a_simple_case(pacer, simple_case):
    from juriscraper.pacer.http import check_if_logged_in_page

    data, response = docket_of(pacer, simple_case)
    assert data == expected.docket(simple_case, terminated=False)
    assert check_if_logged_in_page(response.content)
    # One login, one report; billed like the page a person runs.
    assert pacer.urls() == [
        "https://pacer.login.uscourts.gov/services/cso-auth",
        f"{ECF}/cgi-bin/DktRpt.pl?1-L_1_0-1",
    ]
    charge = AccessCharge.objects.get()
    assert (charge.description, charge.account.username) == ("Docket Report", "jscraper01")
    assert charge.search_criteria.startswith(f"{simple_case.number}-GSK")
    assert charge.cost_cents == charge.pages * 10 > 0


def test_a_panel_case_with_twelve_parties_attachments_and_terminations(pacer, panel_case):
    data, _ = docket_of(pacer, panel_case, show_terminated_parties=True)
    want = expected.docket(panel_case)
    assert data["parties"] == want["parties"]
    assert data == want
    assert data["assigned_to_str"] == ""  # a panel, as CIT's real dockets
    assert data["date_terminated"] == panel_case.date_terminated
    assert len(data["parties"]) == 12
    assert sum(len(p.get("attorneys", [])) for p in data["parties"]) == 21
    terminated = [p["name"] for p in data["parties"] if p["date_terminated"]]
    assert terminated == ["MPB Corporation"]


def test_without_terminated_parties_and_counsel(pacer, panel_case):
    data, _ = docket_of(pacer, panel_case)  # juriscraper's default: no terminated parties
    assert data == expected.docket(panel_case, terminated=False)
    assert len(data["parties"]) == 11 and "MPB Corporation" not in str(data["parties"])


def test_a_docket_of_500_entries(pacer, long_case):
    data, _ = docket_of(pacer, long_case)
    assert len(data["docket_entries"]) == 500
    assert data == expected.docket(long_case, terminated=False)
    charge = AccessCharge.objects.get()
    assert charge.pages == 30 and charge.cost_cents == 300  # capped at $3.00


def test_options_juriscraper_sends(pacer, simple_case):
    from datetime import date

    data, _ = docket_of(
        pacer,
        simple_case,
        date_start=date(2026, 1, 17),
        date_end=date(2026, 2, 2),
        order_by="-date",
    )
    want = expected.docket(simple_case, terminated=False)
    assert [e["date_filed"] for e in data["docket_entries"]] == [
        date(2026, 2, 2),
        date(2026, 1, 20),
    ]
    assert data["docket_entries"] == [want["docket_entries"][2], want["docket_entries"][1]]


def test_view_multiple_documents(pacer, panel_case):
    """CM/ECF's "View multiple documents" option: a form with a checkbox per document,
    which juriscraper detects and reads past, to the same entries."""
    data, response = docket_of(
        pacer, panel_case, show_terminated_parties=True, show_multiple_docs=True
    )
    assert data == expected.docket(panel_case)
    assert '<form name="view_multi_docs"' in response.text
    with_documents = [e for e in data["docket_entries"] if e["pacer_doc_id"]]
    assert response.text.count('type="checkbox" name="document_') == len(with_documents)
