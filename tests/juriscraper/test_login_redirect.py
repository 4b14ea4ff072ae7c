"""A court-host request without a sign-on gets NextGen's answer: a page whose script sends
the browser to the PACER login host, and from there to this host's login page with the
way back; off the court hosts the plain redirect stays."""

from __future__ import annotations

import json
import re
from urllib.parse import parse_qs, urlsplit

import httpx
from django.test import Client

from tests.juriscraper.conftest import ECF
from tests.pacer_transport import LocalCourtTransport


def test_no_sign_on_on_a_court_host_is_sent_to_the_pacer_login_host(
    live_server, uscourts, simple_case
):
    url = f"{ECF}/cgi-bin/DktRpt.pl?{simple_case.pk}"
    with httpx.Client(transport=LocalCourtTransport(live_server.url)) as client:
        page = client.get(url)
        assert page.status_code == 200
        found = re.search(r'window\.location\.href = "([^"]+)"', page.text)
        assert found is not None
        target = json.loads(f'"{found[1]}"')  # escapejs writes \uXXXX escapes
        parts = urlsplit(target)
        assert (parts.scheme, parts.netloc, parts.path) == (
            "https",
            "pacer.login.uscourts.gov",
            "/csologin/login.jsf",
        )
        query = parse_qs(parts.query)
        assert query == {"next": [f"/cit/cgi-bin/DktRpt.pl?{simple_case.pk}"], "court": ["cit"]}
        login = client.get(target)
        assert login.status_code == 302
        assert login.headers["location"].startswith("/csologin/login/?")
        assert parse_qs(urlsplit(login.headers["location"]).query) == query


def test_no_sign_on_off_the_court_hosts_keeps_the_redirect(uscourts, simple_case):
    response = Client().get(f"/cit/cgi-bin/DktRpt.pl?{simple_case.pk}")
    assert response.status_code == 302
    assert response["Location"].startswith("/csologin/login/")
