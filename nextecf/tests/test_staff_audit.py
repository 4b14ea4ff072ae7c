"""Staff and admin activity in the audit log, refusals included: a non-staff account at the
staff tools, a clerk at another court's object, staff reading sealed cases or the audit
log."""

from __future__ import annotations

from django.test import Client

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
