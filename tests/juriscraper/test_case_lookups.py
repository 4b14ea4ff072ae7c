"""CaseQuery (iquery.pl), the case's query menu (iqquerymenu.pl), DocketHistoryReport
(HistDocQry.pl, with its form token), PossibleCaseNumberApi and ShowCaseDocApi, end to
end against the live server."""

from __future__ import annotations

import httpx
import pytest

from nextecf.billing.models import AccessCharge
from nextecf.cases.factories import CaseFactory, PartyFactory
from nextecf.cases.models import Document
from tests.juriscraper import expected
from tests.juriscraper.conftest import ECF


@pytest.mark.parametrize("which", ["simple_case", "panel_case"])
def test_case_query(pacer, request, which):
    from juriscraper.pacer import CaseQuery

    case = request.getfixturevalue(which)

    async def fetch(session):
        report = CaseQuery("cit", pacer_session=session)
        await report.query(str(case.pk))
        return report.data

    assert pacer.run(fetch) == expected.case_query(case)
    assert pacer.urls()[1:] == [f"{ECF}/cgi-bin/iquery.pl?1-L_1_0-1"]
    assert pacer.logins() == 1
    assert not AccessCharge.objects.exists()  # a case's query page is free, as for people


def test_a_case_without_a_judge_or_filings(pacer, court):
    from juriscraper.pacer import CaseQuery

    case = CaseFactory(court=court, title="Lonely Importer LLC v. United States")

    async def fetch(session):
        report = CaseQuery("cit", pacer_session=session)
        await report.query(str(case.pk))
        return report.data

    data = pacer.run(fetch)
    assert data == expected.case_query(case)
    assert "assigned_to_str" not in data and data["federal_dn_judge_initials_assigned"] == "N/A"


def test_a_sealed_case_is_under_seal(pacer, court):
    from juriscraper.pacer import CaseQuery

    sealed = CaseFactory(court=court, title="Secret Importer v. United States", is_sealed=True)

    async def fetch(session):
        report = CaseQuery("cit", pacer_session=session)
        await report.query(str(sealed.pk))
        return report.data, report.response

    # CM/ECF's "Case Under Seal" with HTTP 200; its "Case not found." words let juriscraper
    # read an empty result, without a login loop.
    data, response = pacer.run(fetch)
    assert data == {}
    assert response.status_code == 200 and b"Case Under Seal." in response.content
    assert b"Case not found." in response.content
    assert b"Secret Importer" not in response.content
    assert pacer.logins() == 1


def test_the_query_menu_takes_the_token_in_the_header(live_server, uscourts, reader, simple_case):
    """iqquerymenu.pl?<case id>, where PCL results link: with the token in X-NEXT-GEN-CSO,
    as API clients send it, and in the NextGenCSO cookie, as juriscraper does."""
    from juriscraper.pacer import CaseQuery, PacerSession

    from nextecf.accounts.factories import PASSWORD
    from tests.pacer_transport import LocalCourtTransport

    transport = LocalCourtTransport(live_server.url)
    with httpx.Client(transport=transport) as client:
        login = client.post(
            "https://pacer.login.uscourts.gov/services/cso-auth",
            json={"loginId": reader.username, "password": PASSWORD},
        ).json()
        token = login["nextGenCSO"]
        url = f"{ECF}/cgi-bin/iqquerymenu.pl?{simple_case.pk}"
        page = client.get(url, headers={"X-NEXT-GEN-CSO": token})
        assert page.status_code == 200 and b"/cgi-bin/login.pl?logout" in page.content
        report = CaseQuery("cit")
        report._parse_text(page.text)
        assert report.data == expected.case_query(simple_case)
        assert f"/cit/cgi-bin/DktRpt.pl?{simple_case.pk}".encode() in page.content
        anonymous = client.get(url)
        # NextGen's answer without a sign-on: its script sends the browser to PACER's login.
        assert anonymous.status_code == 200 and b"/cgi-bin/login.pl?logout" not in anonymous.content
        assert b'window.location.href = "https://pacer.login.uscourts.gov/csologin/login.jsf?' in (
            anonymous.content
        )

    async def with_cookie(session):
        return await session.get(url)

    async def run():
        async with PacerSession(
            username=reader.username, password=PASSWORD, transport=transport
        ) as s:
            await s.login()
            return await with_cookie(s)

    import asyncio

    page = asyncio.run(run())
    assert page.status_code == 200 and str(simple_case.title).encode() in page.content


@pytest.mark.parametrize("which", ["simple_case", "panel_case"])
@pytest.mark.parametrize(
    ("query_type", "text", "order"), [("History", True, "asc"), ("Documents", False, "desc")]
)
def test_docket_history(pacer, request, which, query_type, text, order):
    from juriscraper.pacer import DocketHistoryReport

    case = request.getfixturevalue(which)

    async def fetch(session):
        report = DocketHistoryReport("cit", pacer_session=session)
        await report.query(
            str(case.pk), query_type=query_type, order_by=order, show_de_descriptions=text
        )
        return report.data

    data = pacer.run(fetch)
    want = expected.history(case, documents_only=query_type == "Documents", text=text)
    if order == "desc":
        want["docket_entries"].reverse()
    assert data == want
    # The options page (free, carries the form token), then the report (billed).
    assert pacer.urls()[1:] == [
        f"{ECF}/cgi-bin/HistDocQry.pl?{case.pk}",
        f"{ECF}/cgi-bin/HistDocQry.pl?1-L_1_0-0-{case.pk}",
    ]
    charge = AccessCharge.objects.get()
    assert charge.description == "History/Documents"
    assert charge.search_criteria == expected.full_number(case)


@pytest.mark.parametrize("typed", ["{number}", "{full}", "{short}"])
def test_possible_case_numbers(pacer, panel_case, typed):
    from juriscraper.pacer import PossibleCaseNumberApi

    case = panel_case
    short = f"{case.number.split('-cv-')[0]}-cv-{case.sequence}"
    asked = typed.format(number=case.number, full=expected.full_number(case), short=short)

    async def fetch(session):
        api = PossibleCaseNumberApi("cit", pacer_session=session)
        await api.query(asked)
        return api.data(case_name=case.title)

    data = pacer.run(fetch)
    closed = expected.mdy(case.date_terminated)
    assert data == {
        "docket_number": short,  # CM/ECF's form: no leading zeros
        "pacer_case_id": str(case.pk),
        "title": f"{expected.full_number(case)} {case.title} (closed {closed})",
    }
    assert pacer.urls()[1:] == [f"{ECF}/cgi-bin/possible_case_numbers.pl?{asked.lower()}"]
    assert pacer.logins() == 1  # the XML counts as a signed-on page
    assert not AccessCharge.objects.exists()


def test_possible_case_numbers_finds_nothing_for_unknown_or_sealed(pacer, court):
    from juriscraper.pacer import PossibleCaseNumberApi

    sealed = CaseFactory(court=court, is_sealed=True)
    PartyFactory(case=sealed)

    async def fetch(session):
        results = []
        for asked in ["1:26-cv-99999", sealed.number, "banana"]:
            api = PossibleCaseNumberApi("cit", pacer_session=session)
            await api.query(asked)
            results.append(api.data())
        return results

    assert pacer.run(fetch) == [None, None, None]
    assert pacer.logins() == 1


def test_show_case_doc(pacer, panel_case):
    from juriscraper.pacer import ShowCaseDocApi

    complaint = panel_case.entries.get(number=2)
    main, exhibit_a, exhibit_b = complaint.documents.order_by("attachment_number")

    async def fetch(session):
        ids = []
        for attachment in ["", "1", "2"]:
            api = ShowCaseDocApi("cit", pacer_session=session)
            await api.query(str(panel_case.pk), "2", attachment)
            ids.append(api.data)
        return ids

    assert pacer.run(fetch) == [expected.as_parsed(d.doc_id) for d in (main, exhibit_a, exhibit_b)]
    assert f"{ECF}/cgi-bin/show_case_doc?2,{panel_case.pk},1,," in pacer.urls()
    assert not AccessCharge.objects.exists()  # the redirect and the attachment page are free
    assert Document.objects.count() > 3
