"""The pages PACER client software reads, through Django's test client: CSRF-free
multipart posts on the read-only report endpoints (and only those), the form tokens,
possible_case_numbers.pl, show_case_doc, iqquerymenu.pl and the public RSS feed, with
their bad input. tests/juriscraper runs juriscraper itself against a live server."""

from __future__ import annotations

from datetime import date, timedelta
from xml.etree import ElementTree

import pytest
from django.core.cache import cache
from django.test import Client
from django.utils import timezone

from nextecf.billing.models import AccessCharge
from nextecf.cases.factories import CaseFactory, DocketEntryFactory, DocumentFactory

TOKEN = "1-L_1_0-1"


@pytest.fixture
def strict(people, signed_in) -> Client:
    """A signed-on client that enforces CSRF and holds no CSRF cookie, as PACER software."""
    client = Client(enforce_csrf_checks=True)
    client.cookies = signed_in(people.public).cookies
    return client


def test_the_report_endpoints_take_posts_without_a_csrf_token(cit_case, strict):
    pk = cit_case.case.pk
    query = strict.post(f"/cit/cgi-bin/iquery.pl?{TOKEN}", {"all_case_ids": pk, "case_num": "foo"})
    assert query.status_code == 200 and b"1:26-cv-00001-GSK</font></b> Acme" in query.content
    history = strict.post(f"/cit/cgi-bin/HistDocQry.pl?1-L_1_0-0-{pk}", {"QueryType": "History"})
    assert history.status_code == 200 and b"Transaction Receipt" in history.content
    opinions = strict.post(
        f"/cit/cgi-bin/WrtOpRpt.pl?{TOKEN}",
        {
            "filed_from": "1/1/2026",
            "filed_to": "12/31/2026",
            "ShowFull": "1",
            "Key1": "de_date_filed",
            "all_case_ids": "0",
        },
    )
    assert opinions.status_code == 200
    assert b"<b>Total number of opinions reported:</b> 1" in opinions.content
    assert AccessCharge.objects.get().description == "History/Documents"


@pytest.mark.parametrize(
    "path",
    [
        "iquery.pl",
        "iqquerymenu.pl",
        "DktRpt.pl",
        "WrtOpRpt.pl",
        "CaseFiled-Rpt.pl",
        "possible_case_numbers.pl",
        "login.pl",
    ],
)
def test_the_bare_form_token_is_tolerated_everywhere(cit_case, people, signed_in, path):
    """CM/ECF's addresses carry ?1-L_1_0-1; a page that needs no case shows its form."""
    response = signed_in(people.public).get(f"/cit/cgi-bin/{path}?{TOKEN}")
    assert response.status_code == 200
    if path == "possible_case_numbers.pl":
        assert b"Cannot find case" in response.content
    else:
        assert b"/cgi-bin/login.pl?logout" in response.content
    assert not AccessCharge.objects.exists()


@pytest.mark.parametrize(
    ("url", "data"),
    [
        ("/cit/utilities/client-code/", {"client_code": "x"}),
        ("/cit/utilities/exemption/", {"exempt": "yes"}),
        ("/cit/utilities/link/", {"login": "x", "password": "y"}),
        ("/cit/cgi-bin/login.pl?logout", {}),
    ],
)
def test_state_changing_court_forms_still_need_a_csrf_token(cit_case, strict, url, data):
    assert strict.post(url, data).status_code == 403


def test_a_search_may_be_posted_too(cit_case, strict):
    page = strict.post("/cit/cgi-bin/iquery.pl", {"case_name": "acme"})
    assert page.status_code == 200 and b"Acme Imports" in page.content
    assert AccessCharge.objects.get().description == "Search"
    bad = strict.post(f"/cit/cgi-bin/iquery.pl?{TOKEN}", {"all_case_ids": "x,y"})
    assert bad.status_code == 400 and b"must be a whole number" in bad.content


def test_the_opinions_form_carries_the_form_token(cit_case, people, signed_in):
    html = signed_in(people.public).get("/cit/cgi-bin/WrtOpRpt.pl").content.decode()
    assert f'<form method="post" action="/cit/cgi-bin/WrtOpRpt.pl?{TOKEN}"' in html
    assert 'name="Key1"' in html


def test_opinions_sorted_by_case_put_the_case_first(cit_case, people, signed_in):
    html = (
        signed_in(people.public)
        .post(
            "/cit/cgi-bin/WrtOpRpt.pl",
            {"filed_from": "01/01/2026", "filed_to": "12/31/2026", "Key1": "cs_sort_case_numb"},
        )
        .content.decode()
    )
    assert '<tr><th scope="col">Case</th><th scope="col">Date Filed</th>' in html
    bad = signed_in(people.public).post(
        "/cit/cgi-bin/WrtOpRpt.pl", {"filed_from": "01/01/2026", "filed_to": "x", "Key1": "z"}
    )
    assert bad.status_code == 400
    assert b"Sort by must be date filed or case number." in bad.content


# --- iqquerymenu.pl ----------------------------------------------------------------------------


def test_the_query_menu_is_the_case_query_page(cit_case, people, signed_in):
    client = signed_in(people.public)
    page = client.get(f"/cit/cgi-bin/iqquerymenu.pl?{cit_case.case.pk}")
    assert page.status_code == 200 and b"Gary S. Katzmann, presiding" in page.content
    assert client.get("/cit/cgi-bin/iqquerymenu.pl?abc").status_code == 400
    assert Client().get(f"/cit/cgi-bin/iqquerymenu.pl?{cit_case.case.pk}").status_code == 302


def test_the_query_menu_takes_the_token_in_a_header(cit_case, people, signed_in):
    token = signed_in(people.public).cookies["NextGenCSO"].value
    page = Client().get(
        f"/cit/cgi-bin/iqquerymenu.pl?{cit_case.case.pk}", headers={"X-NEXT-GEN-CSO": token}
    )
    assert page.status_code == 200 and b"/cgi-bin/login.pl?logout" in page.content


def test_a_panel_is_listed_judge_by_judge(court, people, signed_in):
    from nextecf.cases.factories import JudgeFactory

    judges = [JudgeFactory(court=court, name=f"Judge {n}", initials=f"J{n}") for n in "ABC"]
    case = CaseFactory(court=court, judge=judges[1])
    case.panel.set(judges)
    html = signed_in(people.public).get(f"/cit/cgi-bin/iquery.pl?{case.pk}").content.decode()
    assert f"{case.number}-JB-JA-JC</font>" in html  # the presiding judge first
    assert "Judge B, panel 1<br>\nJudge A, panel 2<br>\nJudge C, panel 3<br>" in html


# --- possible_case_numbers.pl ------------------------------------------------------------------

POSSIBLE = "/cit/cgi-bin/possible_case_numbers.pl"


def test_possible_case_numbers(cit_case, people, signed_in):
    client = signed_in(people.public)
    for typed in ["1:26-cv-00001", "26-1", "1:26-cv-00001-gsk", "1%3A26-cv-1"]:
        response = client.get(f"{POSSIBLE}?{typed}")
        assert response["Content-Type"] == "text/xml; charset=utf-8"
        assert not response.content.startswith(b"<?xml")
        root = parse_xml(response.content)
        (case,) = root.findall("case")
        assert case.attrib == {
            "number": "1:26-cv-1",
            "id": str(cit_case.case.pk),
            "title": "1:26-cv-00001-GSK Acme Imports, LLC v. United States",
            "sortable": "1:2026-cv-00001-GSK",
        }
    assert not AccessCharge.objects.exists()


@pytest.mark.parametrize("typed", ["1:26-cv-09999", "banana", "", "<&>", "x" * 500])
def test_possible_case_numbers_that_find_nothing(cit_case, people, signed_in, typed):
    response = signed_in(people.public).get(f"{POSSIBLE}?{typed}")
    root = parse_xml(response.content)
    assert root.tag == "request" and root.find("case") is None
    assert root.find("message").attrib["text"].startswith("Cannot find case")


def test_possible_case_numbers_say_a_sealed_case_is_under_seal_and_need_a_sign_on(
    sealed_case, people, signed_in
):
    # CM/ECF's answer: the case exists and is sealed; nothing else about it.
    answer = signed_in(people.public).get(f"{POSSIBLE}?{sealed_case.number}").content
    assert b'text="Case Under Seal ' in answer and b"<case " not in answer
    assert b"Secret" not in answer
    assert b"<case " in signed_in(people.clerk).get(f"{POSSIBLE}?{sealed_case.number}").content
    assert Client().get(f"{POSSIBLE}?{sealed_case.number}").status_code == 302


def test_a_closed_case_says_so(court, people, signed_in):
    case = CaseFactory(court=court, date_filed=date(2025, 1, 2), date_terminated=date(2025, 6, 30))
    response = signed_in(people.public).get(f"{POSSIBLE}?{case.number}")
    assert b"(closed 06/30/2025)" in response.content
    case.date_reopened = date(2025, 8, 1)
    case.save()
    assert b"closed" not in signed_in(people.public).get(f"{POSSIBLE}?{case.number}").content


# --- show_case_doc ------------------------------------------------------------------------------


def test_show_case_doc_redirects_to_the_document(cit_case, people, signed_in):
    client = signed_in(people.public)
    pk = cit_case.case.pk
    for query, document in [
        (f"2,{pk},,,", cit_case.main),
        (f"2,{pk},1,,", cit_case.exhibit),
        (f"1,{pk}", cit_case.summons),
    ]:
        response = client.get(f"/cit/cgi-bin/show_case_doc?{query}")
        assert response.status_code == 302
        assert response["Location"] == f"/cit/doc1/{document.doc_id}"
    assert not AccessCharge.objects.exists()


@pytest.mark.parametrize(
    ("query", "status"),
    [
        ("", 400),
        ("x,1,,,", 400),
        ("2,x,,,", 400),
        ("2,1,-1,,", 400),
        ("2,1,99999,,", 400),
        # CM/ECF's own answer for what it cannot show: HTTP 200 and its words.
        ("9,{pk},,,", 200),
        ("2,{pk},7,,", 200),
        ("2,424242,,,", 200),
    ],
)
def test_show_case_doc_bad_or_unknown(cit_case, people, signed_in, query, status):
    url = f"/cit/cgi-bin/show_case_doc?{query.format(pk=cit_case.case.pk)}"
    response = signed_in(people.public).get(url)
    assert response.status_code == status and b"/cgi-bin/login.pl?logout" in response.content
    assert b"Invalid document" in response.content or b"cannot be displayed" in response.content


def test_show_case_doc_in_a_sealed_case(sealed_case, people, signed_in):
    url = f"/cit/cgi-bin/show_case_doc?1,{sealed_case.pk},,,"
    refused = signed_in(people.public).get(url)
    assert refused.status_code == 200 and b"cannot be displayed" in refused.content
    assert signed_in(people.filer).get(url).status_code == 302


# --- rss_outside.pl -------------------------------------------------------------------------------

RSS = "/cit/cgi-bin/rss_outside.pl"


@pytest.fixture(autouse=True)
def _fresh_feed():
    """The feed is cached for a minute; each test starts without it."""
    cache.clear()


def parse_xml(content: bytes) -> ElementTree.Element:
    return ElementTree.fromstring(content)  # noqa: S314 - our own server's answer, in a test


def feed_items(response) -> list[dict[str, str]]:
    channel = parse_xml(response.content).find("channel")
    return [{child.tag: child.text or "" for child in item} for item in channel.findall("item")]


def test_the_feed_lists_the_last_days_entries_without_a_login(
    cit_case, sealed_case, settings, events
):
    settings.SITE_URL = "https://ecf.cit.example"
    now = timezone.now()
    entry = DocketEntryFactory(
        case=cit_case.case,
        number=7,
        seq=7,
        event=events["complaint"],
        entered_at=now,
        text="Amended complaint & exhibits <1>.",
    )
    document = DocumentFactory(entry=entry)
    DocketEntryFactory(case=cit_case.case, number=None, seq=8, entered_at=now - timedelta(hours=1))
    sealed_case.entries.update(entered_at=now)  # never shown
    response = Client().get(RSS)
    assert response.status_code == 200
    assert response["Content-Type"] == "application/rss+xml; charset=utf-8"
    items = feed_items(response)
    pk = cit_case.case.pk
    # The case number with the judge's initials, as CM/ECF's feeds title an item.
    title = "1:26-cv-00001-GSK Acme Imports, LLC v. United States"
    assert [i["title"] for i in items] == [title] * 2
    assert items[0]["link"] == f"https://ecf.cit.example/cit/cgi-bin/DktRpt.pl?{pk}"
    assert items[0]["description"] == (
        f"[Complaint] (<a href='https://ecf.cit.example/cit/doc1/{document.doc_id}"
        f"?caseid={pk}&amp;de_seq_num=7'>7</a>)"
    )
    assert items[1]["description"] == "[Docket entry]"
    assert items[0]["guid"] != items[1]["guid"]
    assert items[0]["guid"] == f"https://ecf.cit.example/cit/cgi-bin/DktRpt.pl?{pk}#7"
    guids = parse_xml(response.content).find("channel").findall("item/guid")
    assert [guid.get("isPermaLink") for guid in guids] == ["true", "true"]
    assert b"Secret Importer" not in response.content
    assert not AccessCharge.objects.exists()


def test_the_feed_is_bounded(cit_case, monkeypatch):
    monkeypatch.setattr("nextecf.cases.views.pacer.RSS_LIMIT", 3)
    now = timezone.now()
    for n in range(5):
        DocketEntryFactory(case=cit_case.case, seq=100 + n, number=None, entered_at=now)
    assert len(feed_items(Client().get(RSS))) == 3
    assert Client().get("/zz9/cgi-bin/rss_outside.pl").status_code == 404
    assert Client().post(RSS).status_code == 405


def test_a_case_sealed_while_the_feed_is_cached_leaves_it_at_once(
    cit_case, django_capture_on_commit_callbacks
):
    """Finding: the public feed showed a newly sealed case for up to its 60 s cache."""
    DocketEntryFactory(case=cit_case.case, seq=100, number=None, entered_at=timezone.now())
    assert len(feed_items(Client().get(RSS))) == 1
    case = cit_case.case
    with django_capture_on_commit_callbacks(execute=True):
        case.is_sealed = True
        case.save()
    after = Client().get(RSS)
    assert feed_items(after) == []
    assert case.title.encode() not in after.content


def test_the_feed_is_built_at_most_once_a_minute(cit_case, django_assert_num_queries):
    now = timezone.now()
    DocketEntryFactory(case=cit_case.case, seq=100, number=None, entered_at=now)
    first = Client().get(RSS)
    assert first["Cache-Control"] == "public, max-age=60"
    DocketEntryFactory(case=cit_case.case, seq=101, number=None, entered_at=now)
    with django_assert_num_queries(1):  # the court; the feed itself comes from the cache
        again = Client().get(RSS)
    assert again.content == first.content and len(feed_items(again)) == 1
    cache.clear()
    assert len(feed_items(Client().get(RSS))) == 2
