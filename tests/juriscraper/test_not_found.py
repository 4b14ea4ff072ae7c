"""What is not there, as CM/ECF answers it: HTTP 200 with its own words ("Case not found.",
"The requested document cannot be displayed"), in a page with the menu bar's logout link.
juriscraper 4.0.1 then returns its empty or not-found results instead of raising, and logs
in once for the whole session (Pacer.run counts the logins). A sealed case someone may not
see is answered "Case Under Seal", with CM/ECF's "Case not found." words juriscraper reads."""

from __future__ import annotations

import pytest

from nextecf.billing.models import AccessCharge
from nextecf.cases.factories import CaseFactory

MISSING_CASE = "424242"
MISSING_DOC = "014099999999"  # a CIT id no document has


def every_report(case_id: str):
    """Run every case report juriscraper has for a case id, in one session."""
    from juriscraper.pacer import CaseQuery, DocketHistoryReport, DocketReport, MobileQuery

    async def fetch(session):
        docket = DocketReport("cit", pacer_session=session)
        await docket.query(case_id, show_parties_and_counsel=True)
        query = CaseQuery("cit", pacer_session=session)
        await query.query(case_id)
        history = DocketHistoryReport("cit", pacer_session=session)
        await history.query(case_id)
        # MobileQuery has no not-found result of its own (no error string): the page says
        # "Case not found." and has no entry count, which the caller sees.
        mobile = MobileQuery("cit", pacer_session=session)
        await mobile.query(case_id)
        return {
            "docket": docket.data,
            "metadata": docket.metadata,
            "query": query.data,
            "history": history.data,
            "mobile": 'id="entriesLink"' in mobile.response.text,
            "texts": [r.response.text for r in (docket, query, history, mobile)],
        }

    return fetch


@pytest.mark.parametrize("which", ["missing", "sealed"])
def test_a_missing_or_sealed_case_gives_empty_results_with_one_login(pacer, court, which):
    from juriscraper.pacer.http import check_if_logged_in_page

    if which == "sealed":
        case_id = str(CaseFactory(court=court, title="Secret v. United States", is_sealed=True).pk)
    else:
        case_id = MISSING_CASE
    got = pacer.run(every_report(case_id))  # asserts a single login
    texts = got.pop("texts")
    assert got == {"docket": {}, "metadata": {}, "query": {}, "history": {}, "mobile": False}
    *cmecf_pages, _mobile = texts
    for text in texts:
        assert "Case not found." in text and "Secret" not in text
    for text in cmecf_pages:  # docket, query, history: CM/ECF's "Case Under Seal"
        assert ("Case Under Seal" in text) is (which == "sealed")
        assert check_if_logged_in_page(text.encode())
    assert not AccessCharge.objects.exists()


def test_a_missing_document_gives_empty_results_with_one_login(pacer, simple_case):
    from juriscraper.pacer import AttachmentPage, DocketReport, DownloadConfirmationPage

    async def fetch(session):
        attachments = AttachmentPage("cit", pacer_session=session)
        await attachments.query(MISSING_DOC)
        confirmation = DownloadConfirmationPage("cit", pacer_session=session)
        await confirmation.query(MISSING_DOC)
        report = DocketReport("cit", pacer_session=session)
        response, error = await report.download_pdf(str(simple_case.pk), MISSING_DOC)
        return attachments.data, confirmation.data, response, error

    attachments, confirmation, response, error = pacer.run(fetch)
    assert attachments == {} and confirmation == {}
    assert response is None and error.startswith("Document not available in case")
    assert not AccessCharge.objects.exists()
