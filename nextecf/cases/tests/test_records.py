"""The clerk's case records page and its services: access levels changed with a reason,
protective-order admissions (counsel of record only; audited and emailed), consolidation
(Lead Docket on the report; unconsolidation keeps history); court staff only, and bad
input changes nothing."""

from __future__ import annotations

import pytest

from nextecf.audit.models import AuditEvent, Event
from nextecf.cases.factories import CaseFactory
from nextecf.cases.models import Case, Consolidation, Document, ProtectiveOrderAdmission
from nextecf.cases.services import CaseRefused, protective_order_admit
from nextecf.courts.models import FilerAccount
from nextecf.lib.actor import Actor
from nextecf.outbox.models import OutboundEmail


def page(case) -> str:
    return f"/cit/records/{case.pk}/"


@pytest.mark.parametrize("persona", ["filer", "other_filer", "public", "other_clerk"])
def test_only_this_courts_staff_reach_the_page(cit_case, people, signed_in, persona):
    client = signed_in(getattr(people, persona))
    assert client.get(page(cit_case.case)).status_code == 403
    response = client.post(
        page(cit_case.case),
        {"action": "level", "doc_id": cit_case.main.doc_id, "level": "sealed", "reason": "x"},
    )
    assert response.status_code == 403
    assert Document.objects.get(pk=cit_case.main.pk).access_level == "public"
    assert AuditEvent.objects.filter(event_type=Event.ACCESS_DENIED).exists()


def test_the_clerk_changes_a_level_with_a_reason(cit_case, people, signed_in):
    client = signed_in(people.clerk)
    html = client.get(page(cit_case.case)).content.decode()
    assert cit_case.main.doc_id in html and "Protective order" in html
    response = client.post(
        page(cit_case.case),
        {
            "action": "level",
            "doc_id": cit_case.main.doc_id,
            "level": "sealed",
            "reason": "Order of 3/3 sealing the complaint",
        },
    )
    assert response.status_code == 302
    assert Document.objects.get(pk=cit_case.main.pk).access_level == "sealed"
    event = AuditEvent.objects.get(event_type=Event.DOCUMENT_LEVEL_CHANGE)
    assert event.reason == "Order of 3/3 sealing the complaint"
    assert event.detail["from"] == "public" and event.detail["to"] == "sealed"


@pytest.mark.parametrize(
    ("data", "problem"),
    [
        ({"level": "sealed", "reason": ""}, b"Reason"),
        ({"level": "secret", "reason": "why"}, b"Access level"),
        ({"level": "sealed", "reason": "x" * 301}, b"Reason"),
        ({"level": "public", "reason": "why"}, b"already public"),
    ],
)
def test_a_bad_level_change_names_the_field_and_changes_nothing(
    cit_case, people, signed_in, data, problem
):
    response = signed_in(people.clerk).post(
        page(cit_case.case), {"action": "level", "doc_id": cit_case.main.doc_id, **data}
    )
    assert response.status_code == 400 and problem in response.content
    assert Document.objects.get(pk=cit_case.main.pk).access_level == "public"
    assert not AuditEvent.objects.filter(event_type=Event.DOCUMENT_LEVEL_CHANGE).exists()


def test_a_document_of_another_case_is_refused(cit_case, sealed_case, people, signed_in):
    other = Document.objects.get(entry__case=sealed_case)
    response = signed_in(people.clerk).post(
        page(cit_case.case),
        {"action": "level", "doc_id": other.doc_id, "level": "public", "reason": "x"},
    )
    assert response.status_code == 400 and b"not in this case" in response.content


def test_admission_is_for_linked_counsel_of_record_audited_and_emailed(
    cit_case, people, signed_in, court
):
    client = signed_in(people.clerk)
    lead = cit_case.lead  # Jane Lawyer, linked, of record
    html = client.get(page(cit_case.case)).content.decode()
    assert "Jane Q. Lawyer" in html
    # The government's counsel is not linked: not offered, and refused if posted.
    assert (
        client.post(
            page(cit_case.case), {"action": "admit", "filer": str(cit_case.government.pk)}
        ).status_code
        == 400
    )
    response = client.post(page(cit_case.case), {"action": "admit", "filer": str(lead.pk)})
    assert response.status_code == 302
    admission = ProtectiveOrderAdmission.objects.get()
    assert admission.filer == lead and admission.admitted_by == people.clerk
    assert AuditEvent.objects.filter(event_type=Event.PROTECTIVE_ORDER_ADMIT).exists()
    mail = OutboundEmail.objects.get(kind="protective_order_admitted")
    assert mail.to == lead.email and cit_case.case.number in mail.subject
    # Removal with a reason, kept as history.
    response = client.post(
        page(cit_case.case), {"action": "remove", "admission": str(admission.pk), "reason": ""}
    )
    assert response.status_code == 400
    response = client.post(
        page(cit_case.case),
        {"action": "remove", "admission": str(admission.pk), "reason": "Withdrew"},
    )
    assert response.status_code == 302
    admission.refresh_from_db()
    assert admission.removed_at and admission.reason == "Withdrew"
    assert OutboundEmail.objects.filter(kind="protective_order_removed").exists()
    assert AuditEvent.objects.filter(event_type=Event.PROTECTIVE_ORDER_REMOVE).exists()


def test_a_filer_not_in_the_case_cannot_be_admitted(cit_case, people, court):
    other = FilerAccount.objects.get(court=court, account=people.other_filer)
    with pytest.raises(CaseRefused, match="counsel of record"):
        protective_order_admit(actor=Actor(account=people.clerk), case=cit_case.case, filer=other)
    assert not ProtectiveOrderAdmission.objects.exists()


def test_consolidation_shows_the_lead_docket_and_unconsolidation_keeps_history(
    cit_case, people, signed_in, court
):
    member = CaseFactory(court=court, title="Other Importer v. United States")
    client = signed_in(people.clerk)
    response = client.post(
        page(cit_case.case), {"action": "consolidate", "case_number": member.number}
    )
    assert response.status_code == 302
    assert Case.objects.get(pk=member.pk).lead_case_id == cit_case.case.pk
    for case in (cit_case.case, member):
        report = client.post(
            "/cit/cgi-bin/DktRpt.pl", {"all_case_ids": str(case.pk), "sort1": "oldest date first"}
        ).content.decode()
        assert "<b>Lead Docket:</b> " in report and cit_case.case.number in report
        assert "<b>Member cases:</b>" in report and member.number in report
    # A member cannot lead, nor be consolidated twice.
    third = CaseFactory(court=court)
    response = client.post(page(member), {"action": "consolidate", "case_number": third.number})
    assert response.status_code == 400 and b"member of another lead case" in response.content
    response = client.post(
        page(cit_case.case), {"action": "unconsolidate", "case_number": member.number}
    )
    assert response.status_code == 302
    assert Case.objects.get(pk=member.pk).lead_case_id is None
    row = Consolidation.objects.get()
    assert row.ended_at is not None and row.ended_by == people.clerk
    assert AuditEvent.objects.filter(event_type=Event.CASE_UNCONSOLIDATED).exists()
    report = client.post(
        "/cit/cgi-bin/DktRpt.pl", {"all_case_ids": str(member.pk), "sort1": "oldest date first"}
    ).content.decode()
    assert "Lead Docket:" not in report


def test_a_grant_by_username(cit_case, people, signed_in):
    Document.objects.filter(pk=cit_case.main.pk).update(access_level="sealed")
    client = signed_in(people.clerk)
    response = client.post(
        page(cit_case.case),
        {"action": "grant", "doc_id": cit_case.main.doc_id, "username": "nobody-here"},
    )
    assert response.status_code == 400 and b"no active PACER account" in response.content
    response = client.post(
        page(cit_case.case),
        {"action": "grant", "doc_id": cit_case.main.doc_id, "username": people.public.username},
    )
    assert response.status_code == 302
    pdf = signed_in(people.public).post(
        f"/cit/doc1/{cit_case.main.doc_id[:3]}1{cit_case.main.doc_id[4:]}", {"got_receipt": "1"}
    )
    assert pdf["Content-Type"] == "application/pdf"


@pytest.mark.parametrize("action", ["", "drop-tables", "remove"])
def test_nonsense_posts_are_refused_without_a_server_error(cit_case, people, signed_in, action):
    response = signed_in(people.clerk).post(
        page(cit_case.case), {"action": action, "admission": "abc", "reason": "x"}
    )
    assert response.status_code == 400
