"""Staff and admin activity in the audit log, refusals included: a non-staff account at the
staff tools, a clerk at another court's object, staff reading sealed cases or the audit
log."""

from __future__ import annotations

import pytest
from django.test import Client

from nextecf.accounts.factories import AccountFactory
from nextecf.audit.factories import AuditEventFactory
from nextecf.audit.models import AuditEvent, Event
from nextecf.cases.factories import CaseFactory, DocketEntryFactory


def rows(event: str, **filters) -> list[AuditEvent]:
    return list(AuditEvent.objects.filter(event_type=event, **filters).order_by("id"))


def test_a_signed_on_non_staff_account_at_the_staff_tools_is_audited(people, signed_in):
    response = signed_in(people.filer).get("/admin/")
    assert response.status_code == 302
    [row] = rows(Event.ACCESS_DENIED, reason="not_staff")
    assert row.actor == people.filer and row.path == "/admin/"
    Client().get("/admin/")  # nobody signed on: only sent to the login
    assert len(rows(Event.ACCESS_DENIED, reason="not_staff")) == 1


def test_a_clerk_opening_another_courts_case_is_refused_and_audited(people, other_court, signed_in):
    theirs = CaseFactory(court=other_court)
    clerk = signed_in(people.clerk)
    response = clerk.get(f"/admin/cases/case/{theirs.pk}/change/")
    assert response.status_code == 302  # the admin's "does not exist"
    [row] = rows(Event.ACCESS_DENIED, reason="other_court_object")
    assert row.actor == people.clerk
    assert row.detail == {"model": "cases.case", "id": str(theirs.pk)}
    # A missing object or a malformed id is no cross-court attempt.
    clerk.get("/admin/cases/case/999999/change/")
    clerk.get("/admin/cases/case/not-a-number/change/")
    assert len(rows(Event.ACCESS_DENIED, reason="other_court_object")) == 1


def test_staff_reading_a_sealed_case_is_audited_in_the_admin_and_on_court_pages(
    court, people, signed_in
):
    sealed = CaseFactory(court=court, is_sealed=True)
    DocketEntryFactory(case=sealed)
    open_case = CaseFactory(court=court)
    clerk = signed_in(people.clerk)
    assert clerk.get(f"/admin/cases/case/{sealed.pk}/change/").status_code == 200
    assert clerk.get(f"/admin/cases/case/{open_case.pk}/change/").status_code == 200
    assert clerk.get(f"/cit/cgi-bin/DktRpt.pl?{sealed.pk}").status_code == 200
    seen = rows(Event.STAFF_VIEW, reason="sealed_case")
    assert [(r.actor, r.court_id) for r in seen] == [(people.clerk, "cit")] * len(seen)
    assert len(seen) >= 2
    assert {r.detail.get("id", r.detail.get("case")) for r in seen} == {sealed.pk}


def test_staff_reading_the_audit_log_is_audited(court, people, signed_in):
    clerk = signed_in(people.clerk)
    assert clerk.get("/admin/audit/auditevent/").status_code == 200
    [listed] = rows(Event.STAFF_VIEW, reason="audit_log")
    assert listed.actor == people.clerk
    event = AuditEventFactory(court=court)
    assert clerk.get(f"/admin/audit/auditevent/{event.pk}/change/").status_code == 200
    opened = rows(Event.STAFF_VIEW, reason="audit_log")[-1]
    assert opened.detail["id"] == event.pk and opened.court == court


# --- the staff tools answer bad input without a server error --------------------------


@pytest.mark.parametrize("bad", ["abc", "1,2", "99999999999999999999999", "-1", ""])
@pytest.mark.parametrize(
    "url",
    [
        "/admin/cases/docketentry/add/?case=",
        "/admin/cases/party/add/?case=",
        "/admin/courts/courtstaff/add/?account=",
    ],
)
def test_an_add_form_with_a_bad_related_id_opens_empty_not_500(people, signed_in, url, bad):
    """Finding: the autocomplete widgets looked up ?case=abc as given and answered 500."""
    admin = AccountFactory(is_staff=True, is_superuser=True)
    for who in (people.clerk, admin):
        response = signed_in(who).get(url + bad)
        assert response.status_code in (200, 403)


def test_a_good_related_id_still_fills_the_add_form(court, people, signed_in):
    case = CaseFactory(court=court)
    page = signed_in(people.clerk).get(f"/admin/cases/docketentry/add/?case={case.pk}")
    assert page.status_code == 200
    assert f'<option value="{case.pk}" selected>'.encode() in page.content


def test_the_account_autocomplete_pages_in_a_stable_order(db, signed_in):
    admin = AccountFactory(is_staff=True, is_superuser=True)
    response = signed_in(admin).get(
        "/admin/autocomplete/?app_label=courts&model_name=courtstaff&field_name=account&term=a"
    )
    assert response.status_code == 200


@pytest.mark.parametrize("bad", ["abc", "1,2", "99999999999999999999999"])
def test_an_add_form_sent_back_with_a_bad_related_id_shows_its_errors_not_500(
    people, signed_in, bad
):
    """Found by the fuzz run: the form re-shown with errors looked the bad id up."""
    admin = AccountFactory(is_staff=True, is_superuser=True)
    for who, url, field in (
        (people.clerk, "/admin/cases/docketentry/add/", "case"),
        (admin, "/admin/courts/courtstaff/add/", "account"),
    ):
        response = signed_in(who).post(url, {field: bad})
        assert response.status_code == 200
        assert b"errornote" in response.content or b"errorlist" in response.content
