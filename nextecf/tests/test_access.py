"""The persona matrix: every kind of person against every court page of this release."""

from __future__ import annotations

import pytest
from django.test import Client

from nextecf.access import Action, decide
from nextecf.courts.models import Court

PAGES = [
    "cgi-bin/login.pl",
    "query/",
    "cgi-bin/iquery.pl",
    "cgi-bin/DktRpt.pl",
    "reports/",
    "cgi-bin/CaseFiled-Rpt.pl",
    "cgi-bin/WrtOpRpt.pl",
    "utilities/",
    "utilities/release-1.1/",
    "utilities/client-code/",
    "utilities/exemption/",
    "utilities/payments/",
    "utilities/billing/",
    "utilities/transactions/",
]

# persona -> expected status of the civil (filing) menu page in the court `cit`
CIVIL = {
    "filer": 200,
    "other_filer": 200,
    "public": 403,
    "clerk": 403,
    "other_clerk": 403,
    "shared": 403,
    "legacy": 403,
}
LINK_FORM = {
    "filer": 403,
    "other_filer": 403,
    "public": 200,
    "clerk": 200,
    "other_clerk": 200,
    "shared": 403,
    "legacy": 403,
}


@pytest.mark.parametrize("page", PAGES)
def test_a_stranger_is_sent_to_the_login_for_every_signed_on_page(court, page):
    response = Client().get(f"/cit/{page}")
    assert response.status_code == 302
    assert response["Location"].startswith("/csologin/login/?")


def test_the_public_pages_are_public(court):
    assert Client().get("/cit/").status_code == 200
    # Help and the court's opinions need no login (issue 14).
    assert Client().get("/cit/help/").status_code == 200
    assert Client().get("/cit/opinions/").status_code == 200
    assert Client().get("/").status_code == 200
    assert Client().get("/nosuch/").status_code == 404


@pytest.mark.parametrize("persona", list(CIVIL))
@pytest.mark.parametrize("page", PAGES)
def test_every_signed_on_person_reaches_the_menu_pages(people, signed_in, persona, page):
    assert signed_in(getattr(people, persona)).get(f"/cit/{page}").status_code == 200


@pytest.mark.parametrize(("persona", "status"), list(CIVIL.items()))
def test_only_linked_filers_of_this_court_see_and_reach_the_civil_menu(
    people, signed_in, persona, status
):
    client = signed_in(getattr(people, persona))
    assert client.get("/cit/civil/").status_code == status
    assert (b">Civil</a>" in client.get("/cit/utilities/").content) is (status == 200)
    # Nobody files in the other court: nobody is linked there.
    assert client.get("/ca9/civil/").status_code == 403


@pytest.mark.parametrize(("persona", "status"), list(LINK_FORM.items()))
def test_who_may_open_the_link_form(people, signed_in, persona, status):
    assert signed_in(getattr(people, persona)).get("/cit/utilities/link/").status_code == status


@pytest.mark.parametrize(
    ("persona", "allowed"),
    [
        ("filer", False),
        ("other_filer", False),
        ("public", False),
        ("clerk", True),
        ("other_clerk", False),
        ("shared", False),
        ("legacy", False),
    ],
)
def test_only_this_courts_clerk_has_staff_rights(people, court, persona, allowed):
    assert bool(decide(user=getattr(people, persona), court=court, action=Action.STAFF)) is allowed


def test_a_disabled_account_may_do_nothing(people, court):
    people.clerk.is_active = False
    for action in Action:
        assert not decide(user=people.clerk, court=court, action=action)


def test_every_action_has_a_rule(people, court):
    # Deny by default: an action nobody wrote a rule for would be refused with "no_rule".
    for action in Action:
        assert decide(user=people.clerk, court=court, action=action).reason != "no_rule"


def test_an_unknown_court_is_not_found_not_a_login(db):
    assert Client().get("/zzz/utilities/").status_code == 404
    assert not Court.objects.exists()


def test_a_nul_character_in_the_address_is_a_plain_bad_request(court):
    for url in ["/csologin/login/?court=%00", "/cit/utilities/payments/?start=%00", "/?x=%00"]:
        response = Client().get(url)
        assert response.status_code == 400
        assert b"not allowed" in response.content
