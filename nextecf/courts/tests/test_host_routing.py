"""Court hosts: with ECF_DOMAIN set, ecf.<court>.<domain> serves the court at CM/ECF's own
paths, pacer.login.<domain> the authentication API and login pages, pcl.<domain> the PCL
API paths untouched; one sign-on cookie (domain .<domain>) serves every host."""

from __future__ import annotations

import re
from http.cookiejar import DefaultCookiePolicy
from http.cookies import SimpleCookie
from urllib.request import Request

import httpx
import pytest
from django.conf import settings
from django.test import Client

from conftest import login
from nextecf.accounts.factories import PASSWORD, AccountFactory
from nextecf.accounts.models import SignOn
from nextecf.cases.factories import CaseFactory, DocketEntryFactory, DocumentFactory
from nextecf.courts.factories import CourtFactory, FilerAccountFactory
from nextecf.courts.middleware import court_cache_clear, global_segments
from nextecf.courts.models import Court
from tests.pacer_transport import LocalCourtTransport

CIT = "ecf.cit.uscourts.gov"
LOGIN_HOST = "pacer.login.uscourts.gov"
PCL = "pcl.uscourts.gov"
ECF_HOST = f"https://{CIT}"


@pytest.fixture(autouse=True)
def uscourts(settings):
    settings.ECF_DOMAIN = "uscourts.gov"
    settings.ALLOWED_HOSTS = [*settings.ALLOWED_HOSTS, ".uscourts.gov"]
    settings.SIGNON_COOKIE_DOMAIN = ".uscourts.gov"
    court_cache_clear()
    yield
    court_cache_clear()


@pytest.fixture
def public(court):
    return AccountFactory(username="publicuser1")


def token_for(username: str, **body: str) -> str:
    response = Client().post(
        "/services/cso-auth",
        {"loginId": username, "password": PASSWORD, **body},
        content_type="application/json",
        HTTP_HOST=LOGIN_HOST,
    )
    token: str = response.json()["nextGenCSO"]
    return token


def at(host: str, token: str | None = None) -> Client:
    client = Client(HTTP_HOST=host)
    if token:
        client.cookies[settings.SIGNON_COOKIE_NAME] = token
    return client


# --- ecf.<court>.<domain> ---------------------------------------------------------------------


def test_cmecf_paths_on_the_court_host_reach_the_courts_pages(public):
    token = token_for("publicuser1")
    client = at(CIT, token)
    main = client.get("/cgi-bin/login.pl")
    assert main.status_code == 200
    assert main.wsgi_request.resolver_match.view_name == "courts:main"
    assert main.wsgi_request.resolver_match.kwargs == {"court": "cit"}
    assert b"/cgi-bin/login.pl?logout" in main.content
    assert client.get("/cgi-bin/iquery.pl").wsgi_request.resolver_match.view_name == "courts:query"
    assert client.get("/utilities/").status_code == 200
    home = at(CIT).get("/")
    assert home.status_code == 200 and home.wsgi_request.resolver_match.view_name == "courts:home"


def test_links_already_carrying_the_court_prefix_are_not_prefixed_twice(public):
    client = at(CIT, token_for("publicuser1"))
    page = client.get("/cit/cgi-bin/login.pl")
    assert page.status_code == 200 and page.wsgi_request.resolver_match.kwargs == {"court": "cit"}
    assert page.wsgi_request.path_info == "/cit/cgi-bin/login.pl"
    assert client.get("/cit").status_code == 301  # the usual slash redirect, on this host


def test_a_docket_served_on_the_court_host_links_to_documents_that_work_there(court, public):
    entry = DocketEntryFactory(case=CaseFactory(court=court), text="Complaint.")
    document = DocumentFactory(entry=entry, page_count=1)
    client = at(CIT, token_for("publicuser1"))
    docket = client.post(
        "/cgi-bin/DktRpt.pl?1-L_1_0-1",
        {"all_case_ids": entry.case.pk, "date_from": "1/1/1960", "output_format": "html"},
    )
    assert docket.status_code == 200
    # Absolute on the court host, as CM/ECF's are; the 4th digit 1: no attachments.
    links = set(re.findall(rf'href="{ECF_HOST}(/[^"]*doc1/[^"]+)"', docket.content.decode()))
    skip = document.doc_id[:3] + "1" + document.doc_id[4:]
    assert links == {f"/doc1/{skip}"}
    for link in links:
        shown = client.get(link)
        assert shown.status_code == 200, link
        assert shown.wsgi_request.path_info == f"/cit{link}"  # not /cit/cit/...
        assert b"Download Confirmation" in shown.content or b"attached" in shown.content
    # The address PACER software builds itself, without the prefix, works too.
    bare = client.get(f"/doc1/{document.doc_id}")
    assert bare.status_code == 200 and bare.wsgi_request.path_info.startswith("/cit/doc1/")


def test_global_pages_keep_their_paths_on_the_court_host(public):
    client = at(CIT)
    page = client.get("/csologin/login/?court=cit")
    assert (
        page.status_code == 200 and page.wsgi_request.resolver_match.view_name == "accounts:login"
    )
    assert client.get("/account/").wsgi_request.path_info == "/account/"
    assert client.get("/static/nextecf.css").wsgi_request.path_info == "/static/nextecf.css"
    api = client.post(
        "/services/cso-auth",
        {"loginId": "publicuser1", "password": PASSWORD},
        content_type="application/json",
    )
    assert api.json()["loginResult"] == "0"
    pcl = client.post("/pcl-public-api/rest/cases/find?page=0", {}, "application/json")
    assert pcl.wsgi_request.path_info == "/pcl-public-api/rest/cases/find"
    assert {"csologin", "account", "services", "admin", "static"} <= global_segments(
        settings.ROOT_URLCONF
    )


def test_not_signed_on_the_login_comes_back_to_the_court_host_page(court):
    # NextGen's answer: a script to the PACER login host, which serves the court's paths.
    response = at(CIT).get("/cgi-bin/login.pl")
    assert response.status_code == 200
    page = response.content.decode()
    assert 'window.location.href = "https://pacer.login.uscourts.gov/csologin/login.jsf' in page
    target = "/csologin/login.jsf?next=%2Fcit%2Fcgi-bin%2Flogin.pl&amp;court=cit"
    assert f'href="https://{LOGIN_HOST}{target}"' in page


def test_missing_trailing_slashes_redirect_on_the_court_host(court):
    response = at(CIT).get("/help")
    assert (response.status_code, response["Location"]) == (301, "/cit/help/")


def test_unknown_court_hosts_and_other_hosts_are_not_rewritten(court):
    for host in ("ecf.zzz.uscourts.gov", "ecf.uscourts.gov", "www.uscourts.gov", "testserver"):
        response = at(host).get("/cgi-bin/login.pl")
        assert response.status_code == 404, host
        assert response.wsgi_request.path_info == "/cgi-bin/login.pl"
    assert at("ecf.cit.example.com").get("/").status_code == 400  # not an allowed host


def test_without_ecf_domain_no_host_is_routed(court, settings):
    settings.ECF_DOMAIN = ""
    response = at(CIT).get("/cgi-bin/login.pl")
    assert response.status_code == 404


def test_a_court_created_a_moment_ago_is_served_at_once(court):
    assert at("ecf.ca9.uscourts.gov").get("/cgi-bin/login.pl").status_code == 404
    CourtFactory(id="ca9", name="Ninth Circuit", login_title="Ninth", abbreviation="CA9")
    home = at("ecf.ca9.uscourts.gov").get("/")
    assert home.wsgi_request.resolver_match.kwargs == {"court": "ca9"}


def test_known_courts_are_cached_briefly(court, django_assert_num_queries):
    at(CIT).get("/")
    with django_assert_num_queries(1):  # the court page's own lookup, not the host's
        at(CIT).get("/")


def test_host_names_are_matched_case_insensitively_with_a_port(court):
    response = Client(HTTP_HOST="ECF.CIT.USCOURTS.GOV:8443").get("/")
    assert response.wsgi_request.resolver_match.view_name == "courts:home"


# --- pacer.login.<domain> and pcl.<domain> -------------------------------------------------------


def test_the_login_host_serves_the_api_and_leads_to_the_login_page(public):
    client = at(LOGIN_HOST)
    assert client.get("/")["Location"] == "/csologin/login/"
    assert client.get("/csologin/login.jsf?x=1")["Location"] == "/csologin/login/?x=1"
    assert client.get("/csologin/login/").status_code == 200
    assert client.get("/cit/cgi-bin/login.pl").status_code == 302  # courts by prefix, too
    assert len(token_for("publicuser1")) == 128
    logout = client.post("/services/cso-logout", {"nextGenCSO": "x"}, "application/json")
    assert logout.json() == {"loginResult": "0", "errorDescription": ""}


def test_the_pcl_host_passes_its_paths_through_untouched(court):
    response = at(PCL).post("/pcl-public-api/rest/cases/find?page=0", {}, "application/json")
    assert response.wsgi_request.path_info == "/pcl-public-api/rest/cases/find"
    assert at(PCL).get("/").wsgi_request.resolver_match.view_name == "home"


# --- One cookie for every host -----------------------------------------------------------------


def test_a_web_login_on_the_login_host_gives_a_cookie_every_court_host_accepts(court, public):
    client = Client(HTTP_HOST=LOGIN_HOST)
    response = login(client, "publicuser1", court="cit")
    assert response.status_code == 302
    cookie = response.cookies[settings.SIGNON_COOKIE_NAME]
    assert cookie["domain"] == ".uscourts.gov"
    # A browser's cookie policy would send it to the court host.
    policy = DefaultCookiePolicy()
    assert policy.domain_return_ok(".uscourts.gov", Request(f"https://{CIT}/"))
    jar = SimpleCookie()
    jar.load(cookie.output(header=""))
    court_client = at(CIT, jar[settings.SIGNON_COOKIE_NAME].value)
    assert court_client.get("/utilities/").status_code == 200


def test_an_api_token_works_as_the_cookie_and_header_at_the_court_host(public):
    token = token_for("publicuser1")
    assert at(CIT, token).get("/utilities/").status_code == 200
    assert at(CIT).get("/utilities/", HTTP_X_NEXT_GEN_CSO=token).status_code == 200
    pacer_session = at(CIT)
    pacer_session.cookies["PacerSession"] = token
    assert pacer_session.get("/utilities/").status_code == 200
    Client().post("/services/cso-logout", {"nextGenCSO": token}, "application/json")
    signed_off = at(CIT, token).get("/utilities/")
    assert (
        signed_off.status_code == 200 and b"https://pacer.login.uscourts.gov" in signed_off.content
    )


# --- A live server, reached by host name through the test transport -------------------------------


@pytest.fixture
def live_public(transactional_db):
    CourtFactory()
    return AccountFactory(username="publicuser1")


def test_a_browser_like_client_logs_in_on_the_login_host_and_reads_the_court_host(
    live_server, live_public
):
    transport = LocalCourtTransport(live_server.url)
    with httpx.Client(transport=transport, follow_redirects=True) as browser:
        form = browser.get("https://pacer.login.uscourts.gov/csologin/login.jsf?court=cit")
        assert form.url.path == "/csologin/login/"
        csrf = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', form.text)
        assert csrf is not None
        done = browser.post(
            str(form.url),
            data={
                "csrfmiddlewaretoken": csrf.group(1),
                "username": "publicuser1",
                "password": PASSWORD,
            },
            headers={"Referer": str(form.url)},
        )
        # The login redirects to the court's main page; its cookie went along to that host.
        assert done.status_code == 200
        assert b"/cgi-bin/login.pl?logout" in done.content
        cookie = next(c for c in browser.cookies.jar if c.name == settings.SIGNON_COOKIE_NAME)
        assert cookie.domain == ".uscourts.gov"
        page = browser.get(f"https://{CIT}/cgi-bin/login.pl")
        assert page.status_code == 200 and b"/cgi-bin/login.pl?logout" in page.content
        with pytest.raises(httpx.ConnectError):
            browser.get("https://example.com/")
    assert SignOn.objects.get(ended_at__isnull=True).via == "web"
    assert [url.split("?")[0] for _, url in transport.seen] == [
        "https://pacer.login.uscourts.gov/csologin/login.jsf",
        "https://pacer.login.uscourts.gov/csologin/login/",
        "https://pacer.login.uscourts.gov/csologin/login/",
        "https://pacer.login.uscourts.gov/cit/cgi-bin/login.pl",
        f"https://{CIT}/cgi-bin/login.pl",
    ]


def test_an_api_token_in_a_uscourts_cookie_jar_works_on_the_court_host(live_server, live_public):
    # As juriscraper does: the token from cso-auth goes into the jar for .uscourts.gov.
    FilerAccountFactory(court=Court.objects.get(pk="cit"), login="pub1", account=live_public)
    transport = LocalCourtTransport(live_server.url)
    with httpx.Client(transport=transport) as client:
        answer = client.post(
            "https://pacer.login.uscourts.gov/services/cso-auth",
            json={"loginId": "publicuser1", "password": PASSWORD, "redactFlag": "1"},
        ).json()
        assert "Set-Cookie" not in client.cookies  # the API sets none itself
        client.cookies.set("NextGenCSO", answer["nextGenCSO"], domain=".uscourts.gov")
        assert client.get(f"https://{CIT}/utilities/").status_code == 200
        # cso-logout takes the token from the cookie when the body has none.
        out = client.post("https://pacer.login.uscourts.gov/services/cso-logout", json={})
        assert out.json() == {"loginResult": "0", "errorDescription": ""}
    signon = SignOn.objects.get()
    assert signon.via == "api" and signon.end_reason == "api_logout"
